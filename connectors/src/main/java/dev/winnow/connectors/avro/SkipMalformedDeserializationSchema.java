package dev.winnow.connectors.avro;

import dev.winnow.connectors.source.KafkaValueDecoder;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps a value deserializer for a KafkaSource so that a malformed record (garbage bytes, an empty
 * value, a record that decodes but fails validation) is skipped instead of failing the job: one log
 * line with topic, partition and offset, the counter {@value KafkaValueDecoder#METRIC} incremented,
 * nothing emitted.
 */
public final class SkipMalformedDeserializationSchema<T> extends KafkaValueDecoder<T, T> {
    private static final long serialVersionUID = 1L;

    public SkipMalformedDeserializationSchema(DeserializationSchema<T> inner) {
        super(inner);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        T v = decode(record);
        if (failure() != null) skip(record, "");
        else if (v != null) out.collect(v);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return valueType();
    }
}
