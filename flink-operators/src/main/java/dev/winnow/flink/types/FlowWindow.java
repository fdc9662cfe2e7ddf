package dev.winnow.flink.types;

/**
 * One camera's gate line or zone over one window: crossings in and out of a line, or the dwell times
 * of the tracks that left a zone in the window (p50/p90 by nearest rank) and whether its p90 passed
 * the queue alert threshold.
 */
public class FlowWindow {
    public static final String LINE = "line", ZONE = "zone";

    public String cameraId;
    public String kind;
    public String name;
    public long windowStartMillis;
    public long windowEndMillis;
    public int in;
    public int out;
    public int dwells;
    public double dwellP50Seconds;
    public double dwellP90Seconds;
    public boolean queueAlert;

    public FlowWindow() {}

    @Override
    public String toString() {
        return "FlowWindow{" + cameraId + " " + kind + " " + name + " [" + windowStartMillis + "," + windowEndMillis + ") in=" + in + " out=" + out
                + " dwells=" + dwells + " p50=" + dwellP50Seconds + " p90=" + dwellP90Seconds + (queueAlert ? " QUEUE" : "") + "}";
    }
}
