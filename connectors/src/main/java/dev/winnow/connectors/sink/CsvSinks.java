package dev.winnow.connectors.sink;

import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Events and counts to header-free CSV files (columns in {@link CsvRows}) with Flink's FileSink,
 * bucketed by the hour of the record's own time ({@code <base>/yyyy-MM-dd--HH/<name>-<uuid>-<n>.csv},
 * UTC); a part file per checkpoint, visible once the checkpoint completes. For Kafka, use the sinks in
 * {@code WinnowKafka} instead.
 */
public final class CsvSinks {
    private CsvSinks() {}

    public static FileSink<RetentionEvent> retentionEvents(Path base) {
        return sink(base, "retention-events", CsvRows::row, e -> e.startMillis, ZoneOffset.UTC);
    }

    public static FileSink<ZoneCount> zoneCounts(Path base) {
        return sink(base, "zone-counts", CsvRows::row, z -> z.windowStartMillis, ZoneOffset.UTC);
    }

    public static FileSink<SensorEvent> sensorEvents(Path base) {
        return sink(base, "sensor-events", CsvRows::row, e -> e.windowStartMillis, ZoneOffset.UTC);
    }

    public static FileSink<Verdict> verdicts(Path base) {
        return sink(base, "verdicts", CsvRows::row, v -> v.timestampMillis, ZoneOffset.UTC);
    }

    public static FileSink<SensorReading> sensorReadings(Path base) {
        return sink(base, "readings", CsvRows::row, r -> r.timestampMillis, ZoneOffset.UTC);
    }

    /** Any type: its CSV row, its event time for the hour bucket, a file name prefix. */
    public static <T> FileSink<T> sink(Path base, String name, SerializableFunction<T, String> row,
                                       SerializableFunction<T, Long> timestamp, ZoneId zone) {
        return FileSink.forRowFormat(base, CsvRows.encoder(row))
                .withBucketAssigner(EventTimeBuckets.hourly(timestamp, zone))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(name).withPartSuffix(".csv").build())
                .build();
    }
}
