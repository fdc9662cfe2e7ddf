package dev.winnow.runtime.testing;

import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.kernel.VectorGuardTesting;
import java.util.Random;
import java.util.function.LongSupplier;

/** Random tensors and conversions between float and double arrays for kernel tests. */
public final class Tensors {
    private Tensors() {}

    /** {@code n} values drawn from N(0, sigma²) by {@code r}, in order: the same seed gives the same tensor. Any thread that owns {@code r}. */
    public static float[] gaussian(Random r, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * sigma);
        return a;
    }

    public static float[] uniform(Random r, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    public static double maxAbsDiff(float[] a, int off, double[] ref) {
        double m = 0;
        for (int i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(a[off + i] - ref[i]));
        return m;
    }

    public static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Bytes allocated so far by the current thread (HotSpot's per-thread allocation counter). */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Bytes that {@code calls} runs of {@code work} allocate once warmed up: C2 compiles in the
     * background and only its code scalar-replaces short-lived objects (the Vector API's above all),
     * so on a busy machine one warm-up may not be enough; warms up in rounds of 20,000 runs and
     * returns the first round that allocates nothing, or the tenth round's bytes.
     */
    public static long allocationAfterWarmUp(Runnable work, int calls) {
        long overhead = 0;
        for (int i = 0; i < 3; i++) { // what reading the counter itself costs
            long a = allocatedBytes();
            overhead = allocatedBytes() - a;
        }
        long bytes = -1;
        for (int round = 0; round < 10 && bytes != 0; round++) {
            for (int i = 0; i < 20_000; i++) work.run();
            long before = allocatedBytes();
            for (int i = 0; i < calls; i++) work.run();
            bytes = allocatedBytes() - before - overhead;
        }
        return bytes;
    }

    /**
     * What {@code measure} reports {@code calls} calls of a guarded hot path to allocate, with the guard
     * given its say first: when they allocate, the guard hears it at once, as that path's allocation probe
     * would over seconds of calls in a job (per call, against {@code limitBytes}); when that turns the
     * guarded vector paths off, the path is measured again on its scalar code, and the guard is reset
     * afterwards so that later tests in the JVM find the vectors on. For tests that then require 0 B.
     */
    public static long allocationUnderGuard(LongSupplier measure, int calls, long limitBytes, String what) {
        long bytes = measure.getAsLong();
        if (bytes <= 0 || !VectorGuard.observe(bytes / calls, limitBytes, what)) return bytes;
        try {
            System.out.println(what + " allocated " + bytes + " B in " + calls + " calls on vectors; the guard turned them off");
            return measure.getAsLong();
        } finally {
            VectorGuardTesting.reset();
        }
    }
}
