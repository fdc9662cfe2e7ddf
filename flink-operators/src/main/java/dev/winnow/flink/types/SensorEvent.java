package dev.winnow.flink.types;

/** A window of sensor readings that a model judged relevant. */
public class SensorEvent {
    public String sensorId;
    public long windowStartMillis;
    public long windowEndMillis;
    public int readings;
    public int classIndex;
    public String label;
    public float score;
    public String modelName;
    public int modelVersion;

    public SensorEvent() {}

    @Override
    public String toString() {
        return "SensorEvent{" + sensorId + " [" + windowStartMillis + "," + windowEndMillis + ") " + label
                + " score=" + score + " model=" + modelName + ":" + modelVersion + "}";
    }
}
