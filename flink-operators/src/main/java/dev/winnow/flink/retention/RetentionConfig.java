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

    /** @deprecated positional: use {@link #builder()}, which names each field and checks the same rules. */
    @Deprecated
    public RetentionConfig(float enterThreshold, float exitThreshold, long preRollMillis, long postRollMillis, long minEventMillis) {
        this(builder().enterThreshold(enterThreshold).exitThreshold(exitThreshold).preRollMillis(preRollMillis)
                .postRollMillis(postRollMillis).minEventMillis(minEventMillis));
    }

    private RetentionConfig(Builder b) {
        if (!(b.enterThreshold > 0 && b.enterThreshold <= 1)) throw new IllegalArgumentException("enter threshold must be in (0, 1], is " + b.enterThreshold);
        if (!(b.exitThreshold > 0 && b.exitThreshold <= b.enterThreshold)) {
            throw new IllegalArgumentException("exit threshold must be in (0, enter threshold], is " + b.exitThreshold + " with enter " + b.enterThreshold);
        }
        if (b.preRollMillis < 0 || b.postRollMillis < 0 || b.minEventMillis < 0) throw new IllegalArgumentException("pre-roll, post-roll and minimum length must be >= 0");
        if (b.preRollMillis > 10 * 60_000) throw new IllegalArgumentException("pre-roll above 10 minutes would hold too many frames in state");
        this.enterThreshold = b.enterThreshold;
        this.exitThreshold = b.exitThreshold;
        this.preRollMillis = b.preRollMillis;
        this.postRollMillis = b.postRollMillis;
        this.minEventMillis = b.minEventMillis;
    }

    /** Frigate-like defaults: enter 0.7, exit 0.5, 5 s pre-roll, 5 s post-roll, 0.5 s minimum. */
    public static RetentionConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from {@link #defaults()}: set what differs, then {@link Builder#build}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Serializable, like the config, so a job can carry a half-set builder in its own configuration. */
    public static final class Builder implements Serializable {
        private static final long serialVersionUID = 1L;

        private float enterThreshold = 0.7f;
        private float exitThreshold = 0.5f;
        private long preRollMillis = 5_000;
        private long postRollMillis = 5_000;
        private long minEventMillis = 500;

        private Builder() {}

        /** The person score, in (0, 1], at which an event opens. */
        public Builder enterThreshold(float score) { this.enterThreshold = score; return this; }
        /** The score, in (0, enter], an open event must keep to stay open (hysteresis). */
        public Builder exitThreshold(float score) { this.exitThreshold = score; return this; }
        /** Frames kept before an event's first detection, at most 10 minutes. */
        public Builder preRollMillis(long millis) { this.preRollMillis = millis; return this; }
        /** How long an event stays open after its last frame at or above the exit threshold. */
        public Builder postRollMillis(long millis) { this.postRollMillis = millis; return this; }
        /** How long detections must persist before an event opens. */
        public Builder minEventMillis(long millis) { this.minEventMillis = millis; return this; }

        /** The config; throws IllegalArgumentException with one line naming the rule a value breaks. */
        public RetentionConfig build() {
            return new RetentionConfig(this);
        }
    }

    @Override
    public String toString() {
        return "RetentionConfig{enter=" + enterThreshold + ", exit=" + exitThreshold + ", preRoll=" + preRollMillis + "ms, postRoll="
                + postRollMillis + "ms, minEvent=" + minEventMillis + "ms}";
    }
}
