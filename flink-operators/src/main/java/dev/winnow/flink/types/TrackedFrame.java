package dev.winnow.flink.types;

import java.util.Arrays;

/** The confirmed person tracks of one camera frame: ids and their Kalman-filtered boxes. */
public class TrackedFrame {
    public String cameraId;
    public long seq;
    public long timestampMillis;
    /** Ids (per camera, from 1) of the confirmed tracks matched in this frame, ascending. */
    public long[] trackIds = new long[0];
    /** Top-left (x, y, w, h) in frame pixels per track, in the order of {@link #trackIds}. */
    public float[] boxes = new float[0];
    /** Confirmed tracks alive, including those unseen in this frame but within their allowed misses. */
    public int alive;

    public TrackedFrame() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrackedFrame)) return false;
        TrackedFrame t = (TrackedFrame) o;
        return seq == t.seq && timestampMillis == t.timestampMillis && alive == t.alive && cameraId.equals(t.cameraId)
                && Arrays.equals(trackIds, t.trackIds) && Arrays.equals(boxes, t.boxes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + cameraId.hashCode();
    }

    @Override
    public String toString() {
        return "TrackedFrame{" + cameraId + "#" + seq + " ids=" + Arrays.toString(trackIds) + " alive=" + alive + "}";
    }
}
