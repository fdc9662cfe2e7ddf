package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import dev.winnow.connectors.camera.FfmpegCamera;
import dev.winnow.connectors.camera.SegmentMarkers;
import dev.winnow.connectors.clips.ClipSink;
import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.sink.RetainedFrameSink;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.FrameLabels;
import dev.winnow.examples.io.CameraOptions;
import dev.winnow.examples.io.CascadeOptions;
import dev.winnow.examples.io.FrameModels;
import dev.winnow.examples.io.KafkaOptions;
import dev.winnow.examples.io.ModelOptions;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.io.RunOptions;
import dev.winnow.examples.report.FrameSummary;
import dev.winnow.examples.report.RetentionReport;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.retention.RetentionConfig;
import dev.winnow.flink.retention.RetentionFilter;
import dev.winnow.flink.retention.SegmentKeeper;
import dev.winnow.flink.types.ClipRequest;
import dev.winnow.flink.types.SegmentDecision;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Security-camera storage reduction, NVR style. Analysis and storage are two paths: for video files
 * and RTSP/HTTP streams one ffmpeg per camera decodes small grey analysis frames for the person
 * detector and stream-copies the camera's own encoded video into short segments (spool directory);
 * RetentionFilter (pre-roll, post-roll, hysteresis, minimum event) turns verdicts into events, the
 * SegmentKeeper picks the segments around each event and the ClipSink joins them into one playable
 * clip per event, {@code camera=<id>/<yyyy-MM-dd>/<HH-mm-ss>_<event>.mp4|.mkv}, with a per-camera
 * {@code index.csv}, exactly once. Also writes verdicts, kept frame ids, events and segment decisions
 * as CSV, then a report: video bytes kept against the camera's encoded bytes, events, clips, and
 * person-frame recall where a person labelled frames. Image-folder cameras have no encoded stream;
 * {@code --keep-frames} writes their kept frames as before (for training-data capture).
 */
@Command(name = "security-retention", mixinStandardHelpOptions = true,
        description = "Keep only the frames with people in them (with pre/post roll) and report the storage saved.")
public final class SecurityRetentionJob implements Callable<Integer> {
    @Mixin CameraOptions camera = new CameraOptions(5);
    @Mixin ModelOptions model = new ModelOptions();
    @Mixin RunOptions run = new RunOptions("reports/security-retention", 2);

    @Option(names = "--labels", description = "CSV camera,seq,count of hand-counted frames, for recall (default with the sample: its labels)")
    Path labels;

    @Option(names = "--enter", defaultValue = "0.6", description = "person score at which an event opens (default: ${DEFAULT-VALUE})")
    float enter;
    @Option(names = "--exit", defaultValue = "0.4", description = "an open event stays open while the person score stays at or above this "
            + "(hysteresis; at most --enter) (default: ${DEFAULT-VALUE})")
    float exit;
    @Option(names = "--pre-roll", defaultValue = "PT2S", description = "kept before an event's first detection (ISO-8601 duration; default: ${DEFAULT-VALUE})")
    Duration preRoll;
    @Option(names = "--post-roll", defaultValue = "PT2S", description = "kept after an event's last frame at or above --exit "
            + "(ISO-8601 duration; default: ${DEFAULT-VALUE})")
    Duration postRoll;
    @Option(names = "--min-event", defaultValue = "PT0.4S", description = "detections must persist this long to open an event "
            + "(ISO-8601 duration; default: ${DEFAULT-VALUE})")
    Duration minEvent;

    @Option(names = "--segment", defaultValue = "PT0S", description = "recorded segment length, cut at the next keyframe; PT0S = one GOP per segment, "
            + "so clips start at the keyframe before the pre-roll and end at the first keyframe after the post-roll (default: ${DEFAULT-VALUE})")
    Duration segment;

    @Option(names = "--keep", description = "delete a camera's clips that ended this long before its newest clip (ISO-8601, e.g. P30D; default: keep all)")
    Duration keep;

    @Option(names = "--max-bytes-per-camera", description = "delete a camera's oldest clips while its clips exceed this many bytes (default: no limit)")
    Long maxBytesPerCamera;

    @Option(names = "--max-frames", description = "end each camera after this many frames (a live stream otherwise runs until the job is stopped)")
    Long maxFrames;

    @Option(names = "--spool", description = "local directory for recorded segments (default: <out>/.spool for a local --out, else the temp dir)")
    Path spool;

    @Option(names = "--keep-frames", description = "also write the kept decoded frames (.wfr, camera=<id>/yyyy-MM-dd--HH under frames/) for training data")
    boolean keepFrames;

    @Mixin KafkaOptions kafka = new KafkaOptions();
    @Mixin CascadeOptions cascade = new CascadeOptions();

    @Option(names = "--events-topic", description = "also write RetentionEvent records to this Kafka topic (exactly once)")
    String eventsTopic;

    @Option(names = "--verdicts-topic", description = "also write every scored frame's Verdict to this Kafka topic (exactly once)")
    String verdictsTopic;

    static final long SAMPLE_START = 1_700_000_000_000L;

    /** What {@link #build} read from --labels, for the summary. */
    String labelSummary;

    @Override
    public Integer call() throws Exception {
        useSamplesIfNoCamera();
        RunOptions.Finished done = run.run("security-retention", this::build);
        if (done.local() == null) return 0;
        RetentionReport.writeMergedIndex(done.local());
        RetentionReport report = RetentionReport.read(done.local(), retention());
        System.out.print(report.summary(done.seconds()));
        System.out.print(FrameSummary.read(done.local(), model.label()).lines());
        if (labelSummary != null) System.out.println(labelSummary);
        report.writeHtml(done.reportPage());
        System.out.println("report: " + done.reportPage());
        return 0;
    }

