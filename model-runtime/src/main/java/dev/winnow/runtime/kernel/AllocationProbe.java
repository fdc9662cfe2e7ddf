package dev.winnow.runtime.kernel;

import java.util.function.LongSupplier;

/**
 * Measures, now and then, what one call of a hot path allocates on its thread, and tells
 * {@link VectorGuard} when the path keeps allocating: the check that lets the vector code JDK 17's C2
 * sometimes boxes run there by default. An {@code Interpreter} probes its invokes with one; a
 * FastGRNN stream's stepper probes its steps.
 *
 * <p>The caller counts every call with {@link #due()}; a due call is run between {@link #start()} and
 * {@link #finish(long)}. Calls are measured at the counts {@link VectorGuard#probeAt} gives (the 256th,
 * the 1024th, ...), and the one after a measured call that allocated too, since the JIT can allocate
 * once on its own (192 B at an on-stack replacement, seen in a test JVM): the smaller figure counts.
 * When {@value VectorGuard#PROBES_IN_A_ROW} probes in a row, each at least
 * {@link VectorGuard#PROBE_GAP_NANOS} after the one before, found over the limit, the observer hears
 * it. Code C2 has not compiled yet allocates too, and stops; the gap tells the two apart for a path so
 * cheap that thousands of calls pass before C2 is done.
 *
 * <p>Not thread safe: one probe per thread that runs the path (it measures that thread's allocation).
 */
public final class AllocationProbe {
    /** Hears what a call of {@code what} (say "invokes of a graph of 12 ops") kept allocating; returns whether it acted on it. */
    @FunctionalInterface
    public interface Observer {
        boolean observe(long bytes, String what);
    }

    private final String what;
    private final long limitBytes;
    private final LongSupplier meter;
    private final Observer observer;
    private final LongSupplier nanoTime;
    private long lastAllocatingProbe; // when the last probe that counted found allocation (or construction)
    private long calls;
    private long nextProbe = VectorGuard.probeAt(0);
    private long suspected = -1; // what the last measured call allocated, when that was over the limit
    private int allocatingProbes; // probes in a row that found allocation

    /**
     * A probe that reports to {@link VectorGuard}: a call of {@code what} allocating over {@code limitBytes}
     * counts (a graph invoke: {@link VectorGuard#LIMIT_BYTES}; one recurrent step allocates less when boxed).
     */
    public AllocationProbe(String what, long limitBytes) {
        this(what, limitBytes, VectorGuard::allocatedBytes, (bytes, w) -> VectorGuard.observe(bytes, limitBytes, w), System::nanoTime);
    }

    /** With a meter, an observer and a clock of its own: for tests of the schedule. */
    public AllocationProbe(String what, long limitBytes, LongSupplier meter, Observer observer, LongSupplier nanoTime) {
        if (limitBytes < 0) throw new IllegalArgumentException("limitBytes must be >= 0, is " + limitBytes);
        this.what = what;
        this.limitBytes = limitBytes;
        this.meter = meter;
        this.observer = observer;
        this.nanoTime = nanoTime;
        this.lastAllocatingProbe = nanoTime.getAsLong();
    }

    /** Counts one call; true when this one is to be measured ({@link #start}, the call, {@link #finish}). */
    public boolean due() {
        return ++calls == nextProbe;
    }

    /** The thread's allocation before a due call, or -1 when nothing would act on it (the guard is not armed). */
    public long start() {
        return VectorGuard.armed() ? meter.getAsLong() : -1;
    }

    /** After a due call, with what {@link #start} returned: schedules the next probe and reports when it is time. */
    public void finish(long before) {
        long after = before < 0 ? -1 : meter.getAsLong();
        if (before < 0 || after < 0) {
            nextProbe = VectorGuard.probeAt(calls);
            return;
        }
        long bytes = after - before;
        if (suspected < 0 && bytes > limitBytes) {
            suspected = bytes;
            nextProbe = calls + 1;
            return;
        }
        long seen = suspected < 0 ? bytes : Math.min(suspected, bytes);
        suspected = -1;
        nextProbe = VectorGuard.probeAt(calls);
        if (seen <= limitBytes) {
            allocatingProbes = 0;
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastAllocatingProbe < VectorGuard.PROBE_GAP_NANOS) return; // too soon to tell C2's warm-up from boxing
        lastAllocatingProbe = now;
        if (++allocatingProbes >= VectorGuard.PROBES_IN_A_ROW) observer.observe(seen, what);
    }
}
