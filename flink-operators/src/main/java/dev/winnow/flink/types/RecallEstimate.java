package dev.winnow.flink.types;

import java.util.Objects;

/**
 * The central job's estimate of one camera's person-frame recall at the edge, from the teacher's
 * verdicts on a random sample of the frames the edge dropped (see
 * {@code dev.winnow.flink.central.RecallEstimator}). A Flink POJO.
 */
public class RecallEstimate extends Copyable<RecallEstimate> {
    public String cameraId;
    /** Frame time of the newest sample counted. */
    public long timestampMillis;
    /** Dropped frames the teacher looked at, and those in which it found a person (misses). */
    public long samples;
    public long misses;
    /** The edge's totals: frames dropped without the teacher, and frames kept as showing a person. */
    public long dropped;
    public long kept;
    /** Point estimate and 95 % interval of the recall; NaN until there is a sample. */
    public double recall;
    public double lower;
    public double upper;
    /** True when the estimate fell under the configured floor (see {@code RecallMonitor}). */
    public boolean flagged;

    public RecallEstimate() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof RecallEstimate r && timestampMillis == r.timestampMillis && samples == r.samples && misses == r.misses && dropped == r.dropped && kept == r.kept
                && Double.compare(recall, r.recall) == 0 && Double.compare(lower, r.lower) == 0 && Double.compare(upper, r.upper) == 0
                && flagged == r.flagged && Objects.equals(cameraId, r.cameraId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, timestampMillis, samples);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "RecallEstimate{%s recall=%.4f [%.4f, %.4f] misses=%d/%d samples, dropped=%d kept=%d%s}",
                cameraId, recall, lower, upper, misses, samples, dropped, kept, flagged ? " FLAGGED" : "");
    }
}
