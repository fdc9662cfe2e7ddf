package dev.winnow.flink.types;

import java.util.Arrays;

/**
 * What a streaming recurrent model says about one sensor at one moment of event time: after every
 * k-th reading ({@code windowStartMillis} is -1, {@code timestampMillis} is that reading's), or at
 * the end of an event-time window ({@code timestampMillis} is the window's last millisecond).
 */
public class SensorPrediction {
    public String sensorId;
    public long timestampMillis;
    /** Start of the event-time window [start, end) this prediction closes; -1 for an every-k prediction. */
    public long windowStartMillis = -1;
    public long windowEndMillis = -1;
    /** Readings the sensor's state has taken in so far. */
    public long readings;
    public int classIndex;
    public String label;
    public float score;
    /** Every class's score, in the model's label order. */
    public float[] scores;
    public String modelName;
    public int modelVersion;

    public SensorPrediction() {}

    public boolean isWindow() {
        return windowStartMillis >= 0;
    }

    @Override
    public String toString() {
        return "SensorPrediction{" + sensorId + " @" + timestampMillis + (isWindow() ? " [" + windowStartMillis + "," + windowEndMillis + ")" : "")
                + " after " + readings + " " + label + " " + Arrays.toString(scores) + " " + modelName + ":" + modelVersion + "}";
    }
}
