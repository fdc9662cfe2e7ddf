package dev.winnow.connectors.avro;

import dev.winnow.connectors.source.MalformedRecords;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a value deserializer for a KafkaSource so that a malformed record (garbage bytes, an empty
 * value, a record that decodes but fails validation) is skipped instead of failing the job: one log
 * line with topic, partition and offset, the counter {@value #METRIC} incremented, nothing emitted.
 */
public final class SkipMalformedDeserializationSchema<T> implements KafkaRecordDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SkipMalformedDeserializationSchema.class);
    public static final String METRIC = "malformedRecords";

    private final DeserializationSchema<T> inner;
    private transient MalformedRecords malformed;

    public SkipMalformedDeserializationSchema(DeserializationSchema<T> inner) {
        this.inner = inner;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        inner.open(context);
        malformed = new MalformedRecords(context.getMetricGroup(), METRIC, "Kafka record", LOG);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (malformed == null) malformed = new MalformedRecords(null, METRIC, "Kafka record", LOG);
        byte[] value = record.value();
        String where = "topic " + record.topic() + " partition " + record.partition() + " offset " + record.offset();
        if (value == null) {
            malformed.skip(where, "null value");
            return;
        }
        T v;
        try {
            v = inner.deserialize(value);
        } catch (Exception e) {
            malformed.skip(where, value.length + " bytes: " + e.getMessage());
            return;
        }
        if (v != null) out.collect(v);
    }

    /** Records skipped so far by this instance (tests; jobs read the metric). */
    public long malformedCount() {
        return malformed == null ? 0 : malformed.count();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return inner.getProducedType();
    }
}
