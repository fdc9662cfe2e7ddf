package dev.winnow.flink.types;

import java.util.Arrays;
import java.util.Objects;

/**
 * One camera frame as it travels through a job. A Flink POJO: public fields and a no-argument
 * constructor let Flink serialize it without Kryo.
 */
public class Frame {
    public String cameraId;
    /** Position of the frame in its camera's stream, starting at 0. */
    public long seq;
    /** Capture time, epoch milliseconds; the event time of the frame. */
    public long timestampMillis;
    public FrameEncoding encoding;
    public int width;
    public int height;
    public byte[] data;
    /** People in the frame when a label is known (sample data, evaluation); -1 when unknown. */
    public int labelCount = -1;
    /**
     * Set only on a segment marker: a record of a recording camera that announces a finished segment
     * of its encoded stream instead of carrying pixels ({@code encoding} and {@code data} are null).
     */
    public Segment segment;
    /**
     * Set only on a status marker: a record of a recording camera that reports a gap in its live
     * stream or that its input failed ({@code encoding} and {@code data} are null).
     */
    public CameraStatus status;

    public Frame() {}

    public Frame(String cameraId, long seq, long timestampMillis, FrameEncoding encoding,
                 int width, int height, byte[] data) {
        this.cameraId = cameraId;
        this.seq = seq;
        this.timestampMillis = timestampMillis;
        this.encoding = encoding;
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /** A marker for one recorded segment of the camera's encoded stream. */
    public static Frame segmentMarker(Segment s) {
        Frame f = marker(s.cameraId, s.startMillis);
        f.segment = s;
        return f;
    }

    public boolean isSegmentMarker() {
        return segment != null;
    }

    /** A marker for a gap in a camera's live stream or the failure of its input. */
    public static Frame statusMarker(CameraStatus s) {
        Frame f = marker(s.cameraId, s.toMillis);
        f.status = s;
        return f;
    }

    /** A record of the camera's stream that is not a frame: no sequence number, no pixels. */
    private static Frame marker(String cameraId, long timestampMillis) {
        Frame f = new Frame();
        f.cameraId = cameraId;
        f.seq = -1;
        f.timestampMillis = timestampMillis;
        return f;
    }

    public boolean isStatusMarker() {
        return status != null;
    }

    public int sizeBytes() {
        return data == null ? 0 : data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && seq == f.seq && timestampMillis == f.timestampMillis && width == f.width
                && height == f.height && labelCount == f.labelCount
                && Objects.equals(cameraId, f.cameraId) && encoding == f.encoding && Objects.equals(segment, f.segment)
                && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, seq, timestampMillis);
    }

    @Override
    public String toString() {
        return "Frame{" + cameraId + "#" + seq + " @" + timestampMillis + " " + encoding + " "
                + width + "x" + height + ", " + sizeBytes() + " B}";
    }
}
