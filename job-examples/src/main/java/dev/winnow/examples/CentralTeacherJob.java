package dev.winnow.examples;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.kafka.WinnowKafka;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.KafkaOptions;
import dev.winnow.examples.io.RunOptions;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.examples.report.CentralReport;
import dev.winnow.examples.report.StaffingReport;
import dev.winnow.flink.central.CentralTeacher;
import dev.winnow.flink.central.InZones;
import dev.winnow.flink.central.RecallMonitor;
import dev.winnow.flink.central.ZoneEventCount;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.flink.types.RecallEstimate;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.TeacherAnswer;
import dev.winnow.flink.types.TeacherRequest;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import dev.winnow.flink.types.ZoneEvents;
import dev.winnow.flink.zone.OwnedCount;
import dev.winnow.flink.zone.ZoneConfig;
import dev.winnow.flink.zone.ZoneOccupancy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The central half of the cascade, for edges that run {@code security-retention --teacher-topic}:
 * reads their requests, runs the teacher ({@link CentralTeacher}), answers the unsure (band) frames
 * on the answers topic, and from the samples of dropped frames estimates each camera's person-frame
 * recall with a 95 % interval ({@link RecallMonitor}): Flink gauges per camera, a {@code recall} CSV
 * and {@code report.html} under {@code --out}, and for a camera under {@code --recall-floor} a log
 * line, a metric and an {@link AdaptRequest} on {@code --adapt-topic} for {@code winnow detector adapt}.
 * Requests the teacher cannot take (no pixels, wrong size) are skipped and counted.
 *
 * <p>With {@code --zones} (stadium-staffing's zone file) it also aggregates across cameras: the edges'
 * verdicts ({@code --edge-verdicts-topic}, each camera counting only the floor it owns) into each zone's
 * occupancy per event-time window ({@link ZoneOccupancy}, as stadium-staffing does on one job), and the
 * edges' person events ({@code --edge-events-topic}) into each zone's events per window
 * ({@link ZoneEventCount}); both to CSV, to Kafka (exactly once) and to the report. Records of
 * cameras in no zone are counted ({@code winnow.outsideZones}) and left out.
 */
@Command(name = "central-teacher", mixinStandardHelpOptions = true,
        description = "Run the teacher for edge cascades over Kafka, and estimate each camera's recall from samples of its dropped frames.")
public final class CentralTeacherJob implements Callable<Integer> {
    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--requests-topic", defaultValue = "teacher-requests", description = "the edges' --teacher-topic (default: ${DEFAULT-VALUE})")
    String requestsTopic;

    @Option(names = "--answers-topic", defaultValue = "teacher-answers", description = "the edges' --teacher-answers-topic (default: ${DEFAULT-VALUE})")
    String answersTopic;

    @Option(names = "--adapt-topic", defaultValue = "adapt-requests", description = "where flagged cameras' adapt requests go (default: ${DEFAULT-VALUE})")
    String adaptTopic;

    @Option(names = "--teacher", defaultValue = "models/teacher/centernet.wnm", description = "teacher artifact (default: ${DEFAULT-VALUE}; "
            + "`winnow teacher label` imports it on first use)")
    Path teacher;

    @Option(names = "--recall-floor", defaultValue = "0.95", description = "flag a camera whose recall is under this (default: ${DEFAULT-VALUE})")
    double floor;

    @Option(names = "--flag-on", defaultValue = "upper", description = "which figure is compared with the floor: upper (the 95 %% interval's "
            + "upper bound: flagged only when the samples show the recall is under the floor) or point (default: ${DEFAULT-VALUE})")
    String flagOn;

    @Option(names = "--zones", description = "zone file (YAML, stadium-staffing's --zones): aggregate the edges' verdicts and events across cameras into its zones")
    Path zones;

    @Option(names = "--edge-verdicts-topic", description = "the edges' --verdicts-topic: people per frame, summed per zone into occupancy windows (needs --zones)")
    String edgeVerdictsTopic;

    @Option(names = "--edge-events-topic", description = "the edges' --events-topic: person events, counted per zone and window (needs --zones)")
    String edgeEventsTopic;

    @Option(names = "--zone-counts-topic", description = "where each zone's occupancy windows go (ZoneCount records, exactly once)")
    String zoneCountsTopic;

    @Option(names = "--zone-events-topic", description = "where each zone's event windows go (ZoneEvents records, exactly once)")
    String zoneEventsTopic;

    @Option(names = "--edge-delay", defaultValue = "PT5S", description = "how far the edges' records may arrive out of time order "
            + "(event-time watermark; also how long a silent topic partition holds the windows back) (default: ${DEFAULT-VALUE})")
    Duration edgeDelay;

    @Mixin RunOptions run = new RunOptions("reports/central-teacher", 1);

    /** Events that ended in a window the watermark had passed: written to {@code zone-events-late}, not counted. */
    static final OutputTag<RetentionEvent> LATE_EVENTS = new OutputTag<>("late-zone-events") {};

    @Override
    public Integer call() throws Exception {
        RunOptions.Finished done = run.run("central-teacher", this::build);
        if (done.local() != null) System.out.println("report: " + writeReport(done.local()));
        return 0;
    }

    /** Prints the summary and writes {@code report.html} from the outputs in {@code local}; returns the page. */
    Path writeReport(Path local) throws java.io.IOException {
        CentralReport report = CentralReport.read(local, floor, flagOn);
        System.out.print(report.summary());
        Path page = local.resolve("report.html");
        report.writeHtml(page);
        return page;
    }

    RecallMonitor.Rule rule() {
        return switch (flagOn.toLowerCase(Locale.ROOT)) {
            case "upper" -> RecallMonitor.Rule.UPPER;
            case "point" -> RecallMonitor.Rule.POINT;
            default -> throw new IllegalArgumentException("--flag-on must be upper or point, is " + flagOn);
        };
    }

    /** The job graph, for {@link #call} and tests. */
    void build(StreamExecutionEnvironment env) throws Exception {
        if (kafka.bootstrap == null) throw new IllegalArgumentException("central-teacher needs --kafka (or --bootstrap)");
        if (!Files.isRegularFile(teacher)) throw new IllegalArgumentException("no teacher artifact " + teacher + " (run `winnow teacher label` once, or `winnow import tfjs`)");
        ZoneConfig zoneConfig = zoneConfig();
        kafka.requireReachable();
        KafkaOptions.ensureTopics(kafka.bootstrap, kafka.timeout, 0, requestsTopic, answersTopic);
        RecallMonitor monitor = new RecallMonitor(floor, rule());
        OutputDir output = run.begin(env, "recall", "adapt-requests", "zones", "zone-events", "zone-events-late", "report.html");
        DataStream<TeacherRequest> requests = env.fromSource(kafka.source(requestsTopic, AvroFormat.TEACHER_REQUEST),
                WatermarkStrategy.noWatermarks(), "kafka " + requestsTopic).uid("teacher-requests");
        DataStream<TeacherAnswer> answers = requests.flatMap(new CentralTeacher(ModelSource.ofPath(teacher.toAbsolutePath(), 1), "person"))
                .name("teacher").uid("teacher");
        // answers at least once: a transaction would hold each answer until a checkpoint, past the edges' timeouts
        answers.filter(a -> !a.sample).name("band answers").uid("band-answers").map(a -> a.verdict).name("answer verdicts").uid("answer-verdicts")
                .sinkTo(WinnowKafka.sink(kafka.bootstrap, answersTopic, AvroFormat.VERDICT).property("linger.ms", "0").build()).name("kafka " + answersTopic).uid("answers-kafka");
        SingleOutputStreamOperator<RecallEstimate> recall = answers.filter(a -> a.sample).name("dropped-frame samples").uid("samples")
                .keyBy(a -> a.verdict.cameraId).process(monitor).name("recall estimate").uid("recall");
        recall.sinkTo(CsvFiles.sink(output, "recall", CentralReport::recallLine, e -> e.timestampMillis)).name("recall csv").uid("recall-csv");
        DataStream<AdaptRequest> adapt = recall.getSideOutput(RecallMonitor.ADAPT_REQUESTS);
        adapt.sinkTo(CsvFiles.sink(output, "adapt-requests", CentralReport::adaptLine, a -> a.timestampMillis)).name("adapt csv").uid("adapt-csv");
        kafka.exactlyOnce(adapt, adaptTopic, AvroFormat.ADAPT_REQUEST, "central-teacher", "adapt");
        if (zoneConfig != null) zones(env, zoneConfig, output);
    }

    /** Per zone and window of the zone file, the events of its cameras; those after their window closed on {@link #LATE_EVENTS}. */
    static SingleOutputStreamOperator<ZoneEvents> zoneEvents(DataStream<RetentionEvent> events, ZoneConfig config) {
        return events.filter(new InZones<>(config, e -> e.cameraId)).name("events in a zone").uid("events-in-a-zone")
                .keyBy(e -> config.zoneOf(e.cameraId)).window(TumblingEventTimeWindows.of(Duration.ofMillis(config.windowMillis)))
                .sideOutputLateData(LATE_EVENTS).process(new ZoneEventCount()).name("zone events").uid("zone-events");
    }

    /** The zone file, when --zones is given; checks the zone options go together. */
    ZoneConfig zoneConfig() throws java.io.IOException {
        if (zones == null) {
            if (edgeVerdictsTopic != null || edgeEventsTopic != null || zoneCountsTopic != null || zoneEventsTopic != null) {
                throw new IllegalArgumentException("--edge-verdicts-topic, --edge-events-topic, --zone-counts-topic and --zone-events-topic need --zones");
            }
            return null;
        }
        if (edgeVerdictsTopic == null && edgeEventsTopic == null) throw new IllegalArgumentException("--zones needs --edge-verdicts-topic or --edge-events-topic");
        if (zoneCountsTopic != null && edgeVerdictsTopic == null) throw new IllegalArgumentException("--zone-counts-topic needs --edge-verdicts-topic");
        if (zoneEventsTopic != null && edgeEventsTopic == null) throw new IllegalArgumentException("--zone-events-topic needs --edge-events-topic");
        return ZoneFile.read(zones);
    }

    private void zones(StreamExecutionEnvironment env, ZoneConfig config, OutputDir output) {
        // a partition no edge writes to must not hold every window back forever
        Duration idle = edgeDelay.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : edgeDelay;
        if (edgeVerdictsTopic != null) {
            WatermarkStrategy<Verdict> w = WatermarkStrategy.<Verdict>forBoundedOutOfOrderness(edgeDelay).withTimestampAssigner((v, t) -> v.timestampMillis).withIdleness(idle);
            DataStream<Verdict> verdicts = env.fromSource(kafka.source(edgeVerdictsTopic, AvroFormat.VERDICT),
                    w, "kafka " + edgeVerdictsTopic).uid("edge-verdicts");
            // each camera counts only the floor it owns, so overlapping views count nobody twice
            DataStream<ZoneCount> occupancy = verdicts.filter(new InZones<>(config, v -> v.cameraId)).name("verdicts in a zone").uid("verdicts-in-a-zone")
                    .map(new OwnedCount(config)).name("owned floor").uid("owned-floor")
                    .keyBy(v -> config.zoneOf(v.cameraId)).process(new ZoneOccupancy(config)).name("zone occupancy").uid("zone-occupancy");
            occupancy.sinkTo(CsvFiles.sink(output, "zones", StaffingReport::windowLine, c -> c.windowStartMillis)).name("zones csv").uid("zones-csv");
            if (zoneCountsTopic != null) {
                kafka.exactlyOnce(occupancy, zoneCountsTopic, AvroFormat.ZONE_COUNT, "central-teacher", "zone-counts");
            }
        }
        if (edgeEventsTopic != null) {
            // an event is the edge's record of its end: it counts in the window where it ended
            WatermarkStrategy<RetentionEvent> w = WatermarkStrategy.<RetentionEvent>forBoundedOutOfOrderness(edgeDelay).withTimestampAssigner((e, t) -> e.endMillis)
                    .withIdleness(idle);
            DataStream<RetentionEvent> events = env.fromSource(kafka.source(edgeEventsTopic, AvroFormat.RETENTION_EVENT),
                    w, "kafka " + edgeEventsTopic).uid("edge-events");
            SingleOutputStreamOperator<ZoneEvents> perZone = zoneEvents(events, config);
            perZone.sinkTo(CsvFiles.sink(output, "zone-events", CentralReport::zoneEventsLine, z -> z.windowStartMillis)).name("zone events csv").uid("zone-events-csv");
            perZone.getSideOutput(LATE_EVENTS).sinkTo(CsvFiles.sink(output, "zone-events-late", e -> e.cameraId + "," + e.eventId + "," + e.startMillis + "," + e.endMillis,
                    e -> e.endMillis)).name("late zone events csv").uid("zone-events-late-csv");
            if (zoneEventsTopic != null) {
                kafka.exactlyOnce(perZone, zoneEventsTopic, AvroFormat.ZONE_EVENTS, "central-teacher", "zone-events");
            }
        }
    }
}
