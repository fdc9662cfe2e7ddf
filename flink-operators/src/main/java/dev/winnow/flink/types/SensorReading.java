package dev.winnow.flink.types;

import java.util.Arrays;
import java.util.Objects;

/** One reading of a sensor: one value per channel (axis), at an event time. */
public class SensorReading {
    public String sensorId;
    public long timestampMillis;
    public float[] values;
    /** Ground-truth class when known (sample data); -1 when unknown. */
    public int label = -1;

    public SensorReading() {}

    public SensorReading(String sensorId, long timestampMillis, float[] values) {
        this.sensorId = sensorId;
        this.timestampMillis = timestampMillis;
        this.values = values;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof SensorReading)) return false;
        SensorReading r = (SensorReading) o;
        return timestampMillis == r.timestampMillis && label == r.label
                && Objects.equals(sensorId, r.sensorId) && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sensorId, timestampMillis);
    }

    @Override
    public String toString() {
        return "SensorReading{" + sensorId + " @" + timestampMillis + " " + Arrays.toString(values) + "}";
    }
}
