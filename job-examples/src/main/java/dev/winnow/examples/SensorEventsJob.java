package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import dev.winnow.examples.io.SensorGroupOptions;
import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.sensor.CsvSensorSource;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.FrameModels;
import dev.winnow.examples.live.LiveStatus;
import dev.winnow.examples.live.ModelStamp;
import dev.winnow.examples.live.ModelSwaps;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.examples.io.KafkaOptions;
import dev.winnow.examples.io.ModelOptions;
import dev.winnow.examples.io.RunOptions;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.report.SensorReport;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.sensor.HotSwapSensorClassifier;
import dev.winnow.flink.sensor.PerGroupSensorClassifier;
import dev.winnow.flink.sensor.SensorClassifier;
import dev.winnow.flink.sensor.SensorFeatureWindow;
import dev.winnow.flink.sensor.SensorFeatures;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.types.SensorReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sensor events: readings → per-sensor sliding count windows → features (mean, std, min, max, RMS,
 * skewness, kurtosis, zero crossings, FFT band energies) → an embedded classifier → only the windows
 * of relevant classes travel on. The bundled sample is real: R's beaver body-temperature series with
 * the activity label, and a ProtoNN trained on it ({@code scripts/samples/train-sensor-model.sh}).
 */
@Command(name = "sensor-events", mixinStandardHelpOptions = true,
        description = "Classify sliding windows of sensor readings and keep only the relevant ones.")
public final class SensorEventsJob implements Callable<Integer> {
    /** The window and features the bundled model was trained on. */
    public static final int WINDOW = 6, SLIDE = 1, CHANNELS = 1, BANDS = 2;
    public static final String BUNDLED_MODEL = "models/beaver-activity.wnm";

    @Option(names = "--readings", description = "CSV files sensorId,timestampMillis,value…[,label] (default: the bundled beaver sample)")
    List<Path> readings;

    @Option(names = "--labelled", description = "the last CSV column is a label (default: true for the sample)")
    Boolean labelled;

    @Mixin ModelOptions model = new ModelOptions();
    @Mixin RunOptions run = new RunOptions("reports/sensor-events", 2);

    @Option(names = "--relevant", defaultValue = "active", split = ",", description = "labels whose windows travel on (default: ${DEFAULT-VALUE})")
    Set<String> relevant;

    @Option(names = "--channels", defaultValue = "" + CHANNELS, description = "values per reading (default: ${DEFAULT-VALUE}, the bundled model's); "
            + "a CSV line with another count is dropped and counted")
    int channels;
    @Option(names = "--bands", defaultValue = "" + BANDS, description = "FFT band energies per channel among the features (default: ${DEFAULT-VALUE})")
    int bands;

    @Option(names = "--window", defaultValue = "" + WINDOW, description = "readings per window (default: ${DEFAULT-VALUE}, what the bundled model was trained on)")
    int window;
    @Option(names = "--slide", defaultValue = "" + SLIDE, description = "readings a window moves by (default: ${DEFAULT-VALUE})")
    int slide;

    @Option(names = "--status", description = "print a one-line status of the sensors this often (ISO-8601 duration; "
            + "default PT30S when Kafka is read unbounded, else none; PT0S = none)")
    Duration status;

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--readings-topic", description = "read SensorReading records from this Kafka topic instead of --readings")
    String readingsTopic;

    @Option(names = "--events-topic", description = "also write SensorEvent records to this Kafka topic (exactly once)")
    String eventsTopic;

    @Mixin SensorGroupOptions groups = new SensorGroupOptions();

    @Override
    public Integer call() throws Exception {
        if ((readings == null || readings.isEmpty()) && readingsTopic == null) {
            readings = List.of(Samples.dir().resolve("sensors/beavers.csv"));
            if (labelled == null) labelled = true;
        }
        RunOptions.Finished done = run.run("sensor-events", this::build);
        if (done.local() == null) return 0;
        SensorReport report = SensorReport.read(done.local(), trainedOn());
        System.out.printf(Locale.ROOT, "sensor-events: %d windows scored in %.1f s%n", report.windows(), done.seconds());
        System.out.print(report.summary());
        report.writeHtml(done.reportPage());
        System.out.println("report: " + done.reportPage());
        return 0;
    }

    /** --model without a registry: the bundled classifier or an artifact. */
    private ModelSource fixedModel() throws java.io.IOException {
        return model.model.equals("bundled") ? ModelSource.ofResource(BUNDLED_MODEL, 1) : ModelSource.ofPath(Path.of(model.model), 1);
    }

    /** The sensors the model was trained on, from its provenance {@code trainedOn}; empty when unknown (a registry model). */
    Set<String> trainedOn() {
        if (model.registry != null) return Set.of();
        try {
            ModelSource source = fixedModel();
            Object t = source.load().metadata().provenance().get("trainedOn");
            return t == null || t.toString().isBlank() ? Set.of() : Set.of(t.toString().split(","));
        } catch (Exception e) {
            return Set.of();
        }
    }

