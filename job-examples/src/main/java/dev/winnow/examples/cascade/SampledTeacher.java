package dev.winnow.examples.cascade;

/**
 * The Seiden-style baseline's schedule: the teacher runs on frames sampled at a fixed rate, and every
 * other frame takes the verdict (presence and boxes) of a sampled frame. Two trackers:
 * <ul>
 *   <li>{@link Mode#HOLD}: the last sampled frame at or before it, as a live camera must (no delay);
 *       boxes stay where the teacher last saw them.</li>
 *   <li>{@link Mode#NEAREST}: the nearest sampled frame, earlier on a tie, as Seiden propagates labels
 *       over stored video; live, it delays each verdict by up to half a sampling interval.</li>
 * </ul>
 */
public final class SampledTeacher {
    public enum Mode { HOLD, NEAREST }

    private SampledTeacher() {}

    /** Every {@code step}-th frame from the first: {@code round(fps / rate)}, at least 1. */
    public static int step(double fps, double rate) {
        if (!(fps > 0) || !(rate > 0)) throw new IllegalArgumentException("fps and rate must be positive, are " + fps + " and " + rate);
        return Math.max(1, (int) Math.round(fps / rate));
    }

    public static boolean sampled(int frame, int step) {
        return frame % step == 0;
    }

    /** For each of {@code n} frames, the sampled frame whose verdict it takes. */
    public static int[] source(int n, int step, Mode mode) {
        if (step < 1) throw new IllegalArgumentException("step must be >= 1, is " + step);
        int[] src = new int[n];
        int lastSample = (n - 1) / step * step;
        for (int k = 0; k < n; k++) {
            int before = k / step * step;
            int after = before + step;
            src[k] = mode == Mode.NEAREST && after <= lastSample && after - k < k - before ? after : before;
        }
        return src;
    }
}
