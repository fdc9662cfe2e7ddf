package dev.winnow.flink.types;

import java.util.Objects;

/**
 * A request to adapt one camera's student (for {@code winnow detector adapt --camera …}): the central
 * job found the camera's estimated recall under the configured floor. Written to the
 * {@code adapt-requests} topic, keyed by camera. A Flink POJO.
 */
public class AdaptRequest {
    public String cameraId;
    /** Frame time of the sample that crossed the floor. */
    public long timestampMillis;
    public double recall;
    public double lower;
    public double upper;
    public double floor;
    public long samples;
    public long misses;
    /** The student model the edge ran when the misses were sampled (name:version). */
    public String studentModel;
    /** Why, in one line. */
    public String reason;

    public AdaptRequest() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptRequest a && timestampMillis == a.timestampMillis && Double.compare(recall, a.recall) == 0 && Double.compare(lower, a.lower) == 0
                && Double.compare(upper, a.upper) == 0 && Double.compare(floor, a.floor) == 0 && samples == a.samples && misses == a.misses
                && Objects.equals(cameraId, a.cameraId) && Objects.equals(studentModel, a.studentModel) && Objects.equals(reason, a.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, timestampMillis);
    }

    @Override
    public String toString() {
        return "AdaptRequest{" + cameraId + ": " + reason + "}";
    }
}
