package dev.winnow.flink.types;

import java.util.Objects;

/**
 * One piece of a camera's own encoded stream, cut by stream copy (no re-encode) at a keyframe: its
 * file in the recorder's spool directory, the event time it covers and its size. A Flink POJO.
 */
public class Segment {
    public String cameraId;
    /** The segment's file, an absolute local path in the spool directory. */
    public String path;
    /** Event time of the segment's first frame (a keyframe), epoch milliseconds. */
    public long startMillis;
    /** Event time where the next segment starts, epoch milliseconds. */
    public long endMillis;
    public long bytes;

    public Segment() {}

    public Segment(String cameraId, String path, long startMillis, long endMillis, long bytes) {
        this.cameraId = cameraId;
        this.path = path;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.bytes = bytes;
    }

    public boolean overlaps(long from, long to) {
        return startMillis < to && endMillis > from;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && Objects.equals(cameraId, s.cameraId) && Objects.equals(path, s.path)
                && startMillis == s.startMillis && endMillis == s.endMillis && bytes == s.bytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, path, startMillis);
    }

    @Override
    public String toString() {
        return "Segment{" + cameraId + " [" + startMillis + "," + endMillis + ") " + bytes + " B " + path + "}";
    }
}
