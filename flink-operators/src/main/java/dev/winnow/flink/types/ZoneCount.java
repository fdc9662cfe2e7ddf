package dev.winnow.flink.types;

/** Occupancy of one zone over one window, with the staffing it calls for. */
public class ZoneCount {
    public String zone;
    public long windowStartMillis;
    public long windowEndMillis;
    public double meanCount;
    public int maxCount;
    public boolean overcrowded;
    public int staffRecommended;
    /** A camera of the zone was silent past the configured time during the window, so the counts miss its floor. */
    public boolean degraded;

    public ZoneCount() {}

    @Override
    public String toString() {
        return "ZoneCount{" + zone + " [" + windowStartMillis + "," + windowEndMillis + ") mean=" + meanCount
                + " max=" + maxCount + " overcrowded=" + overcrowded + " staff=" + staffRecommended + (degraded ? " DEGRADED" : "") + "}";
    }
}
