package dev.winnow.flink.types;

import java.util.Arrays;
import java.util.Objects;

/**
 * One frame an edge job asks the central teacher about, as it travels on the teacher topic: either a
 * frame whose student score lay in the unsure band (the edge waits for the answer before it decides
 * the frame) or, with {@link #sample} set, a frame of a random sample of those the edge dropped (no
 * answer is awaited; the central job uses it to estimate the edge's recall). The pixels are the
 * frame's, downscaled at the edge to at most the teacher's input side, so the network carries no more
 * than the teacher uses. A Flink POJO.
 */
public class TeacherRequest {
    public String cameraId;
    public long seq;
    public long timestampMillis;
    public FrameEncoding encoding;
    public int width;
    public int height;
    public byte[] data;
    /** True for a sample of the dropped frames, false for a frame whose decision waits for the answer. */
    public boolean sample;
    /** The student's verdict on the frame: score, count, and the model that gave it. */
    public float studentScore;
    public int studentCount;
    public String studentModel;
    public int studentVersion;
    /**
     * The edge's running totals for this camera when it sent the request: frames the edge dropped
     * without asking the teacher (the population {@link #sample}s are drawn from) and frames it kept
     * as showing a person. The central recall estimate scales the samples by these.
     */
    public long edgeDropped;
    public long edgeKept;

    public TeacherRequest() {}

    /** The pixels as a frame, for the teacher's preprocessing. */
    public Frame frame() {
        return new Frame(cameraId, seq, timestampMillis, encoding, width, height, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TeacherRequest r && seq == r.seq && timestampMillis == r.timestampMillis && width == r.width && height == r.height && sample == r.sample
                && Float.compare(studentScore, r.studentScore) == 0 && studentCount == r.studentCount && studentVersion == r.studentVersion
                && edgeDropped == r.edgeDropped && edgeKept == r.edgeKept && Objects.equals(cameraId, r.cameraId) && encoding == r.encoding
                && Objects.equals(studentModel, r.studentModel) && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, seq, sample);
    }

    @Override
    public String toString() {
        return "TeacherRequest{" + cameraId + "#" + seq + (sample ? " sample" : " band") + " " + encoding + " " + width + "x" + height
                + ", " + (data == null ? 0 : data.length) + " B, student " + studentScore + "/" + studentCount + "}";
    }
}
