package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.FrameModels;
import dev.winnow.examples.io.CameraOptions;
import dev.winnow.examples.io.FlowOptions;
import dev.winnow.examples.io.KafkaOptions;
import dev.winnow.examples.io.ModelOptions;
import dev.winnow.examples.io.RunOptions;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.examples.dashboard.BoardUpdate;
import dev.winnow.examples.dashboard.DashboardSink;
import dev.winnow.examples.report.StaffingReport;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.track.FlowConfig;
import dev.winnow.flink.track.PersonTracker;
import dev.winnow.flink.track.TrackFlows;
import dev.winnow.flink.track.TrackerConfig;
import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.TrackedFrame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.types.ZoneCount;
import dev.winnow.flink.zone.CountSmoothing;
import dev.winnow.flink.zone.OwnedCount;
import dev.winnow.flink.zone.StaffingSchedule;
import dev.winnow.flink.zone.ZoneConfig;
import dev.winnow.flink.zone.ZoneOccupancy;
import dev.winnow.runtime.stream.TrailingMedian;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Stadium staffing: concourse cameras mapped to zones (a YAML zone file, {@link ZoneFile}) → person
 * counts per frame on the floor each camera owns → per-zone occupancy windows (time-weighted mean, max,
 * overcrowding held for a duration, degraded when a camera falls silent) → a staffing schedule per zone
 * and window (with gate in/out flows and dwell when lines and zones are given) → CSV (schedule.csv),
 * Avro on Kafka, and an HTML report with an occupancy chart per zone and a forecast of the next windows;
 * with {@code --dashboard-port}, a live page of the same windows while the job runs ({@link DashboardSink}).
 */
@Command(name = "stadium-staffing", mixinStandardHelpOptions = true,
        description = "Count people per zone from concourse cameras and recommend staffing per window.")
public final class StadiumStaffingJob implements Callable<Integer> {
    @Mixin CameraOptions camera = new CameraOptions(2);
    @Mixin ModelOptions model = new ModelOptions();
    @Mixin RunOptions run = new RunOptions("reports/stadium-staffing", 2);
    @Mixin KafkaOptions kafka = new KafkaOptions();
    @Mixin FlowOptions flow = new FlowOptions();

    @Option(names = "--zones", description = "zone file, YAML (cameras, zones, owned floor polygons, gate lines, dwell polygons, staffing rule, window); default: the sample's")
    Path zones;

    @Option(names = "--counts-topic", description = "also write ZoneCount records to this Kafka topic (exactly once)")
    String countsTopic;

    @Option(names = "--schedule-topic", description = "also write the staffing schedule as StaffingWindow Avro records to this Kafka topic (exactly once)")
    String scheduleTopic;

    @Option(names = "--dashboard-port", defaultValue = "0", description = "serve a live dashboard (page and /api/zones JSON) on this port while the job runs; 0 = none (default: ${DEFAULT-VALUE})")
    int dashboardPort;

    @Option(names = "--dashboard-host", defaultValue = "127.0.0.1", description = "address the dashboard binds (default: ${DEFAULT-VALUE}; 0.0.0.0 = every interface)")
    String dashboardHost;

