package dev.winnow.flink.types;

/** The person events (edge {@link RetentionEvent}s) of one zone's cameras that ended in one window. */
public class ZoneEvents {
    public String zone;
    public long windowStartMillis;
    public long windowEndMillis;
    /** Events of the zone's cameras that ended in the window. */
    public long events;
    /** How many of the zone's cameras had one of them. */
    public int cameras;
    /** The most people any of them saw in one frame. */
    public int peakCount;
    /** Frames the edges kept for them. */
    public long framesKept;

    public ZoneEvents() {}

    @Override
    public String toString() {
        return "ZoneEvents{" + zone + " [" + windowStartMillis + "," + windowEndMillis + ") events=" + events + " cameras=" + cameras
                + " peak=" + peakCount + " kept=" + framesKept + "}";
    }
}
