package dev.winnow.connectors.sensor;

import dev.winnow.connectors.source.StreamSource;
import dev.winnow.flink.types.SensorReading;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Replays CSV files of sensor readings ({@code sensorId,timestampMillis,value1..valueN[,label]}) with
 * event time: one split per file; records carry their timestamps; {@link #watermarks()} trails them
 * by the configured out-of-orderness. Bad lines are counted in {@value #METRIC} and skipped.
 *
 * <pre>{@code
 * CsvSensorSource csv = CsvSensorSource.files(Path.of("beaver1.csv")).values(1).labelled(true)
 *         .maxOutOfOrderness(Duration.ofSeconds(5)).speed(60).build();
 * DataStream<SensorReading> readings = env.fromSource(csv, csv.watermarks(), "beaver");
 * }</pre>
 */
public final class CsvSensorSource extends StreamSource<SensorReading> {
    private static final long serialVersionUID = 1L;
    public static final String METRIC = "malformedLines";

    private final Duration maxOutOfOrderness;

    private CsvSensorSource(List<CsvSensorFile> files, Duration maxOutOfOrderness) {
        super(files, TypeInformation.of(SensorReading.class), METRIC, "CSV line", 1024);
        this.maxOutOfOrderness = maxOutOfOrderness;
    }

    /** Timestamps from the readings, watermarks trailing by the configured out-of-orderness. */
    public WatermarkStrategy<SensorReading> watermarks() {
        return SensorWatermarks.boundedOutOfOrderness(maxOutOfOrderness);
    }

    public static Builder files(Path... files) {
        return new Builder(List.of(files));
    }

    public static Builder files(List<Path> files) {
        return new Builder(files);
    }

    public static final class Builder {
        private final List<Path> files;
        private int values = -1;
        private boolean labelled;
        private double speed;
        private Duration maxOutOfOrderness = Duration.ZERO;

        Builder(List<Path> files) {
            this.files = List.copyOf(files);
        }

        /** Values per line (default: any number). */
        public Builder values(int n) {
            this.values = n;
            return this;
        }

        /** Whether the last column is an integer label (default false). */
        public Builder labelled(boolean labelled) {
            this.labelled = labelled;
            return this;
        }

        /** Replay speed against the timestamps: 1 real time, 10 ten times faster, 0 (default) unpaced. */
        public Builder speed(double speed) {
            this.speed = speed;
            return this;
        }

        public Builder maxOutOfOrderness(Duration d) {
            this.maxOutOfOrderness = SensorWatermarks.checkOutOfOrderness(d);
            return this;
        }

        public CsvSensorSource build() {
            SensorLineFormat format = new SensorLineFormat(values, labelled);
            List<CsvSensorFile> specs = new ArrayList<>();
            for (Path f : files) specs.add(new CsvSensorFile(f, format, speed));
            return new CsvSensorSource(specs, maxOutOfOrderness);
        }
    }
}
