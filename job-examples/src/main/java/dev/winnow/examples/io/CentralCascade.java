package dev.winnow.examples.io;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.kafka.WinnowKafka;
import dev.winnow.flink.central.PendingVerdicts;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The edge's side of the central teacher, after the cascade: the pending frames wait in
 * {@link PendingVerdicts} for the central job's answers; their requests (and the samples of dropped
 * frames) go to the teacher topic.
 *
 * <p>Choices that matter:
 * <ul>
 *   <li>Requests go at-least-once, not in Kafka transactions: an exactly-once sink makes its records
 *       visible only when a checkpoint commits, which would hold every unsure frame for a checkpoint
 *       interval. A request repeated after a restore is answered twice; the second answer is counted
 *       as late and dropped.</li>
 *   <li>A producer that cannot deliver for {@code sendTimeout} (the broker went away) fails the job
 *       with Kafka's error naming the topic, so no request is lost silently; until then the waiting
 *       frames time out to their students' verdicts, counted.</li>
 *   <li>With a {@code stop} (the frames' source is bounded and {@link FeedStop#watch watched}), the
 *       answers source ends one timeout after the frames' source, so a replay ends; without one the
 *       job runs until it is stopped.</li>
 *   <li>The answers are read from the end the topic had when the job was built (or from the
 *       checkpoint on a restore): answers older than this job belong to frames it never saw.</li>
 *   <li>The answers carry no watermarks, so the operator's watermark stops; it is made again after
 *       it from the frames' times, with {@code timeout} added to the out-of-orderness, since a camera
 *       may be held back that long behind another camera of the same subtask.</li>
 * </ul>
 */
public final class CentralCascade {
    /** The frames' own out-of-orderness, as the jobs' sources assume it. */
    static final Duration OUT_OF_ORDER = Duration.ofMillis(500);

    private CentralCascade() {}

    /**
     * The answers topic's end offsets now, when the job is built. Kafka's own "latest" is resolved
     * lazily, at the reader's first poll, which can come after the first answers on a loaded machine
     * and skip them; an offset fixed here cannot race. A partition added later is read from its start.
     */
    @SuppressWarnings("deprecation") // the connector 5.0.0-2.2 takes only Kafka's deprecated OffsetResetStrategy
    static OffsetsInitializer answersStart(Admin admin, String bootstrap, String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartitionInfo p : d.partitions()) latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            Map<TopicPartition, Long> start = new HashMap<>();
            admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS).forEach((tp, info) -> start.put(tp, info.offset()));
            return OffsetsInitializer.offsets(start, org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("cannot read the end of the teacher answers topic " + topic + " at " + bootstrap + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("no answer from Kafka at " + bootstrap + " within 60 s (teacher answers topic " + topic + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static DataStream<ScoredFrame> resolve(StreamExecutionEnvironment env, DataStream<ScoredFrame> scored, String bootstrap, String group,
                                                  CentralTeacherOptions o, Duration sendTimeout, FeedStop stop) {
        OffsetsInitializer answersStart;
        try (Admin admin = KafkaOptions.admin(bootstrap, Duration.ofSeconds(60))) {   // one client for both start-up calls
            KafkaOptions.ensureTopics(admin, bootstrap, Duration.ofSeconds(60), 0, o.topic(), o.answersTopic());
            answersStart = answersStart(admin, bootstrap, o.answersTopic());
        }
        Source<Verdict, ?, ?> source = WinnowKafka.source(bootstrap, o.answersTopic(), group + "-teacher-answers", AvroFormat.VERDICT)
                .setStartingOffsets(answersStart).build();
        // a bounded replay ends: the answers are read for one timeout (and a second) after the frames' source ended
        if (stop != null) source = stop.end(source, o.timeout().plusSeconds(1));
        DataStream<Verdict> answers = env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka " + o.answersTopic()).uid("teacher-answers");
        SingleOutputStreamOperator<ScoredFrame> resolved = scored.keyBy(s -> s.frame.cameraId)
                .connect(answers.keyBy(v -> v.cameraId))
                .process(PendingVerdicts.builder().timeout(o.timeout()).sampleFraction(o.dropSample()).maxSide(o.maxSide()).build())
                .name("pending teacher verdicts").uid("pending-verdicts");
        String ms = Long.toString(sendTimeout.toMillis());
        resolved.getSideOutput(PendingVerdicts.REQUESTS)
                .sinkTo(WinnowKafka.sink(bootstrap, o.topic(), AvroFormat.TEACHER_REQUEST)
                        .property("delivery.timeout.ms", ms).property("request.timeout.ms", ms).property("max.block.ms", ms).property("linger.ms", "0")
                        .build())
                .name("kafka " + o.topic()).uid("teacher-requests-kafka");
        return resolved.assignTimestampsAndWatermarks(WatermarkStrategy.<ScoredFrame>forBoundedOutOfOrderness(OUT_OF_ORDER.plus(o.timeout()))
                        .withTimestampAssigner((s, t) -> s.frame.timestampMillis).withIdleness(Duration.ofSeconds(5).plus(o.timeout())))
                .name("frame watermarks after the teacher").uid("central-watermarks");
    }
}
