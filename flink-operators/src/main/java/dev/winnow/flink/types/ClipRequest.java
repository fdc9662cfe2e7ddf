package dev.winnow.flink.types;

import java.util.ArrayList;
import java.util.List;

/**
 * One event's clip to write: the event and the camera segments that cover it (pre-roll and
 * post-roll included), in time order. A Flink POJO.
 */
public class ClipRequest {
    public RetentionEvent event;
    public List<Segment> segments = new ArrayList<>();

    public ClipRequest() {}

    public ClipRequest(RetentionEvent event, List<Segment> segments) {
        this.event = event;
        this.segments = segments;
    }

    public long segmentBytes() {
        long b = 0;
        for (Segment s : segments) b += s.bytes;
        return b;
    }

    /** Start of the first segment: where the clip begins (a keyframe at or before the event's start). */
    public long clipStartMillis() {
        return segments.isEmpty() ? event.startMillis : segments.get(0).startMillis;
    }

    public long clipEndMillis() {
        return segments.isEmpty() ? event.endMillis : segments.get(segments.size() - 1).endMillis;
    }

    @Override
    public String toString() {
        return "ClipRequest{" + event + ", " + segments.size() + " segments, " + segmentBytes() + " B}";
    }
}
