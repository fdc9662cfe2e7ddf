package dev.winnow.flink.track;

import java.io.Serializable;

/**
 * Settings of the per-camera tracker. Defaults follow ByteTrack's (high score 0.6, first-pass IoU 0.2,
 * low-score pass IoU 0.5) with the track buffer scaled to 10 fps cameras: a confirmed track survives
 * 10 missed frames (1 s of occlusion) and is born after 3 matched frames. Noise variances are in
 * pixels of the frame.
 */
public final class TrackerConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final float highScore, lowScore;
    public final double matchIou, lowMatchIou, distanceGate;
    public final int birthHits, maxMisses, maxTracks, maxDetections;
    public final double positionNoise, velocityNoise, measurementNoise, initialVelocityVariance;

    private TrackerConfig(Builder b) {
        highScore = b.highScore;
        lowScore = b.lowScore;
        matchIou = b.matchIou;
        lowMatchIou = b.lowMatchIou;
        distanceGate = b.distanceGate;
        birthHits = b.birthHits;
        maxMisses = b.maxMisses;
        maxTracks = b.maxTracks;
        maxDetections = b.maxDetections;
        positionNoise = b.positionNoise;
        velocityNoise = b.velocityNoise;
        measurementNoise = b.measurementNoise;
        initialVelocityVariance = b.initialVelocityVariance;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TrackerConfig defaults() {
        return builder().build();
    }

    KalmanBox kalman() {
        return new KalmanBox(positionNoise, velocityNoise, measurementNoise, initialVelocityVariance);
    }

    public static final class Builder implements Serializable {
        private static final long serialVersionUID = 1L;
        private float highScore = 0.6f, lowScore = 0.1f;
        private double matchIou = 0.2, lowMatchIou = 0.5, distanceGate = 0.9;
        private int birthHits = 3, maxMisses = 10, maxTracks = 128, maxDetections = 128;
        private double positionNoise = 4, velocityNoise = 1, measurementNoise = 16, initialVelocityVariance = 100;

        /** Detections at or above this score match first and can start tracks; those in [low, high) only extend confirmed tracks. */
        public Builder scores(float low, float high) { lowScore = low; highScore = high; return this; }
        /** Minimum IoU of a match in the first (high-score) and the second (low-score) pass. */
        public Builder matchIou(double first, double second) { matchIou = first; lowMatchIou = second; return this; }
        /**
         * Centre-distance fallback after the IoU passes, in track box heights (0 turns it off): a high-score
         * detection left unmatched joins the nearest unmatched track of similar height within this distance.
         * At 10 fps a walker moves ~0.1 heights a frame and IoU finds them; at 2 fps ~0.4, often with no overlap.
         */
        public Builder distanceGate(double heights) { distanceGate = heights; return this; }
        /** Matched frames before a track gets an id and is reported. */
        public Builder birthHits(int n) { birthHits = n; return this; }
        /** Consecutive missed frames a confirmed track survives (an occlusion this long keeps its id). */
        public Builder maxMisses(int m) { maxMisses = m; return this; }
        /** Bounds of the per-camera table and of the detections read per frame (the rest of a frame's detections are dropped and counted). */
        public Builder bounds(int tracks, int detections) { maxTracks = tracks; maxDetections = detections; return this; }
        /** Kalman variances: process noise on position/size and on velocity per frame, measurement noise, initial velocity. */
        public Builder noise(double position, double velocity, double measurement, double initialVelocity) {
            positionNoise = position; velocityNoise = velocity; measurementNoise = measurement; initialVelocityVariance = initialVelocity;
            return this;
        }

        public TrackerConfig build() {
            if (!(lowScore >= 0 && lowScore <= highScore && highScore <= 1)) throw new IllegalArgumentException("tracker scores need 0 <= low <= high <= 1, got low " + lowScore + ", high " + highScore);
            if (!(matchIou > 0 && matchIou <= 1 && lowMatchIou > 0 && lowMatchIou <= 1)) throw new IllegalArgumentException("tracker match IoUs must be in (0, 1], got " + matchIou + ", " + lowMatchIou);
            if (!(distanceGate >= 0 && distanceGate <= 10)) throw new IllegalArgumentException("tracker distance gate must be in [0, 10] box heights, got " + distanceGate);
            if (birthHits < 1) throw new IllegalArgumentException("tracker birth hits must be >= 1, got " + birthHits);
            if (maxMisses < 0) throw new IllegalArgumentException("tracker max misses must be >= 0, got " + maxMisses);
            if (maxTracks < 1 || maxTracks > 4096 || maxDetections < 1 || maxDetections > 4096) throw new IllegalArgumentException("tracker bounds must be in [1, 4096], got " + maxTracks + " tracks, " + maxDetections + " detections");
            TrackerConfig c = new TrackerConfig(this);
            c.kalman(); // validates the noise
            return c;
        }
    }
}
