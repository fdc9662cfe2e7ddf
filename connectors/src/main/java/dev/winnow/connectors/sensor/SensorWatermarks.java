package dev.winnow.connectors.sensor;

import dev.winnow.flink.types.SensorReading;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time of sensor readings: their own timestamps, with a bounded out-of-orderness. */
public final class SensorWatermarks {
    private SensorWatermarks() {}

    /**
     * Watermarks trail the largest timestamp seen by {@code maxOutOfOrderness}: a reading at most
     * that much older than one already seen is still on time. An idle source (an MQTT topic gone
     * quiet) is marked idle after {@code idleness} so it does not hold back the others; null for never.
     */
    public static WatermarkStrategy<SensorReading> boundedOutOfOrderness(Duration maxOutOfOrderness, Duration idleness) {
        WatermarkStrategy<SensorReading> w = WatermarkStrategy.<SensorReading>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((r, previous) -> r.timestampMillis);
        return idleness == null ? w : w.withIdleness(idleness);
    }

    public static WatermarkStrategy<SensorReading> boundedOutOfOrderness(Duration maxOutOfOrderness) {
        return boundedOutOfOrderness(maxOutOfOrderness, null);
    }

    /**
     * {@code d}, refused when it cannot bound a source's out-of-orderness: a negative bound would put
     * the watermark ahead of readings not yet seen. The one rule of the sensor sources' builders (CSV
     * and MQTT); any thread.
     */
    public static Duration checkOutOfOrderness(Duration d) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException("negative out-of-orderness: " + d);
        return d;
    }
}