    /**
     * Without --camera (and --frames-topic), the bundled sample's three cameras, with its hand labels
     * unless --labels names others: what a bare {@code security-retention} runs, and what the tests run.
     * Called on the parsing thread, before {@link #build}.
     */
    void useSamplesIfNoCamera() {
        if (!camera.none()) return;
        Path samples = Samples.dir().resolve("frames");
        camera.cameras = List.of("plaza=" + samples.resolve("plaza"), "garden=" + samples.resolve("garden"), "skyline=" + samples.resolve("skyline"));
        if (labels == null) labels = samples.resolve("labels.csv");
    }

    RetentionConfig retention() {
        return RetentionConfig.builder().enterThreshold(enter).exitThreshold(exit).preRollMillis(preRoll.toMillis())
                .postRollMillis(postRoll.toMillis()).minEventMillis(minEvent.toMillis()).build();
    }

    /** The job graph, for {@link #call} and tests. */
    void build(StreamExecutionEnvironment env) throws Exception {
        OutputDir output = run.begin(env, "verdicts", "received", "camera-status", "kept", "events", "segments", "frames", "retained", "report.html", "index.csv", ".spool");
        output.clearLocalMatching("camera=");
        Path spoolDir = spool != null ? spool : output.local() != null ? output.local().resolve(".spool")
                : Path.of(System.getProperty("java.io.tmpdir"), "winnow-spool");
        kafka.require("--events-topic", eventsTopic);
        kafka.require("--verdicts-topic", verdictsTopic);
        kafka.requireReachable();
        WatermarkStrategy<Frame> watermarks = WatermarkStrategy.<Frame>forBoundedOutOfOrderness(Duration.ofMillis(500)).withTimestampAssigner((f, t) -> f.timestampMillis);
        FeedStop stop = model.followsRegistry() || cascade.central().enabled() ? FeedStop.create() : null;
        DataStream<Frame> frames = camera.frames(env, kafka, watermarks, stop, SAMPLE_START, true, spec -> {
            if (spec instanceof FfmpegCamera f) f.record(spoolDir, segment);
            if (maxFrames != null) spec.maxFrames(maxFrames);
        });
        SingleOutputStreamOperator<Frame> split = frames.process(new SegmentMarkers()).name("segment markers").uid("segment-markers");
        split.getSideOutput(SegmentMarkers.STATUS).sinkTo(CsvFiles.sink(output, "camera-status", RetentionReport::statusLine, st -> st.toMillis))
                .name("camera status csv").uid("camera-status-csv");
        frames = split;
        if (labels != null) {
            FrameLabels hand = FrameLabels.read(labels);
            labelSummary = hand.summary(labels);
            frames = frames.map(hand).name("hand labels").uid("labels");
        }
        // every frame that reached the scorer, so the summary can count the ones it dropped (malformed, oversized)
        frames.sinkTo(CsvFiles.sink(output, "received", f -> f.cameraId + "," + f.seq, f -> f.timestampMillis)).name("received csv").uid("received-csv");
        DataStream<ScoredFrame> scored = FrameModels.score(env, frames, model.model, model.connection(), stop, cascade.withKafka(kafka), camera.cameraAliases);
        camera.logServing(scored, kafka);
        scored.sinkTo(CsvFiles.sink(output, "verdicts", RetentionReport::verdictLine, s -> s.frame.timestampMillis)).name("verdicts csv").uid("verdicts-csv");
        if (verdictsTopic != null) {
            DataStream<Verdict> verdicts = scored.map(s -> s.verdict).returns(Verdict.class).name("verdicts").uid("verdicts");
            kafka.exactlyOnce(verdicts, verdictsTopic, AvroFormat.VERDICT, "security-retention", "verdicts");
        }
        SingleOutputStreamOperator<ScoredFrame> kept = scored.keyBy(s -> s.frame.cameraId).process(new RetentionFilter(retention())).name("retention").uid("retention");
        if (keepFrames) {
            kept.map(s -> s.frame).uid("kept-frames").sinkTo(RetainedFrameSink.builder(output.flink("frames")).build())
                    .name("retained frames").uid("retained-frames");
        }
        SingleOutputStreamOperator<ClipRequest> clips = split.getSideOutput(SegmentMarkers.SEGMENTS).keyBy(s -> s.cameraId)
                .connect(kept.getSideOutput(RetentionFilter.LIFECYCLE).keyBy(e -> e.cameraId))
                .process(new SegmentKeeper(retention())).name("segment keeper").uid("segment-keeper");
        clips.sinkTo(ClipSink.builder(output.flinkRoot()).workDir(spoolDir)
                        .retention(keep, maxBytesPerCamera == null ? Long.MAX_VALUE : maxBytesPerCamera).build()).name("clips").uid("clips");
        clips.getSideOutput(SegmentKeeper.DECISIONS).sinkTo(CsvFiles.sink(output, "segments", RetentionReport::segmentLine, d -> d.startMillis))
                .name("segments csv").uid("segments-csv");
        kept.sinkTo(CsvFiles.sink(output, "kept", s -> s.frame.cameraId + "," + s.frame.seq, s -> s.frame.timestampMillis)).name("kept csv").uid("kept-csv");
        kept.getSideOutput(RetentionFilter.EVENTS).sinkTo(CsvFiles.sink(output, "events", RetentionReport::eventLine, e -> e.startMillis))
                .name("events csv").uid("events-csv");
        if (eventsTopic != null) {
            kafka.exactlyOnce(kept.getSideOutput(RetentionFilter.EVENTS), eventsTopic, AvroFormat.RETENTION_EVENT, "security-retention", "events");
        }
    }
}
