package dev.winnow.runtime.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The run-time check that lets int8 kernels requantize on vectors by default on JDK 17.
 *
 * <p>Vector requantization ({@code RequantizePixelsSimd}) gives the same bits as the scalar loop and
 * halves the int8 convolutions' time, but on JDK 17 C2 sometimes compiles it to code that boxes its
 * vectors: the same kernels allocated in 2 of 6 runs of a JVM that runs every kernel, and in none of 8
 * runs of the detector alone. Which JVM it will be is not known before C2 has compiled the kernel, so
 * the check comes after: an {@code Interpreter} measures what one invoke allocates on its thread at a
 * few invoke counts ({@link #probeAt}), and the first time two invokes in a row allocate more than
 * {@value #LIMIT_BYTES} bytes while vector requantization is on turns it off for this JVM, with one
 * warning. The kernels built by default read {@link #tripped()} at every call and requantize with
 * scalar code from then on: the same output, without the allocation. A kernel built with an explicit
 * choice (the tests build both paths) is not guarded.
 *
 * <p>The switch goes one way, on to off, once per JVM, like a CPU-feature dispatch: a JVM whose
 * compiled code boxes vectors is not expected to stop doing so. Any thread may call any method.
 */
public final class RequantizationGuard {
    /**
     * An invoke that allocates more than this turns vector requantization off. Boxed vectors cost tens
     * of bytes each, and a model's int8 convolutions requantize thousands of vectors an invoke.
     */
    public static final long LIMIT_BYTES = 1024;
    /** The first invoke count an interpreter measures; each later one is four times the one before. */
    static final long FIRST_PROBE = 64;

    private static final System.Logger LOG = System.getLogger(RequantizationGuard.class.getName());
    private static volatile boolean tripped;
    private static volatile long trippedBytes;
    private static volatile com.sun.management.ThreadMXBean meter;
    private static volatile boolean meterLooked;

    private RequantizationGuard() {}

    /** True once an invoke was seen allocating with vector requantization on: guarded kernels requantize with scalar code. */
    public static boolean tripped() {
        return tripped;
    }

    /** True while a probe can still change anything: vector requantization is on by default and has not been turned off. */
    public static boolean armed() {
        return VectorSupport.vectorRequantization() && !tripped;
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
     * nothing is ever turned off, and {@link VectorSupport#vectorRequantization()} keeps vector
     * requantization off on JDK 17).
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
     * What one invoke of {@code what} allocated, as its caller measured it with {@link #allocatedBytes}.
     * Over {@link #LIMIT_BYTES} while {@link #armed()}: vector requantization is off for this JVM from
     * now on, and one warning says so. Returns whether this call turned it off.
     */
    public static boolean observe(long bytes, String what) {
        if (bytes <= LIMIT_BYTES || !armed()) return false;
        synchronized (RequantizationGuard.class) {
            if (tripped) return false;
            trippedBytes = bytes;
            tripped = true;
        }
        LOG.log(System.Logger.Level.WARNING, "winnow: one invoke of " + what + " allocated " + bytes
                + " B with vector requantization on (the JIT boxed its vectors); requantizing with scalar code from now on, same results");
        return true;
    }

    /** One line for reports ({@code winnow inspect --bench}): whether int8 kernels requantize on vectors now, and why. */
    public static String describe() {
        if (!VectorSupport.modulepresent()) return "scalar (no Vector API module)";
        if (!VectorSupport.vectorRequantization()) {
            return System.getProperty("winnow.kernels.requantize") != null || System.getProperty("winnow.kernels.vector") != null
                    ? "scalar (set by -Dwinnow.kernels.requantize or -Dwinnow.kernels.vector)"
                    : "scalar (this JVM cannot measure what a thread allocates, so nothing would catch boxed vectors)";
        }
        return tripped ? "scalar since an invoke allocated " + trippedBytes + " B on vectors (the JIT boxed them)"
                : "vectors, watched for allocation at invokes 64, 256, 1024, ...";
    }

    /** Turns vector requantization back on: for tests that trip the guard on purpose. */
    static void resetForTests() {
        tripped = false;
    }
}
