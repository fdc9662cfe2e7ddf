package dev.winnow.flink.types;

/** A sensor reading an operator would not use, and why; it touched no state. */
public class RejectedReading {
    /** Why: the reading arrived too late to be applied, or it is malformed. */
    public enum Kind { LATE, BAD }

    public SensorReading reading;
    public Kind kind;
    /** One line naming what was wrong, with the values that made it so. */
    public String reason;
    /** The operator's event-time watermark when the reading arrived (Long.MIN_VALUE before the first). */
    public long watermarkMillis;

    public RejectedReading() {}

    public RejectedReading(SensorReading reading, Kind kind, String reason, long watermarkMillis) {
        this.reading = reading;
        this.kind = kind;
        this.reason = reason;
        this.watermarkMillis = watermarkMillis;
    }

    @Override
    public String toString() {
        return "RejectedReading{" + kind + " " + reading + ": " + reason + "}";
    }
}
