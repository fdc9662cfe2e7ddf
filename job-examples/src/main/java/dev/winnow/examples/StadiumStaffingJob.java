package dev.winnow.examples;

import dev.winnow.connectors.camera.CameraSource;
import dev.winnow.connectors.camera.CameraSpec;
import dev.winnow.connectors.kafka.WinnowKafka;
import dev.winnow.examples.io.Cameras;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.FrameModels;
import dev.winnow.examples.io.KafkaOptions;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.examples.report.StaffingReport;
import dev.winnow.examples.live.LiveStatus;
import dev.winnow.examples.live.ModelStamp;
import dev.winnow.examples.live.ModelSwaps;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import dev.winnow.flink.zone.ZoneConfig;
import dev.winnow.flink.zone.ZoneOccupancy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Stadium staffing: concourse cameras mapped to zones → person counts per frame → per-zone occupancy
 * windows (time-weighted mean, max, overcrowding held for a duration) → staff recommended per window.
 * Writes the counts and the windows as CSV and an HTML report with an occupancy chart per zone.
 */
@Command(name = "stadium-staffing", mixinStandardHelpOptions = true,
        description = "Count people per zone from concourse cameras and recommend staffing per window.")
public final class StadiumStaffingJob implements Callable<Integer> {
    @Option(names = "--camera", description = "id=folder|video|url (repeatable; default: the bundled sample cameras)")
    List<String> cameras = new ArrayList<>();

    @Option(names = "--zones", description = "zone file (camera → zone, capacity, people per staff, window); default: the sample's")
    Path zones;

    @Option(names = "--model", defaultValue = "bundled", description = "bundled, a .wnm path, or name@alias with --registry (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--registry", description = "registry directory or URL: follow --model's alias as it moves")
    String registry;

    @Option(names = "--camera-alias", paramLabel = "camera=alias", description = "with --registry: this camera follows its own alias of --model's model "
            + "(repeatable; e.g. cam7=cam7); other cameras follow --model's alias. A camera whose alias does not exist stays on --model's, with one warning")
    List<String> cameraAliases = new ArrayList<>();

    @Option(names = "--fps", defaultValue = "0", description = "replay rate of folder cameras; 0 = as fast as possible")
    double fps;

    @Option(names = "--event-fps", defaultValue = "2", description = "frame rate of the replayed folders' event-time clock (default: ${DEFAULT-VALUE})")
    double eventFps;

    @Option(names = "--out", defaultValue = "reports/stadium-staffing", description = "output directory (its previous outputs are replaced) or file system URI (s3://, hdfs://); default: ${DEFAULT-VALUE}")
    String out;

    @Option(names = "--parallelism", defaultValue = "2") int parallelism;

    @Option(names = "--status", description = "print a one-line status of the cameras this often (ISO-8601 duration; "
            + "default PT30S when a camera is a live stream or Kafka is read unbounded, else none; PT0S = none)")
    Duration status;

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--frames-topic", description = "read CameraFrame records from this Kafka topic instead of --camera")
    String framesTopic;

    @Option(names = "--counts-topic", description = "also write ZoneCount records to this Kafka topic (exactly once)")
    String countsTopic;

    @Override
    public Integer call() throws Exception {
        if (cameras.isEmpty() && framesTopic == null) {
            Path samples = Samples.dir().resolve("frames");
            cameras = List.of("north-1=" + samples.resolve("concourse/north-1"), "north-2=" + samples.resolve("concourse/north-2"),
                    "south-1=" + samples.resolve("concourse/south-1"));
            if (zones == null) zones = samples.resolve("concourse/zones.properties");
        }
        if (zones == null) throw new IllegalArgumentException("--zones is required with --camera or --frames-topic");
        ZoneConfig config = ZoneFile.read(zones);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        build(env, config);
        long t0 = System.nanoTime();
        env.execute("winnow stadium-staffing");
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path local = OutputDir.of(out).local();
        if (local == null) {
            System.out.printf(Locale.ROOT, "stadium-staffing finished in %.1f s; outputs in %s (reports are written for local output directories)%n", seconds, out);
            return 0;
        }
        StaffingReport report = StaffingReport.read(local, config);
        System.out.printf(Locale.ROOT, "stadium-staffing: %d frames from %d cameras in %.1f s%n", report.frames(), cameras.size(), seconds);
        System.out.print(report.summary());
        report.writeHtml(local.resolve("report.html"));
        System.out.println("report: " + local.resolve("report.html"));
        return 0;
    }