    @Option(names = "--count-frames", defaultValue = "17", description = {
            "each camera counts the median of its last N frames' counts, so one frame's miss or double count moves no zone",
            "(17: 1.7 s at 10 frames/s, chosen on the plaza's validation frames; 1 = every frame's own count; 1 to 255) (default: ${DEFAULT-VALUE})"})
    int countFrames;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (camera.none()) {
            Path samples = Samples.dir().resolve("frames");
            camera.cameras = List.of("north-1=" + samples.resolve("concourse/north-1"), "north-2=" + samples.resolve("concourse/north-2"),
                    "south-1=" + samples.resolve("concourse/south-1"));
            if (zones == null) zones = samples.resolve("concourse/zones.yaml");
        }
        if (zones == null) throw new CommandLine.ParameterException(spec.commandLine(), "--zones is required with --camera or --frames-topic");
        String countRefusal = TrailingMedian.refusal(countFrames);
        if (countRefusal != null) throw new CommandLine.ParameterException(spec.commandLine(), "--count-frames " + countFrames + ": " + countRefusal);
        ZoneConfig config;
        try {
            config = ZoneFile.read(zones);
        } catch (ZoneFile.Invalid e) {
            // a usage error: exit code 2 before anything starts
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (dashboardPort != 0) {
            try {
                checkDashboard();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            System.out.println("dashboard: http://" + dashboardHost + ":" + dashboardPort + "/ (while the job runs)");
        }
        RunOptions.Finished done = run.run("stadium-staffing", env -> build(env, config));
        if (done.local() == null) return 0;
        StaffingReport report = StaffingReport.read(done.local(), config);
        System.out.printf(Locale.ROOT, "stadium-staffing: %d frames from %d cameras in %.1f s%n", report.frames(), camera.cameras.size(), done.seconds());
        System.out.print(report.summary());
        System.out.println("schedule: " + report.writeSchedule(done.local()));
        System.out.println(report.forecastSummary());
        report.writeHtml(done.reportPage());
        System.out.println("report: " + done.reportPage());
        return 0;
    }

    void build(StreamExecutionEnvironment env, ZoneConfig config) throws Exception {
        OutputDir output = run.begin(env, "counts", "received", "zones", "tracks", "flows", "schedule", "schedule.csv", "forecast.csv", "report.html");
        // the zone file's gates and dwell polygons (validated with the zones), and any --gate/--dwell-zone,
        // parsed before the job is built so a bad one fails at once
        ZoneFile.Loaded file = zones != null ? ZoneFile.load(zones) : null;
        FlowConfig flows = flow.flows(file) ? flow.config(config.windowMillis, file) : null;
        TrackerConfig trackerConfig = flow.trackerConfig(camera.frameRate());
        for (String c : flow.cameras()) if (!config.covers(c)) throw new IllegalArgumentException("--gate/--dwell-zone camera " + c + " is in no zone of " + zones);
        if (dashboardPort != 0) checkDashboard();
        kafka.require("--counts-topic", countsTopic);
        kafka.require("--schedule-topic", scheduleTopic);
        kafka.requireReachable();
        WatermarkStrategy<Frame> watermarks = WatermarkStrategy.<Frame>forBoundedOutOfOrderness(Duration.ofSeconds(1)).withTimestampAssigner((f, t) -> f.timestampMillis);
        // a live camera that died must not hold the watermark back, or its silence would never come due
        if (config.degradedAfterMillis > 0) watermarks = watermarks.withIdleness(Duration.ofMillis(Math.max(1_000, config.degradedAfterMillis / 2)));
        FeedStop stop = model.followsRegistry() ? FeedStop.create() : null;
        DataStream<Frame> frames = camera.frames(env, kafka, watermarks, stop, SecurityRetentionJob.SAMPLE_START, spec -> {
            if (!config.covers(spec.id())) throw new IllegalArgumentException("camera " + spec.id() + " is in no zone of " + zones);
        });
        // a topic carries every camera's frames: only those of the zones' cameras are counted
        if (camera.framesTopic != null) frames = frames.filter(f -> config.covers(f.cameraId)).name("cameras in a zone").uid("cameras-in-a-zone");
        // every frame that reached the scorer, so the summary can count the ones it dropped (malformed, oversized)
        frames.sinkTo(CsvFiles.sink(output, "received", f -> f.cameraId + "," + f.seq, f -> f.timestampMillis)).name("received csv").uid("received-csv");
        DataStream<ScoredFrame> scored = FrameModels.score(env, frames, model.model, model.connection(), stop, camera.cameraAliases);
        camera.logServing(scored, kafka);
        DataStream<Verdict> counts = scored.map(s -> s.verdict).name("counts").uid("counts");
        counts.sinkTo(CsvFiles.sink(output, "counts",
                v -> String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%d,%s", v.cameraId, v.seq, v.timestampMillis, v.count, v.score, v.modelVersion, v.modelName), v -> v.timestampMillis))
                .name("counts csv").uid("counts-csv");
        // each camera counts only the floor it owns, so overlapping views count nobody twice
        DataStream<Verdict> owned = counts.map(new OwnedCount(config)).name("owned floor").uid("owned-floor");
        DataStream<Verdict> steady = owned.keyBy(v -> v.cameraId).process(new CountSmoothing(countFrames)).name("count median").uid("count-median");
        DataStream<ZoneCount> windows = steady.keyBy(v -> config.zoneOf(v.cameraId)).process(new ZoneOccupancy(config)).name("zone occupancy").uid("zone-occupancy");
        windows.sinkTo(CsvFiles.sink(output, "zones", StaffingReport::windowLine, c -> c.windowStartMillis)).name("zones csv").uid("zones-csv");
        DataStream<FlowWindow> flowWindows = null;
        if (flow.tracking(file)) {
            DataStream<TrackedFrame> tracks = counts.keyBy(v -> v.cameraId).process(new PersonTracker(trackerConfig)).name("tracker").uid("tracker");
            tracks.sinkTo(CsvFiles.sink(output, "tracks", t -> t.cameraId + "," + t.seq + "," + t.timestampMillis + "," + t.alive + ","
                    + java.util.Arrays.stream(t.trackIds).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(" ")), t -> t.timestampMillis))
                    .name("tracks csv").uid("tracks-csv");
            if (flows != null) {
                DataStream<FlowWindow> fw = tracks.keyBy(t -> t.cameraId).process(new TrackFlows(flows)).name("track flows").uid("track-flows");
                fw.sinkTo(CsvFiles.sink(output, "flows", StadiumStaffingJob::flowLine, w -> w.windowStartMillis)).name("flows csv").uid("flows-csv");
                flowWindows = fw;
            }
        }
        DataStream<StaffingWindow> schedule = schedule(windows, flowWindows, config, output);
        if (dashboardPort != 0) dashboard(schedule, flowWindows, counts, config, flow.queueAlert(file).toMillis());
        if (countsTopic != null) {
            kafka.exactlyOnce(windows, countsTopic, AvroFormat.ZONE_COUNT, "stadium-staffing", "counts");
        }
    }

    /** A port out of range or already taken is one line before the job starts. */
    private void checkDashboard() {
        if (dashboardPort < 0 || dashboardPort > 65535) throw new IllegalArgumentException("--dashboard-port must be 1..65535 (0 = no dashboard), is " + dashboardPort);
        DashboardSink.requireFree(dashboardHost, dashboardPort);
    }

    /** The live dashboard, fed from the job's own schedule and flow windows and each camera's frames per window; one subtask holds the port. */
    private void dashboard(DataStream<StaffingWindow> schedule, DataStream<FlowWindow> flowWindows, DataStream<Verdict> counts, ZoneConfig config, long queueAlertMillis) {
        DataStream<BoardUpdate> updates = schedule.map(BoardUpdate::of).name("dashboard windows").uid("dashboard-windows");
        if (flowWindows != null) {
            updates = updates.union(flowWindows.map(f -> BoardUpdate.of(config.zoneOf(f.cameraId), f)).name("dashboard flows").uid("dashboard-flows"));
        }
        // one record per camera and window, so the page can name a silent camera (the zone windows say only "degraded")
        updates = updates.union(counts.keyBy(v -> v.cameraId).process(new dev.winnow.examples.dashboard.CameraPulse(config.windowMillis))
                .name("dashboard cameras").uid("dashboard-cameras"));
        updates.sinkTo(new DashboardSink(config, dashboardHost, dashboardPort, queueAlertMillis)).setParallelism(1).name("dashboard").uid("dashboard");
    }

    private DataStream<StaffingWindow> schedule(DataStream<ZoneCount> windows, DataStream<FlowWindow> flowWindows, ZoneConfig config, OutputDir output) {
        DataStream<FlowWindow> fw = flowWindows != null ? flowWindows
                : windows.flatMap((ZoneCount c, org.apache.flink.util.Collector<FlowWindow> o) -> {}).returns(FlowWindow.class).name("no flows").uid("no-flows");
        DataStream<StaffingWindow> schedule = windows.keyBy(c -> c.zone).connect(fw.keyBy(f -> config.zoneOf(f.cameraId)))
                .process(new StaffingSchedule(config)).name("staffing schedule").uid("staffing-schedule");
        schedule.sinkTo(CsvFiles.sink(output, "schedule", StaffingReport::scheduleLine, s -> s.windowStartMillis)).name("schedule csv").uid("schedule-csv");
        if (scheduleTopic != null) {
            kafka.exactlyOnce(schedule, scheduleTopic, AvroFormat.STAFFING_WINDOW, "stadium-staffing", "schedule");
        }
        return schedule;
    }

    /** camera,kind,name,window_start,window_end,in,out,dwells,dwell_p50_s,dwell_p90_s,queue_alert */
    static String flowLine(FlowWindow w) {
        return String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%d,%d,%.1f,%.1f,%b", w.cameraId, w.kind, w.name, w.windowStartMillis, w.windowEndMillis,
                w.in, w.out, w.dwells, w.dwellP50Seconds, w.dwellP90Seconds, w.queueAlert);
    }
}