    /** --status, or its default: 30 s when Kafka is read unbounded. */
    Duration statusPeriod() {
        if (status != null) return status.isZero() ? null : status;
        return readingsTopic != null && !kafka.bounded ? Duration.ofSeconds(30) : null;
    }

    void build(StreamExecutionEnvironment env) throws Exception {
        OutputDir output = run.begin(env, "windows", "events", "report.html");
        kafka.require("--readings-topic", readingsTopic);
        kafka.require("--events-topic", eventsTopic);
        groups.check(model.registry != null);
        kafka.requireReachable();
        DataStream<SensorReading> rs;
        // before any source is built: --registry without --trust or --allow-unsigned stops here, in one line
        RegistryConnection registry = model.connection();
        FeedStop stop = model.registry != null ? FeedStop.create() : null;
        if (readingsTopic != null) {
            rs = env.fromSource(FrameModels.watched(kafka.source(readingsTopic, AvroFormat.SENSOR_READING), stop),
                    WatermarkStrategy.<SensorReading>forBoundedOutOfOrderness(Duration.ofSeconds(5)).withTimestampAssigner((r, t) -> r.timestampMillis),
                    "kafka " + readingsTopic).uid("readings");
        } else {
            for (Path p : readings) if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no readings file " + p);
            CsvSensorSource csv = CsvSensorSource.files(readings).values(channels).labelled(Boolean.TRUE.equals(labelled)).build();
            rs = env.fromSource(FrameModels.watched(csv, stop), csv.watermarks(), "readings").uid("readings");
        }
        SensorFeatures features = new SensorFeatures(channels, bands);
        DataStream<FeatureVector> windows = rs.keyBy(r -> r.sensorId).countWindow(window, slide)
                .process(new SensorFeatureWindow<>(features)).name("features").uid("features");
        windows.sinkTo(CsvFiles.sink(output, "windows",
                v -> String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f", v.sensorId, v.windowStartMillis, v.windowEndMillis, v.label, v.features[0]), v -> v.windowEndMillis))
                .name("windows csv").uid("windows-csv");
        DataStream<SensorEvent> events;
        if (model.registry != null) {
            int at = model.model.indexOf('@');
            if (at <= 0) throw new IllegalArgumentException("with --registry, --model must be name@alias, got " + model.model);
            RegistryConnection conn = registry;
            RegistryFeedSource.Builder feed = RegistryFeedSource.builder(conn).model(model.model.substring(0, at));
            if (stop != null) feed.stopWhen(stop);
            var updates = feed.build().stream(env).broadcast(SwappableModel.VERSIONS);
            if (groups.aliases().isEmpty()) {
                events = windows.connect(updates).process(new HotSwapSensorClassifier(conn, model.model.substring(0, at), model.model.substring(at + 1), relevant, false))
                        .name("classifier " + model.model).uid("classifier");
            } else {
                PerGroupSensorClassifier perGroup = PerGroupSensorClassifier.builder(conn, model.model).groups(groups.groups()).groupAliases(groups.aliases())
                        .relevant(relevant).features(features.size()).build();
                // the same uid as the single-alias classifier: its broadcast state (the alias versions) carries over
                events = windows.connect(updates).process(perGroup).name("classifier " + model.model + " per group").uid("classifier");
            }
        } else {
            ModelSource source = fixedModel();
            int width = source.load().input(0).elementCount();
            if (width != features.size()) {
                throw new IllegalArgumentException("the model takes " + width + " features; --channels " + channels + " and --bands " + bands + " give " + features.size());
            }
            events = windows.flatMap(new SensorClassifier(source, relevant)).name("classifier").uid("classifier");
        }
        events.sinkTo(CsvFiles.sink(output, "events",
                e -> String.format(Locale.ROOT, "%s,%d,%d,%s,%.4f,%d,%s", e.sensorId, e.windowStartMillis, e.windowEndMillis, e.label, e.score, e.modelVersion, e.modelName),
                e -> e.windowEndMillis)).name("events csv").uid("events-csv");
        DataStream<ModelStamp> stamps = events.map(e -> new ModelStamp(e.sensorId, e.modelName, e.modelVersion, e.windowEndMillis, true)).name("model stamps").uid("model-stamps");
        ModelSwaps.log(stamps, "sensor");
        Duration every = statusPeriod();
        if (every != null) LiveStatus.log(stamps, every, "events");
        if (eventsTopic != null) {
            kafka.exactlyOnce(events, eventsTopic, AvroFormat.SENSOR_EVENT, "sensor-events", "events");
        }
    }
}
