package dev.winnow.flink.sensor;

import dev.winnow.flink.types.SensorReading;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for sensor readings: the reading's timestamp, and a watermark {@code outOfOrderness}
 * behind the largest timestamp seen, like Flink's bounded-out-of-orderness strategy, except that a
 * timestamp more than {@code maxAhead} ahead of the clock does not move the watermark. One such reading
 * (a sensor with a wrong clock) would otherwise make every other sensor's readings late;
 * {@link StreamingFastGrnn} sends it to its bad-reading output with the same rule.
 */
public final class ReadingWatermarks implements WatermarkStrategy<SensorReading> {
    private static final long serialVersionUID = 1L;

    private final long outOfOrdernessMillis;
    private final long maxAheadMillis;
    private final boolean everyReading;

    private ReadingWatermarks(Duration outOfOrderness, Duration maxAhead, boolean everyReading) {
        if (outOfOrderness.isNegative()) throw new IllegalArgumentException("out-of-orderness must be >= 0, is " + outOfOrderness);
        if (maxAhead.toMillis() < 1) throw new IllegalArgumentException("maxAhead must be at least 1 ms, is " + maxAhead);
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.maxAheadMillis = maxAhead.toMillis();
        this.everyReading = everyReading;
    }

    /** Watermarks emitted on Flink's periodic interval. */
    public static ReadingWatermarks boundedOutOfOrderness(Duration outOfOrderness, Duration maxAhead) {
        return new ReadingWatermarks(outOfOrderness, maxAhead, false);
    }

    /**
     * Watermarks emitted after every reading that advances them, so what is late no longer depends on
     * when the periodic emission ran (replays and tests); costs a watermark per advancing reading.
     */
    public static ReadingWatermarks boundedOutOfOrdernessPerReading(Duration outOfOrderness, Duration maxAhead) {
        return new ReadingWatermarks(outOfOrderness, maxAhead, true);
    }

    @Override
    public TimestampAssigner<SensorReading> createTimestampAssigner(TimestampAssignerSupplier.Context ctx) {
        return (r, previous) -> r.timestampMillis;
    }

    @Override
    public WatermarkGenerator<SensorReading> createWatermarkGenerator(WatermarkGeneratorSupplier.Context ctx) {
        return new WatermarkGenerator<>() {
            // start so that the first watermark is Long.MIN_VALUE, not an underflow
            private long max = Long.MIN_VALUE + outOfOrdernessMillis + 1;
            private long emitted = Long.MIN_VALUE;

            @Override
            public void onEvent(SensorReading r, long ts, WatermarkOutput out) {
                if (ts - System.currentTimeMillis() > maxAheadMillis) return;
                if (ts > max) {
                    max = ts;
                    if (everyReading) onPeriodicEmit(out);
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput out) {
                long wm = max - outOfOrdernessMillis - 1;
                if (wm > emitted) {
                    emitted = wm;
                    out.emitWatermark(new Watermark(wm));
                }
            }
        };
    }
}
