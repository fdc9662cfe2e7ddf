package dev.winnow.connectors.avro;

import dev.winnow.connectors.source.KafkaValueDecoder;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps a value deserializer for a KafkaSource so that a malformed record (garbage bytes, an empty
 * value, a record that decodes but fails validation) is skipped instead of failing the job: one log
 * line with topic, partition and offset, the counter {@value #METRIC} incremented, nothing emitted.
 */
public final class SkipMalformedDeserializationSchema<T> implements KafkaRecordDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;
    public static final String METRIC = "malformedRecords";

    private final KafkaValueDecoder<T> values;

    public SkipMalformedDeserializationSchema(DeserializationSchema<T> inner) {
        this.values = new KafkaValueDecoder<>(inner, METRIC, SkipMalformedDeserializationSchema.class);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        values.open(context);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        T v = values.decode(record);
        if (values.failure() != null) values.skip(record, "");
        else if (v != null) out.collect(v);
    }

    /** Records skipped so far by this instance (tests; jobs read the metric). */
    public long malformedCount() {
        return values.malformedCount();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return values.valueType();
    }
}
