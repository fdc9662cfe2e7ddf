package dev.winnow.examples;

import dev.winnow.connectors.sensor.CsvSensorSource;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.FrameModels;
import dev.winnow.examples.io.RegistryTrustOptions;
import dev.winnow.examples.io.SensorGroupOptions;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.sensor.PerGroupFastGrnn;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryClient;
import dev.winnow.runtime.Model;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.io.RunOptions;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.sensor.ReadingWatermarks;
import dev.winnow.flink.sensor.StreamingFastGrnn;
import dev.winnow.flink.types.RejectedReading;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.flink.types.SilentSensor;
import dev.winnow.runtime.stream.FastGrnnStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sensor states: readings → per-sensor FastGRNN state advanced one reading at a time in keyed state
 * ({@link StreamingFastGrnn}) → a prediction every k readings and/or per event-time window; late
 * and bad readings and silent sensors are written beside the predictions. With {@code --registry} the
 * model follows a registry alias and each sensor group may follow its own ({@link PerGroupFastGrnn}).
 * For example, on the NOAA Seattle series ({@code scripts/samples/train-weather-grnn.sh} writes the
 * readings and the model):
 * <pre>winnow sensor-states --readings data/sensors/seattle-weather-readings.csv --labelled
 *     --model data/sensors/seattle-weather-grnn.wnm --every 1</pre>
 */
@Command(name = "sensor-states", mixinStandardHelpOptions = true,
        description = "Carry each sensor's FastGRNN state through its readings and predict as they come.")
public final class SensorStatesJob implements Callable<Integer> {
    @Option(names = "--readings", required = true, description = "CSV files sensorId,timestampMillis,value…[,label]")
    List<Path> readings;

    @Option(names = "--labelled", description = "the last CSV column is a label")
    boolean labelled;

    @Option(names = "--model", required = true, description = "a FastGRNN artifact (.wnm) whose graph is one fastgrnn node, or name@alias with --registry")
    String model;

    @Option(names = "--registry", description = "registry directory or URL: follow --model's alias (and --group-alias's) as they move; "
            + "predictions every --every readings (no --window or --silence)")
    String registry;

    @Mixin RegistryTrustOptions trust = new RegistryTrustOptions();

    @Mixin SensorGroupOptions groups = new SensorGroupOptions();

    @Option(names = "--every", defaultValue = "1", description = "a prediction after every k-th reading of a sensor, 0 for none (default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--window", description = "also a prediction per tumbling event-time window of this length (ISO-8601, e.g. PT1M)")
    Duration window;

    @Option(names = "--out-of-order", defaultValue = "PT5S", description = "how far readings may arrive out of event-time order (default: ${DEFAULT-VALUE})")
    Duration outOfOrder;

    @Option(names = "--lateness", defaultValue = "PT0S", description = "how far behind the watermark a reading is still applied (default: ${DEFAULT-VALUE})")
    Duration lateness;

    @Option(names = "--silence", description = "report a sensor with no reading for this span of event time")
    Duration silence;

    @Option(names = "--max-ahead", defaultValue = "PT5M", description = "a timestamp further ahead of the clock is a bad reading (default: ${DEFAULT-VALUE})")
    Duration maxAhead;

    @Mixin RunOptions run = new RunOptions("reports/sensor-states", 2);

    @Override
    public Integer call() throws Exception {
        RunOptions.Finished done = run.run("sensor-states", this::build);
        if (done.local() == null) return 0;
        System.out.printf(Locale.ROOT, "sensor-states: %d predictions, %d late, %d bad readings, %d silent sensors in %.1f s; outputs in %s%n",
                CsvFiles.read(done.local().resolve("predictions")).size(), CsvFiles.read(done.local().resolve("late")).size(),
                CsvFiles.read(done.local().resolve("bad")).size(), CsvFiles.read(done.local().resolve("silent")).size(), done.seconds(), done.local());
        return 0;
    }

