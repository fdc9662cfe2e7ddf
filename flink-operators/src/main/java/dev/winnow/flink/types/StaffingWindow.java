package dev.winnow.flink.types;

/**
 * One line of the staffing schedule: a zone over one window, its occupancy (time-weighted mean and
 * max), people in and out through its gate lines, the largest dwell p90 of its dwell polygons, the
 * staff the zone's rule recommends, and whether a camera of the zone was silent (degraded).
 */
public class StaffingWindow {
    public String zone;
    public long windowStartMillis;
    public long windowEndMillis;
    public double occupancyMean;
    public int occupancyMax;
    public int inflow;
    public int outflow;
    public double dwellP90Seconds;
    public int staff;
    public boolean degraded;

    public StaffingWindow() {}

    @Override
    public String toString() {
        return "StaffingWindow{" + zone + " [" + windowStartMillis + "," + windowEndMillis + ") mean=" + occupancyMean + " max=" + occupancyMax
                + " in=" + inflow + " out=" + outflow + " p90=" + dwellP90Seconds + " staff=" + staff + (degraded ? " DEGRADED" : "") + "}";
    }
}
