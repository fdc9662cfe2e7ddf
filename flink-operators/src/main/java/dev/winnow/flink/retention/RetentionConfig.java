package dev.winnow.flink.retention;

import java.io.Serializable;

/**
 * How a camera's frames are kept, as a network video recorder decides it: an event opens when the
 * person score reaches {@code enterThreshold} and detections persist for {@code minEventMillis}; it
 * stays open while the score stays at or above {@code exitThreshold} (hysteresis), and closes
 * {@code postRollMillis} after the last such frame. {@code preRollMillis} of frames before the
 * event's first detection are kept too.
 */
public final class RetentionConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final float enterThreshold;
    public final float exitThreshold;
    public final long preRollMillis;
    public final long postRollMillis;
    public final long minEventMillis;

    public RetentionConfig(float enterThreshold, float exitThreshold, long preRollMillis, long postRollMillis, long minEventMillis) {
        if (!(enterThreshold > 0 && enterThreshold <= 1)) throw new IllegalArgumentException("enter threshold must be in (0, 1], is " + enterThreshold);
        if (!(exitThreshold > 0 && exitThreshold <= enterThreshold)) {
            throw new IllegalArgumentException("exit threshold must be in (0, enter threshold], is " + exitThreshold + " with enter " + enterThreshold);
        }
        if (preRollMillis < 0 || postRollMillis < 0 || minEventMillis < 0) throw new IllegalArgumentException("pre-roll, post-roll and minimum length must be >= 0");
        if (preRollMillis > 10 * 60_000) throw new IllegalArgumentException("pre-roll above 10 minutes would hold too many frames in state");
        this.enterThreshold = enterThreshold;
        this.exitThreshold = exitThreshold;
        this.preRollMillis = preRollMillis;
        this.postRollMillis = postRollMillis;
        this.minEventMillis = minEventMillis;
    }

    /** Frigate-like defaults: enter 0.7, exit 0.5, 5 s pre-roll, 5 s post-roll, 0.5 s minimum. */
    public static RetentionConfig defaults() {
        return new RetentionConfig(0.7f, 0.5f, 5_000, 5_000, 500);
    }

    @Override
    public String toString() {
        return "RetentionConfig{enter=" + enterThreshold + ", exit=" + exitThreshold + ", preRoll=" + preRollMillis + "ms, postRoll="
                + postRollMillis + "ms, minEvent=" + minEventMillis + "ms}";
    }
}
