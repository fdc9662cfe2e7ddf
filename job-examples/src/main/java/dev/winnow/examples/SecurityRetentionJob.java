package dev.winnow.examples;

import dev.winnow.connectors.camera.CameraSource;
import dev.winnow.connectors.camera.CameraSpec;
import dev.winnow.connectors.kafka.WinnowKafka;
import dev.winnow.connectors.sink.RetainedFrameSink;
import dev.winnow.examples.io.Cameras;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.FrameLabels;
import dev.winnow.examples.io.FrameModels;
import dev.winnow.examples.io.KafkaOptions;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.report.RetentionReport;
import dev.winnow.flink.retention.RetentionConfig;
import dev.winnow.flink.retention.RetentionFilter;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Security-camera storage reduction: frames → person detector → NVR-style retention (pre-roll,
 * post-roll, hysteresis) → only the frames around people are written, partitioned by camera and
 * hour. Writes what it decided for every frame, the kept frames' ids and the events as CSV, then a
 * report: frames and bytes in and kept, the share saved, events, and person-frame recall where a
 * person labelled frames.
 */
@Command(name = "security-retention", mixinStandardHelpOptions = true,
        description = "Keep only the frames with people in them (with pre/post roll) and report the storage saved.")
public final class SecurityRetentionJob implements Callable<Integer> {
    @Option(names = "--camera", description = "id=folder|video|url (repeatable; default: the bundled sample cameras)")
    List<String> cameras = new ArrayList<>();

    @Option(names = "--labels", description = "CSV camera,seq,count of hand-counted frames, for recall (default with the sample: its labels)")
    Path labels;

    @Option(names = "--model", defaultValue = "bundled", description = "bundled, a .wnm path, or name@alias with --registry (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--registry", description = "registry directory or URL: follow --model's alias as it moves")
    String registry;

    @Option(names = "--fps", defaultValue = "0", description = "replay rate of folder cameras; 0 = as fast as possible (event time stays 1 frame per 1/event-fps)")
    double fps;

    @Option(names = "--event-fps", defaultValue = "5", description = "frame rate of the replayed folders' event-time clock (default: ${DEFAULT-VALUE})")
    double eventFps;

    @Option(names = "--enter", defaultValue = "0.6") float enter;
    @Option(names = "--exit", defaultValue = "0.4") float exit;
    @Option(names = "--pre-roll", defaultValue = "PT2S", description = "ISO-8601 duration (default: ${DEFAULT-VALUE})") Duration preRoll;
    @Option(names = "--post-roll", defaultValue = "PT2S") Duration postRoll;
    @Option(names = "--min-event", defaultValue = "PT0.4S") Duration minEvent;

    @Option(names = "--out", defaultValue = "reports/security-retention", description = "output directory (its previous outputs are replaced) or file system URI (s3://, hdfs://); default: ${DEFAULT-VALUE}")
    String out;

    @Option(names = "--parallelism", defaultValue = "2") int parallelism;

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--frames-topic", description = "read CameraFrame records from this Kafka topic instead of --camera")
    String framesTopic;

    @Option(names = "--events-topic", description = "also write RetentionEvent records to this Kafka topic (exactly once)")
    String eventsTopic;

    static final long SAMPLE_START = 1_700_000_000_000L;

    @Override
    public Integer call() throws Exception {
        if (cameras.isEmpty() && framesTopic == null) {
            Path samples = Samples.dir().resolve("frames");
            cameras = List.of("plaza=" + samples.resolve("plaza"), "garden=" + samples.resolve("garden"));
            if (labels == null) labels = samples.resolve("labels.csv");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        build(env);
        long t0 = System.nanoTime();
        env.execute("winnow security-retention");
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path local = OutputDir.of(out).local();
        if (local == null) {
            System.out.printf(Locale.ROOT, "security-retention finished in %.1f s; outputs in %s (reports are written for local output directories)%n", seconds, out);
            return 0;
        }
        RetentionReport report = RetentionReport.read(local, retention());
        System.out.print(report.summary(seconds));
        report.writeHtml(local.resolve("report.html"));
        System.out.println("report: " + local.resolve("report.html"));
        return 0;
    }

    RetentionConfig retention() {
        return new RetentionConfig(enter, exit, preRoll.toMillis(), postRoll.toMillis(), minEvent.toMillis());
    }

    /** The job graph, for {@link #call} and tests. */
    void build(StreamExecutionEnvironment env) throws Exception {
        env.enableCheckpointing(2_000);
        OutputDir output = OutputDir.of(out);
        output.clearLocal("verdicts", "kept", "events", "retained", "report.html");
        kafka.require("--frames-topic", framesTopic);
        kafka.require("--events-topic", eventsTopic);
        WatermarkStrategy<Frame> watermarks = WatermarkStrategy.<Frame>forBoundedOutOfOrderness(Duration.ofMillis(500)).withTimestampAssigner((f, t) -> f.timestampMillis);
        DataStream<Frame> frames;
        if (framesTopic != null) {
            frames = env.fromSource(kafka.bound(WinnowKafka.frameSource(kafka.bootstrap, framesTopic, kafka.group)).build(), watermarks, "kafka " + framesTopic).uid("cameras");
        } else {
            List<CameraSpec<?>> specs = new ArrayList<>();
            for (String c : cameras) specs.add(Cameras.parse(c, fps, eventFps, SAMPLE_START, 320, 240));
            frames = env.fromSource(CameraSource.of(specs), watermarks, "cameras").uid("cameras");
        }
        if (labels != null) frames = frames.map(FrameLabels.read(labels)).name("hand labels").uid("labels");
        DataStream<ScoredFrame> scored = FrameModels.score(env, frames, model, registry);
        scored.sinkTo(CsvFiles.sink(output, "verdicts", RetentionReport::verdictLine, s -> s.frame.timestampMillis)).name("verdicts csv").uid("verdicts-csv");
        SingleOutputStreamOperator<ScoredFrame> kept = scored.keyBy(s -> s.frame.cameraId).process(new RetentionFilter(retention())).name("retention").uid("retention");
        kept.map(s -> s.frame).sinkTo(RetainedFrameSink.builder(output.flink("retained")).build())
                .name("retained frames").uid("retained-frames");
        kept.sinkTo(CsvFiles.sink(output, "kept", s -> s.frame.cameraId + "," + s.frame.seq, s -> s.frame.timestampMillis)).name("kept csv").uid("kept-csv");
        kept.getSideOutput(RetentionFilter.EVENTS).sinkTo(CsvFiles.sink(output, "events", RetentionReport::eventLine, e -> e.startMillis))
                .name("events csv").uid("events-csv");
        if (eventsTopic != null) {
            kept.getSideOutput(RetentionFilter.EVENTS).sinkTo(WinnowKafka.retentionEventSink(kafka.bootstrap, eventsTopic)
                    .exactlyOnce(kafka.transactions("security-retention", "events")).build()).name("kafka " + eventsTopic).uid("events-kafka");
        }
    }
}
