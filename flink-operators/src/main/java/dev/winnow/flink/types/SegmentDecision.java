package dev.winnow.flink.types;

/**
 * What became of one camera segment: kept in an event's clip ({@code eventId > 0}) or dropped
 * ({@code eventId == 0}). One per segment, emitted when the segment leaves the keeper's state; the
 * sum of their bytes is the camera's encoded bytes, the base of "bytes saved". A Flink POJO.
 */
public class SegmentDecision {
    public String cameraId;
    public long startMillis;
    public long endMillis;
    public long bytes;
    /** The (last) event whose clip holds this segment, or 0 when it was dropped. */
    public long eventId;

    public SegmentDecision() {}

    public SegmentDecision(Segment s, long eventId) {
        this.cameraId = s.cameraId;
        this.startMillis = s.startMillis;
        this.endMillis = s.endMillis;
        this.bytes = s.bytes;
        this.eventId = eventId;
    }

    public boolean kept() {
        return eventId > 0;
    }
}
