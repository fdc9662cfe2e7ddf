package dev.winnow.examples;

import dev.winnow.connectors.kafka.WinnowKafka;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.KafkaOptions;
import dev.winnow.examples.io.RunOptions;
import dev.winnow.examples.io.OutputDir;
import dev.winnow.examples.report.CentralReport;
import dev.winnow.flink.central.CentralTeacher;
import dev.winnow.flink.central.RecallMonitor;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.flink.types.RecallEstimate;
import dev.winnow.flink.types.TeacherAnswer;
import dev.winnow.flink.types.TeacherRequest;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The central half of the cascade, for edges that run {@code security-retention --teacher-topic}:
 * reads their requests, runs the teacher ({@link CentralTeacher}), answers the unsure (band) frames
 * on the answers topic, and from the samples of dropped frames estimates each camera's person-frame
 * recall with a 95 % interval ({@link RecallMonitor}): Flink gauges per camera, a {@code recall} CSV
 * and {@code report.html} under {@code --out}, and for a camera under {@code --recall-floor} a log
 * line, a metric and an {@link AdaptRequest} on {@code --adapt-topic} for {@code winnow detector adapt}.
 * Requests the teacher cannot take (no pixels, wrong size) are skipped and counted.
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

    @Option(names = "--flag-on", defaultValue = "upper", description = "which figure is compared with the floor: upper (the 95 % interval's "
            + "upper bound: flagged only when the samples show the recall is under the floor) or point (default: ${DEFAULT-VALUE})")
    String flagOn;

    @Mixin RunOptions run = new RunOptions("reports/central-teacher", 1);

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
        RecallMonitor monitor = new RecallMonitor(floor, rule());
        env.enableCheckpointing(2_000);
        OutputDir output = run.output();
        output.clearLocal("recall", "adapt-requests", "report.html");
        DataStream<TeacherRequest> requests = env.fromSource(kafka.bound(WinnowKafka.teacherRequestSource(kafka.bootstrap, requestsTopic, kafka.group)).build(),
                WatermarkStrategy.noWatermarks(), "kafka " + requestsTopic).uid("teacher-requests");
        DataStream<TeacherAnswer> answers = requests.flatMap(new CentralTeacher(ModelSource.ofPath(teacher.toAbsolutePath(), 1), "person"))
                .name("teacher").uid("teacher");
        // answers at least once: a transaction would hold each answer until a checkpoint, past the edges' timeouts
        answers.filter(a -> !a.sample).name("band answers").uid("band-answers").map(a -> a.verdict).name("answer verdicts").uid("answer-verdicts")
                .sinkTo(WinnowKafka.verdictSink(kafka.bootstrap, answersTopic).property("linger.ms", "0").build()).name("kafka " + answersTopic).uid("answers-kafka");
        SingleOutputStreamOperator<RecallEstimate> recall = answers.filter(a -> a.sample).name("dropped-frame samples").uid("samples")
                .keyBy(a -> a.verdict.cameraId).process(monitor).name("recall estimate").uid("recall");
        recall.sinkTo(CsvFiles.sink(output, "recall", CentralReport::recallLine, e -> e.timestampMillis)).name("recall csv").uid("recall-csv");
        DataStream<AdaptRequest> adapt = recall.getSideOutput(RecallMonitor.ADAPT_REQUESTS);
        adapt.sinkTo(CsvFiles.sink(output, "adapt-requests", CentralReport::adaptLine, a -> a.timestampMillis)).name("adapt csv").uid("adapt-csv");
        adapt.sinkTo(WinnowKafka.adaptRequestSink(kafka.bootstrap, adaptTopic).exactlyOnce(kafka.transactions("central-teacher", "adapt")).build())
                .name("kafka " + adaptTopic).uid("adapt-kafka");
    }
}