    /** --status, or its default: 30 s when a camera is live (a stream URL) or Kafka is read unbounded. */
    Duration statusPeriod() {
        if (status != null) return status.isZero() ? null : status;
        boolean live = framesTopic != null ? !kafka.bounded : cameras.stream().anyMatch(Cameras::isLive);
        return live ? Duration.ofSeconds(30) : null;
    }

    void build(StreamExecutionEnvironment env, ZoneConfig config) throws Exception {
        env.enableCheckpointing(2_000);
        OutputDir output = OutputDir.of(out);
        output.clearLocal("counts", "received", "zones", "report.html");
        kafka.require("--frames-topic", framesTopic);
        kafka.require("--counts-topic", countsTopic);
        long start = SecurityRetentionJob.SAMPLE_START;
        WatermarkStrategy<Frame> watermarks = WatermarkStrategy.<Frame>forBoundedOutOfOrderness(Duration.ofSeconds(1)).withTimestampAssigner((f, t) -> f.timestampMillis);
        DataStream<Frame> frames;
        FeedStop stop = registry != null ? FeedStop.create() : null;
        if (framesTopic != null) {
            frames = env.fromSource(FrameModels.watched(kafka.bound(WinnowKafka.frameSource(kafka.bootstrap, framesTopic, kafka.group)).build(), stop),
                    watermarks, "kafka " + framesTopic)
                    .uid("cameras").filter(f -> config.covers(f.cameraId)).name("cameras in a zone");
        } else {
            List<CameraSpec<?>> specs = new ArrayList<>();
            for (String c : cameras) {
                CameraSpec<?> spec = Cameras.parse(c, fps, eventFps, start, 320, 240);
                if (!config.covers(spec.id())) throw new IllegalArgumentException("camera " + spec.id() + " is in no zone of " + zones);
                specs.add(spec);
            }
            frames = env.fromSource(FrameModels.watched(CameraSource.of(specs), stop), watermarks, "cameras").uid("cameras");
        }
        // every frame that reached the scorer, so the summary can count the ones it dropped (malformed, oversized)
        frames.sinkTo(CsvFiles.sink(output, "received", f -> f.cameraId + "," + f.seq, f -> f.timestampMillis)).name("received csv").uid("received-csv");
        DataStream<ScoredFrame> scored = FrameModels.score(env, frames, model, registry, stop, cameraAliases);
        DataStream<ModelStamp> stamps = FrameModels.stamps(scored);
        ModelSwaps.log(stamps, "camera");
        Duration every = statusPeriod();
        if (every != null) LiveStatus.log(stamps, every, "frames");
        DataStream<Verdict> counts = scored.map(s -> s.verdict).name("counts").uid("counts");
        counts.sinkTo(CsvFiles.sink(output, "counts",
                v -> String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%d,%s", v.cameraId, v.seq, v.timestampMillis, v.count, v.score, v.modelVersion, v.modelName), v -> v.timestampMillis))
                .name("counts csv").uid("counts-csv");
        DataStream<ZoneCount> windows = counts.keyBy(v -> config.zoneOf(v.cameraId)).process(new ZoneOccupancy(config)).name("zone occupancy").uid("zone-occupancy");
        windows.sinkTo(CsvFiles.sink(output, "zones", StaffingReport::windowLine, c -> c.windowStartMillis)).name("zones csv").uid("zones-csv");
        if (countsTopic != null) {
            windows.sinkTo(WinnowKafka.zoneCountSink(kafka.bootstrap, countsTopic).exactlyOnce(kafka.transactions("stadium-staffing", "counts")).build())
                    .name("kafka " + countsTopic).uid("counts-kafka");
        }
    }
}
