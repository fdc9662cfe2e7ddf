package dev.winnow.runtime.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The run-time check that lets the vector paths JDK 17's C2 sometimes boxes run there by default:
 * int8 requantization ({@code RequantizePixelsSimd}), the Q15 cells' batched gates in the int8
 * RNNPool layer, the multiply-adds of {@code Conv2dInt8Planes}, the float FastGRNN cells of graph
 * ops and streams ({@code FastGrnnSimd}), and the float convolution's three-row blocks, which JDK 17 takes
 * with 16 float lanes ({@code ConvSimd.rows3}; one pass per filter row once tripped).
 *
 * <p>Each gives the scalar loops' bits at a fraction of their time, but on JDK 17 C2 compiles them in
 * some JVMs to code that boxes vectors (the int8 kernels: 2 of 6 runs of a JVM that runs every kernel,
 * none of 8 of the detector alone). Which JVM it will be is known only once C2 has compiled them, so
 * the check comes after: an {@link AllocationProbe} measures what a call allocates on its thread at a
 * few call counts ({@link #probeAt}); an {@code Interpreter} probes its invokes, a FastGRNN stream's
 * stepper its steps. Before C2 has compiled them, vector kernels allocate on every call
 * (megabytes an invoke for the detector's first 50 or so; a Bonsai graph of one op runs thousands of
 * invokes in that time), so one allocating probe proves nothing: the probe reports to
 * {@link #observe} only when {@value #PROBES_IN_A_ROW} probes in a row, each at least
 * {@link #PROBE_GAP_NANOS} after the one before, found a call, and the one after it, each allocating
 * over the probe's limit ({@value #LIMIT_BYTES} bytes for a graph invoke). Then the guarded paths
 * are off for this JVM, with one warning: the kernels built by default read {@link #tripped()} at every
 * call and take their scalar code from then on, the same output without the allocation. A kernel built
 * with an explicit choice (the tests build both paths) is not guarded; the float convolution's choice of
 * three-row blocks is the JVM's, not the caller's, so it is guarded however the kernel was built.
 *
 * <p>Only graphs run by an {@code Interpreter} and streams stepped by a stepper are probed, so only
 * their kernels are guarded. The switch goes one way, on to off, once per JVM, like a CPU-feature dispatch: a JVM whose
 * compiled code boxes vectors is not expected to stop doing so. Any thread may call any method.
 */
public final class VectorGuard {
    /**
     * An invoke that allocates more than this counts. Boxed vectors cost tens of bytes each, and a
     * model's int8 convolutions requantize thousands of vectors an invoke.
     */
    public static final long LIMIT_BYTES = 1024;
    /** How many probes in a row must find allocation: the first ones can still see code C2 has not compiled. */
    public static final int PROBES_IN_A_ROW = 3;
    /** How long after the last allocating probe (or the interpreter's construction) an allocating probe must come to count. */
    public static final long PROBE_GAP_NANOS = 2_000_000_000L;
    /** The first invoke count an interpreter measures; each later one is four times the one before. */
    static final long FIRST_PROBE = 256;

    private static final System.Logger LOG = System.getLogger(VectorGuard.class.getName());
    private static volatile boolean tripped;
    private static volatile long trippedBytes;
    private static volatile com.sun.management.ThreadMXBean meter;
    private static volatile boolean meterLooked;

    private VectorGuard() {}

    /** True once invokes were seen allocating with the guarded paths on: their kernels run scalar code. */
    public static boolean tripped() {
        return tripped;
    }

    /**
     * Whether a kernel may take its guarded vector path now: always when it was built with an explicit
     * choice ({@code guarded} false), else until the guard trips. Kernels ask at every call.
     */
    public static boolean allows(boolean guarded) {
        return !guarded || !tripped;
    }

    /** True while a probe can still change anything: a guarded path is on by default and has not been turned off. */
    public static boolean armed() {
        return (VectorSupport.vectorRequantization() || VectorSupport.guardedVectorCells()) && !tripped;
    }

    /**
     * The invoke count after {@code count} at which to measure next: {@value #FIRST_PROBE}, then four
     * times the last, so that a kernel C2 compiles late (a deeper tier, a recompilation) is still
     * caught, at a cost that falls to nothing.
     */
    public static long probeAt(long count) {
        if (count < FIRST_PROBE) return FIRST_PROBE;
        return count > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : count * 4;
    }

    /**
     * Bytes this thread has allocated since it started, or -1 when the JVM does not count them (then
     * nothing is ever turned off, and the guarded paths stay off on JDK 17).
     */
    public static long allocatedBytes() {
        com.sun.management.ThreadMXBean m = meter();
        return m == null ? -1 : m.getCurrentThreadAllocatedBytes();
    }

    /** True when {@link #allocatedBytes} counts. */
    static boolean canMeasure() {
        return meter() != null;
    }

    private static com.sun.management.ThreadMXBean meter() {
        if (!meterLooked) {
            meter = lookUpMeter();
            meterLooked = true;
        }
        return meter;
    }

    private static com.sun.management.ThreadMXBean lookUpMeter() {
        try {
            ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            if (bean instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
                return t;
            }
        } catch (LinkageError | SecurityException | UnsupportedOperationException e) {
            // a runtime image without java.management or jdk.management: nothing to measure with
        }
        return null;
    }

    /**
     * What an invoke of {@code what} allocated, when {@value #PROBES_IN_A_ROW} probes in a row found it
     * allocating. Over {@link #LIMIT_BYTES} while {@link #armed()}: the guarded paths are off for this
     * JVM from now on, and one warning says so. Returns whether this call turned them off.
     */
    public static boolean observe(long bytes, String what) {
        return observe(bytes, LIMIT_BYTES, what);
    }

    /**
     * The same with a limit of the caller's: an {@link AllocationProbe} of a path smaller than a graph
     * invoke (one recurrent step allocates about a hundred bytes when its vectors are boxed).
     */
    public static boolean observe(long bytes, long limitBytes, String what) {
        if (bytes <= limitBytes || !armed()) return false;
        synchronized (VectorGuard.class) {
            if (tripped) return false;
            trippedBytes = bytes;
            tripped = true;
        }
        LOG.log(System.Logger.Level.WARNING, "winnow: " + what + " kept allocating (" + bytes
                + " B each) with guarded vector code on (the JIT boxed their vectors); scalar code from now on, same results");
        return true;
    }

    /** One line for reports ({@code winnow inspect --bench}): whether the guarded paths run on vectors now, and why. */
    public static String describe() {
        if (!VectorSupport.modulepresent()) return "scalar (no Vector API module)";
        if (!VectorSupport.vectorRequantization() && !VectorSupport.guardedVectorCells()) {
            return System.getProperty("winnow.kernels.requantize") != null || System.getProperty("winnow.kernels.vector") != null
                    ? "scalar (set by -Dwinnow.kernels.requantize or -Dwinnow.kernels.vector)"
                    : "scalar (this JVM cannot measure what a thread allocates, so nothing would catch boxed vectors)";
        }
        return tripped ? "scalar since calls kept allocating " + trippedBytes + " B on vectors (the JIT boxed them)"
                : "vectors, watched for allocation at calls 256, 1024, 4096, ... of each graph and stream";
    }

    /** Turns the guarded paths back on: for tests that trip the guard on purpose. */
    static void resetForTests() {
        tripped = false;
    }
}
