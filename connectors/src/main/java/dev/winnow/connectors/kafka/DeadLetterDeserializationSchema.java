package dev.winnow.connectors.kafka;

import dev.winnow.connectors.source.MalformedRecords;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a KafkaSource's values, and turns a record that does not decode (garbage bytes, a truncated
 * or foreign-schema record, an empty value, one that decodes but fails validation) into a
 * {@link DeadLetter} instead of failing the job: {@code Left} the decoded value, {@code Right} the dead
 * letter. {@link DeadLetters#split} then sends the dead letters to a side output, and from there to a
 * dead-letter topic. Each one is also logged (one line) and counted in {@value #METRIC}.
 */
public final class DeadLetterDeserializationSchema<T> implements KafkaRecordDeserializationSchema<Either<T, DeadLetter>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationSchema.class);
    public static final String METRIC = "malformedRecords";

    private final DeserializationSchema<T> inner;
    private transient MalformedRecords malformed;

    public DeadLetterDeserializationSchema(DeserializationSchema<T> inner) {
        this.inner = inner;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        inner.open(context);
        malformed = new MalformedRecords(context.getMetricGroup(), METRIC, "Kafka record", LOG);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<T, DeadLetter>> out) {
        if (malformed == null) malformed = new MalformedRecords(null, METRIC, "Kafka record", LOG);
        byte[] value = record.value();
        String reason = null;
        T decoded = null;
        if (value == null) {
            reason = "null value";
        } else {
            try {
                decoded = inner.deserialize(value);
            } catch (Exception e) {
                reason = value.length + " bytes: " + (e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        if (reason == null) {
            // outside the try: a failure downstream (chained operators run inside collect) is the job's, not the record's
            if (decoded != null) out.collect(Either.Left(decoded));
            return;
        }
        malformed.skip("topic " + record.topic() + " partition " + record.partition() + " offset " + record.offset(), reason + "; sent to the dead-letter topic");
        DeadLetter d = new DeadLetter();
        d.topic = record.topic();
        d.partition = record.partition();
        d.offset = record.offset();
        d.timestampMillis = record.timestamp();
        d.reason = reason;
        d.key = record.key();
        d.value = value;
        out.collect(Either.Right(d));
    }

    @Override
    public TypeInformation<Either<T, DeadLetter>> getProducedType() {
        return new EitherTypeInfo<>(inner.getProducedType(), TypeInformation.of(DeadLetter.class));
    }
}
