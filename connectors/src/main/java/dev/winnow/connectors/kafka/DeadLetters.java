package dev.winnow.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records that do not decode go to a dead-letter topic, with the reason, instead of stopping the job
 * or vanishing: read with {@link WinnowKafka#sourceWithDeadLetters}, {@link #split} the stream, and
 * sink the side output {@link #TAG} with {@link WinnowKafka#deadLetterSink} (exactly once, like the
 * job's other sinks). A dead letter keeps the original key and value bytes, so it can be inspected or
 * replayed; its headers say where it came from and why it was refused ({@value #REASON},
 * {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}), as Kafka Connect's dead-letter queues do.
 */
public final class DeadLetters {
    public static final String REASON = "winnow.error.reason";
    public static final String TOPIC = "winnow.error.topic";
    public static final String PARTITION = "winnow.error.partition";
    public static final String OFFSET = "winnow.error.offset";

    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private DeadLetters() {}

    /** The decoded records, with the dead letters on the side output {@link #TAG}; give it a uid. */
    public static <T> SingleOutputStreamOperator<T> split(DataStream<Either<T, DeadLetter>> decoded, TypeInformation<T> type) {
        return decoded.process(new Split<T>(), type);
    }

    static final class Split<T> extends ProcessFunction<Either<T, DeadLetter>, T> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Either<T, DeadLetter> e, Context ctx, Collector<T> out) {
            if (e.isLeft()) out.collect(e.left());
            else ctx.output(TAG, e.right());
        }
    }

    /**
     * The job's watermark strategy for {@code T}, applied at the source to the decoded records only: a
     * dead letter keeps its Kafka timestamp and moves no watermark, so garbage cannot advance event time.
     */
    public static <T> WatermarkStrategy<Either<T, DeadLetter>> watermarks(WatermarkStrategy<T> inner) {
        return new WatermarkStrategy<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public WatermarkGenerator<Either<T, DeadLetter>> createWatermarkGenerator(WatermarkGeneratorSupplier.Context ctx) {
                WatermarkGenerator<T> g = inner.createWatermarkGenerator(ctx);
                return new WatermarkGenerator<>() {
                    @Override
                    public void onEvent(Either<T, DeadLetter> e, long timestamp, WatermarkOutput out) {
                        if (e.isLeft()) g.onEvent(e.left(), timestamp, out);
                    }

                    @Override
                    public void onPeriodicEmit(WatermarkOutput out) {
                        g.onPeriodicEmit(out);
                    }
                };
            }

            @Override
            public TimestampAssigner<Either<T, DeadLetter>> createTimestampAssigner(TimestampAssignerSupplier.Context ctx) {
                TimestampAssigner<T> a = inner.createTimestampAssigner(ctx);
                return (e, ts) -> e.isLeft() ? a.extractTimestamp(e.left(), ts) : ts;
            }
        };
    }

    /** Writes a dead letter as it came, to {@code topic}, with the headers saying where from and why. */
    static KafkaRecordSerializationSchema<DeadLetter> records(String topic) {
        return (d, ctx, timestamp) -> {
            RecordHeaders h = new RecordHeaders();
            h.add(REASON, utf8(d.reason));
            h.add(TOPIC, utf8(d.topic));
            h.add(PARTITION, utf8(Integer.toString(d.partition)));
            h.add(OFFSET, utf8(Long.toString(d.offset)));
            return new ProducerRecord<>(topic, null, d.timestampMillis >= 0 ? d.timestampMillis : null, d.key, d.value, h);
        };
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
