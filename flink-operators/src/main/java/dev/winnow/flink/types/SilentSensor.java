package dev.winnow.flink.types;

/** A sensor that sent no reading for a configured span of event time. */
public class SilentSensor {
    public String sensorId;
    /** Event time of the sensor's last reading. */
    public long lastReadingMillis;
    /** Event time from which the sensor counts as silent: its last reading plus the configured span. */
    public long silentSinceMillis;
    /** The event-time watermark that revealed the silence. */
    public long watermarkMillis;

    public SilentSensor() {}

    public SilentSensor(String sensorId, long lastReadingMillis, long silentSinceMillis, long watermarkMillis) {
        this.sensorId = sensorId;
        this.lastReadingMillis = lastReadingMillis;
        this.silentSinceMillis = silentSinceMillis;
        this.watermarkMillis = watermarkMillis;
    }

    @Override
    public String toString() {
        return "SilentSensor{" + sensorId + " last @" + lastReadingMillis + ", silent since " + silentSinceMillis + "}";
    }
}
