package dev.winnow.runtime.stream;

import dev.winnow.runtime.kernel.AllocationProbe;
import dev.winnow.runtime.kernel.VectorGuard;

/**
 * One thread's stepping of a {@link FastGrnnStream}: the scratch a step needs, and the
 * {@link AllocationProbe} that watches the steps. The stream's cell runs on vectors under
 * {@link VectorGuard} on JDK 17 too, where C2 boxed a cell's vectors in some JVMs; the probe measures a
 * step now and then and turns the guarded paths off in a JVM where steps keep allocating, so a stream
 * stepped through here allocates nothing per reading on any JDK.
 *
 * <p>Not thread safe: one per thread (a Flink subtask holds one per loaded model). The hidden states
 * are the caller's, so one stepper serves any number of sensors.
 */
public final class FastGrnnStepper {
    /**
     * A step whose vectors are boxed allocates about a hundred bytes (a 16-float vector and its
     * payload), a plain step nothing: anything over this counts.
     */
    public static final long STEP_LIMIT_BYTES = 64;

    private final FastGrnnStream stream;
    private final float[] scratch;
    private final AllocationProbe probe;

    FastGrnnStepper(FastGrnnStream stream, AllocationProbe probe) {
        this.stream = stream;
        this.scratch = new float[stream.scratchSize()];
        this.probe = probe;
    }

    public FastGrnnStream stream() {
        return stream;
    }

    /** Advances the state at {@code h[hOff..]} by one reading {@code x[xOff..xOff+channels)} ({@link FastGrnnStream#step}). */
    public void step(float[] x, int xOff, float[] h, int hOff) {
        if (probe.due()) {
            long before = probe.start();
            stream.step(x, xOff, h, hOff, scratch, 0);
            probe.finish(before);
            return;
        }
        stream.step(x, xOff, h, hOff, scratch, 0);
    }
}
