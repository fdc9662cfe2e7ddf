package dev.winnow.connectors.source;

import java.io.Serializable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.LoggerFactory;

/**
 * Decodes a Kafka record's value with a value schema, and says why when it cannot (an empty value, or
 * the schema throws), so that a KafkaSource's deserialization schema can skip the record
 * ({@code SkipMalformedDeserializationSchema}) or turn it into a dead letter
 * ({@code DeadLetterDeserializationSchema}) instead of failing the job. Every such record is counted
 * and logged by {@link MalformedRecords} under the owner's logger.
 *
 * <p>Not thread safe: one per source reader, called on its fetcher thread.
 */
public final class KafkaValueDecoder<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<T> inner;
    private final String metric;
    private final String logger;
    private transient MalformedRecords malformed;
    private transient String failure;

    /**
     * @param metric the counter of malformed records
     * @param owner  whose logger writes the lines (the deserialization schema's)
     */
    public KafkaValueDecoder(DeserializationSchema<T> inner, String metric, Class<?> owner) {
        this.inner = inner;
        this.metric = metric;
        this.logger = owner.getName();
    }

    /** Opens the value schema and registers the counter in the reader's metric group. */
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        inner.open(context);
        malformed = new MalformedRecords(context.getMetricGroup(), metric, "Kafka record", LoggerFactory.getLogger(logger));
    }

    /**
     * The record's value, decoded; null when the value schema skipped it, or when the record is
     * malformed, and then {@link #failure} says why.
     */
    public T decode(ConsumerRecord<byte[], byte[]> record) {
        failure = null;
        byte[] value = record.value();
        if (value == null) {
            failure = "null value";
            return null;
        }
        try {
            return inner.deserialize(value);
        } catch (Exception e) {
            failure = value.length + " bytes: " + (e.getMessage() == null ? e.toString() : e.getMessage());
            return null;
        }
    }

    /** Why the last record did not decode; null when it did (or the value schema skipped it). */
    public String failure() {
        return failure;
    }

    /** Counts and logs the last record's failure, with its topic, partition and offset; {@code then} ends the line. */
    public void skip(ConsumerRecord<?, ?> record, String then) {
        malformed().skip("topic " + record.topic() + " partition " + record.partition() + " offset " + record.offset(), failure + then);
    }

    /** Records skipped so far by this instance. */
    public long malformedCount() {
        return malformed == null ? 0 : malformed.count();
    }

    public TypeInformation<T> valueType() {
        return inner.getProducedType();
    }

    /** Opened by {@link #open} in a job; a schema used without it (a test) counts without a metric. */
    private MalformedRecords malformed() {
        if (malformed == null) malformed = new MalformedRecords(null, metric, "Kafka record", LoggerFactory.getLogger(logger));
        return malformed;
    }
}
