package dev.winnow.connectors.source;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.LoggerFactory;

/**
 * The shared half of a KafkaSource's deserialization schemas that do not fail the job on a malformed
 * record: decodes a record's value with a value schema, and says why when it cannot (an empty value, or
 * the schema throws), so that the subclass can skip the record ({@code SkipMalformedDeserializationSchema})
 * or turn it into a dead letter ({@code DeadLetterDeserializationSchema}). Every such record is counted
 * in {@value #METRIC} and logged by {@link MalformedRecords} under the subclass's logger.
 *
 * <p>Not thread safe: one per source reader, called on its fetcher thread.
 *
 * @param <T> the decoded value
 * @param <O> what the schema emits
 */
public abstract class KafkaValueDecoder<T, O> implements KafkaRecordDeserializationSchema<O> {
    private static final long serialVersionUID = 1L;
    public static final String METRIC = "malformedRecords";

    private final DeserializationSchema<T> inner;
    private transient MalformedRecords malformed;
    private transient String failure;

    protected KafkaValueDecoder(DeserializationSchema<T> inner) {
        this.inner = inner;
    }

    /** Opens the value schema and registers the counter in the reader's metric group. */
    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        inner.open(context);
        malformed = new MalformedRecords(context.getMetricGroup(), METRIC, "Kafka record", LoggerFactory.getLogger(getClass()));
    }

    /**
     * The record's value, decoded; null when the value schema skipped it, or when the record is
     * malformed, and then {@link #failure} says why.
     */
    protected T decode(ConsumerRecord<byte[], byte[]> record) {
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
    protected String failure() {
        return failure;
    }

    /** Counts and logs the last record's failure, with its topic, partition and offset; {@code then} ends the line. */
    protected void skip(ConsumerRecord<?, ?> record, String then) {
        malformed().skip("topic " + record.topic() + " partition " + record.partition() + " offset " + record.offset(), failure + then);
    }

    /** Records skipped so far by this instance (tests; jobs read the metric). */
    public long malformedCount() {
        return malformed == null ? 0 : malformed.count();
    }

    protected TypeInformation<T> valueType() {
        return inner.getProducedType();
    }

    /** Opened by {@link #open} in a job; a schema used without it (a test) counts without a metric. */
    private MalformedRecords malformed() {
        if (malformed == null) malformed = new MalformedRecords(null, METRIC, "Kafka record", LoggerFactory.getLogger(getClass()));
        return malformed;
    }
}
