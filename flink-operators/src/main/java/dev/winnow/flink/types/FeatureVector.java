package dev.winnow.flink.types;

import java.util.Arrays;

/** The features of one window of one sensor's readings (layout: {@code SensorFeatures}). */
public class FeatureVector {
    public String sensorId;
    public long windowStartMillis;
    public long windowEndMillis;
    public int readings;
    public float[] features;
    /** Most frequent reading label in the window when labels are known; -1 otherwise. */
    public int label = -1;

    public FeatureVector() {}

    @Override
    public String toString() {
        return "FeatureVector{" + sensorId + " [" + windowStartMillis + "," + windowEndMillis + "] n=" + readings + " "
                + Arrays.toString(features) + "}";
    }
}