    void build(StreamExecutionEnvironment env) throws Exception {
        OutputDir output = run.begin(env, "predictions", "late", "bad", "silent");
        for (Path p : readings) if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no readings file " + p);
        // before any source is built: --registry without --trust or --allow-unsigned stops here, in one line
        RegistryConnection conn = trust.connection(registry);
        groups.check(conn != null);
        if (conn != null && (window != null || silence != null)) throw new IllegalArgumentException("--window and --silence do not apply to --registry");
        int at = model.indexOf('@');
        if (conn != null && at <= 0) throw new IllegalArgumentException("with --registry, --model must be name@alias, got " + model);
        FeedStop stop = conn != null ? FeedStop.create() : null;
        ModelSource source = conn == null ? ModelSource.ofPath(Path.of(model), 1) : null;
        int channels = FastGrnnStream.of(conn == null ? source.load() : defaultVersion(conn, model)).channels();
        CsvSensorSource csv = CsvSensorSource.files(readings).labelled(labelled).build();
        // a file replays faster than the periodic watermark interval: a watermark per reading makes what is
        // late and which sensor falls silent the same on every run
        // one reader per file: a reader without a file would hold the watermark back until the job ends
        DataStream<SensorReading> rs = env.fromSource(FrameModels.watched(csv, stop), ReadingWatermarks.boundedOutOfOrdernessPerReading(outOfOrder, maxAhead), "readings")
                .setParallelism(Math.max(1, Math.min(readings.size(), env.getParallelism()))).uid("readings");
        SingleOutputStreamOperator<SensorPrediction> predictions;
        if (conn == null) {
            StreamingFastGrnn.Builder b = StreamingFastGrnn.builder(source).channels(channels).everyReadings(every).allowedLateness(lateness).maxAhead(maxAhead);
            if (window != null) b.window(window);
            if (silence != null) b.silenceAfter(silence);
            predictions = b.build().applyTo(rs, "fastgrnn");
        } else {
            PerGroupFastGrnn grnn = PerGroupFastGrnn.builder(conn, model).groups(groups.groups()).groupAliases(groups.aliases()).channels(channels).everyReadings(every).maxAhead(maxAhead).build();
            RegistryFeedSource.Builder feed = RegistryFeedSource.builder(conn).model(grnn.modelName()).stopWhen(stop);
            var updates = feed.build().stream(env).broadcast(SwappableModel.VERSIONS);
            predictions = rs.keyBy(r -> r.sensorId == null ? "" : r.sensorId).connect(updates).process(grnn).uid("fastgrnn").name("fastgrnn per group " + model);
        }
        predictions.sinkTo(CsvFiles.sink(output, "predictions", p -> String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%s,%.4f,%s,%d",
                p.sensorId, p.timestampMillis, p.windowStartMillis, p.windowEndMillis, p.readings, p.label, p.score, p.modelName, p.modelVersion),
                p -> p.timestampMillis)).name("predictions csv").uid("predictions-csv");
        rejected(predictions.getSideOutput(StreamingFastGrnn.LATE), output, "late");
        rejected(predictions.getSideOutput(StreamingFastGrnn.BAD), output, "bad");
        DataStream<SilentSensor> silent = predictions.getSideOutput(StreamingFastGrnn.SILENT);
        silent.sinkTo(CsvFiles.sink(output, "silent", s -> s.sensorId + "," + s.lastReadingMillis + "," + s.silentSinceMillis + "," + s.watermarkMillis,
                s -> s.silentSinceMillis)).name("silent csv").uid("silent-csv");
    }

    /** The version --model's alias points at now: its input width is the job's channel count. */
    private static Model defaultVersion(RegistryConnection conn, String modelRef) throws Exception {
        try (RegistryClient client = conn.open()) {
            ModelVersion v = client.resolve(modelRef);
            return Model.load(client.fetch(v));
        }
    }

    private static void rejected(DataStream<RejectedReading> rs, OutputDir output, String name) {
        // the reason may hold commas; it is the last column, so a reader splits at most that many times
        rs.sinkTo(CsvFiles.sink(output, name, r -> (r.reading.sensorId == null ? "" : r.reading.sensorId) + "," + r.reading.timestampMillis + ","
                + r.kind + "," + r.reason, r -> r.reading.timestampMillis)).name(name + " csv").uid(name + "-csv");
    }
}
