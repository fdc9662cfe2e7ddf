package dev.winnow.connectors.kafka;

import dev.winnow.connectors.source.KafkaValueDecoder;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes a KafkaSource's values, and turns a record that does not decode (garbage bytes, a truncated
 * or foreign-schema record, an empty value, one that decodes but fails validation) into a
 * {@link DeadLetter} instead of failing the job: {@code Left} the decoded value, {@code Right} the dead
 * letter. {@link DeadLetters#split} then sends the dead letters to a side output, and from there to a
 * dead-letter topic. Each one is also logged (one line) and counted in {@value KafkaValueDecoder#METRIC}.
 */
public final class DeadLetterDeserializationSchema<T> extends KafkaValueDecoder<T, Either<T, DeadLetter>> {
    private static final long serialVersionUID = 1L;

    public DeadLetterDeserializationSchema(DeserializationSchema<T> inner) {
        super(inner);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<T, DeadLetter>> out) {
        T decoded = decode(record);
        String reason = failure();
        if (reason == null) {
            // collect outside decode(): a failure downstream (chained operators run inside collect) is the job's, not the record's
            if (decoded != null) out.collect(Either.Left(decoded));
            return;
        }
        skip(record, "; sent to the dead-letter topic");
        DeadLetter d = new DeadLetter();
        d.topic = record.topic();
        d.partition = record.partition();
        d.offset = record.offset();
        d.timestampMillis = record.timestamp();
        d.reason = reason;
        d.key = record.key();
        d.value = record.value();
        out.collect(Either.Right(d));
    }

    @Override
    public TypeInformation<Either<T, DeadLetter>> getProducedType() {
        return new EitherTypeInfo<>(valueType(), TypeInformation.of(DeadLetter.class));
    }
}
