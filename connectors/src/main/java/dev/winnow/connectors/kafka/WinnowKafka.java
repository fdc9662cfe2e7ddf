package dev.winnow.connectors.kafka;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.avro.SkipMalformedDeserializationSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchemaBuilder;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Kafka sources and sinks for Winnow's types, as raw Avro binary values (schemas in
 * {@code src/main/avro}). Sources skip and count malformed records ({@code malformedRecords} metric)
 * instead of failing. Sources start from the group's committed offsets, or the earliest when the
 * group has none; they are unbounded unless the returned builder is made bounded:
 *
 * <pre>{@code
 * KafkaSource<Frame> frames = WinnowKafka.source("localhost:9092", "frames", "scorer", AvroFormat.FRAME).build();
 * KafkaSink<Verdict> sink = WinnowKafka.sink("localhost:9092", "verdicts", AvroFormat.VERDICT)
 *         .exactlyOnce("scorer-verdicts").build();
 * }</pre>
 *
 * Records are keyed by camera, sensor, zone or model name so one key stays in one partition, in order
 * ({@link AvroFormat#key}).
 */
public final class WinnowKafka {
    private WinnowKafka() {}

    /** The broker's default {@code transaction.max.timeout.ms}; a larger producer timeout is refused. */
    public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /**
     * An exactly-once sink's {@code linger.ms} unless the caller sets one. Its records are invisible to
     * {@code read_committed} readers until the checkpoint commits them, and the checkpoint flushes the
     * producer, so lingering delays nothing a reader sees; with the client's 5 ms default a sink of one
     * small record per frame sent a produce request per record, and handling those took a co-located
     * broker 0.3 ms of CPU a frame (scripts/cluster-throughput.sh, a flight recording of the broker).
     */
    public static final String EXACTLY_ONCE_LINGER_MS = "100";

    // ---- sources ----

    /** A source of one of Winnow's types; malformed values are counted and skipped. */
    public static <T> KafkaSourceBuilder<T> source(String bootstrap, String topic, String groupId, AvroFormat<T, ?> format) {
        return source(bootstrap, topic, groupId, format.deserializer());
    }

    /** A source for any value format; malformed values are counted and skipped. */
    public static <T> KafkaSourceBuilder<T> source(String bootstrap, String topic, String groupId,
                                                   DeserializationSchema<T> valueFormat) {
        return source(bootstrap, topic, groupId, new SkipMalformedDeserializationSchema<>(valueFormat));
    }

    @SuppressWarnings("deprecation") // the connector 5.0.0-2.2 takes only Kafka's deprecated OffsetResetStrategy here
    private static <T> KafkaSourceBuilder<T> source(String bootstrap, String topic, String groupId, KafkaRecordDeserializationSchema<T> records) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(Objects.requireNonNull(bootstrap, "bootstrap"))
                .setTopics(Objects.requireNonNull(topic, "topic"))
                .setGroupId(Objects.requireNonNull(groupId, "groupId"))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(records);
    }

    /**
     * As {@link #source}, but a record that does not decode comes out as a {@link DeadLetter} instead of
     * being skipped: {@link DeadLetters#split} the stream and sink the dead letters with
     * {@link #deadLetterSink}.
     */
    public static <T> KafkaSourceBuilder<Either<T, DeadLetter>> sourceWithDeadLetters(String bootstrap, String topic, String groupId,
                                                                                     DeserializationSchema<T> valueFormat) {
        return source(bootstrap, topic, groupId, new DeadLetterDeserializationSchema<>(valueFormat));
    }

    // ---- sinks ----

    /** The dead-letter topic: original key and value, with headers naming the source record and the reason ({@link DeadLetters}). */
    public static SinkBuilder<DeadLetter> deadLetterSink(String bootstrap, String topic) {
        return new SinkBuilder<>(bootstrap, topic, DeadLetters.records(topic));
    }

    /** A sink of one of Winnow's types, keyed and timestamped as its format says. */
    public static <T> SinkBuilder<T> sink(String bootstrap, String topic, AvroFormat<T, ?> format) {
        return new SinkBuilder<>(bootstrap, topic, format.serializer(), format.key(), format.eventTime());
    }

    /**
     * A KafkaSink with the delivery guarantee chosen by the caller: {@code NONE},
     * {@code AT_LEAST_ONCE} (the default) or {@code EXACTLY_ONCE}, which needs a transactional-id prefix
     * unique per job and sink, and a transaction timeout no larger than the broker's
     * {@code transaction.max.timeout.ms} (15 minutes by default) but longer than a checkpoint interval
     * plus a restart. Readers of an exactly-once topic must use {@code isolation.level=read_committed}.
     */
    public static final class SinkBuilder<T> {
        private final String bootstrap;
        private final KafkaRecordSerializationSchema<T> records;
        private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
        private String transactionalIdPrefix;
        private Duration transactionTimeout = MAX_TRANSACTION_TIMEOUT;
        private final Properties properties = new Properties();

        /**
         * @param eventTime the record's own time, written as the Kafka record timestamp (the stream
         *     timestamp may be none, or Long.MAX_VALUE after a count window, which brokers refuse)
         */
        SinkBuilder(String bootstrap, String topic, SerializationSchema<T> value, SerializableFunction<T, String> key, SerializableFunction<T, Long> eventTime) {
            this(bootstrap, topic, records(topic, value, key, eventTime));
        }

        /** A sink whose records (key, value, timestamp, headers) {@code records} makes whole. */
        SinkBuilder(String bootstrap, String topic, KafkaRecordSerializationSchema<T> records) {
            this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
            Objects.requireNonNull(topic, "topic");
            this.records = records;
        }

        public SinkBuilder<T> deliveryGuarantee(DeliveryGuarantee guarantee) {
            this.guarantee = Objects.requireNonNull(guarantee);
            return this;
        }

        /** EXACTLY_ONCE with Kafka transactions named {@code prefix-…}. */
        public SinkBuilder<T> exactlyOnce(String transactionalIdPrefix) {
            this.guarantee = DeliveryGuarantee.EXACTLY_ONCE;
            this.transactionalIdPrefix = transactionalIdPrefix;
            return this;
        }

        public SinkBuilder<T> transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        /** Producer {@code transaction.timeout.ms}; default and maximum 15 minutes. */
        public SinkBuilder<T> transactionTimeout(Duration timeout) {
            this.transactionTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Any other producer property. */
        public SinkBuilder<T> property(String name, String value) {
            properties.setProperty(name, value);
            return this;
        }

        public KafkaSink<T> build() {
            KafkaSinkBuilder<T> b = KafkaSink.<T>builder()
                    .setBootstrapServers(bootstrap)
                    .setRecordSerializer(records)
                    .setDeliveryGuarantee(guarantee)
                    .setKafkaProducerConfig(properties);
            return guarantee(b).build();
        }

        private static <T> KafkaRecordSerializationSchema<T> records(String topic, SerializationSchema<T> value,
                                                                     SerializableFunction<T, String> key, SerializableFunction<T, Long> eventTime) {
            KafkaRecordSerializationSchemaBuilder<T> records = KafkaRecordSerializationSchema.<T>builder()
                    .setTopic(Objects.requireNonNull(topic, "topic"))
                    .setValueSerializationSchema(value);
            if (key != null) {
                records = records.setKeySerializationSchema(
                        (SerializationSchema<T>) element -> {
                            String s = key.apply(element);
                            return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
                        });
            }
            return eventTime == null ? records.build() : new EventTimeRecords<>(records.build(), eventTime);
        }

        private KafkaSinkBuilder<T> guarantee(KafkaSinkBuilder<T> b) {
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
                    throw new IllegalArgumentException("EXACTLY_ONCE needs a transactionalIdPrefix, unique per job and sink");
                }
                if (transactionTimeout.isZero() || transactionTimeout.isNegative()
                        || transactionTimeout.compareTo(MAX_TRANSACTION_TIMEOUT) > 0) {
                    throw new IllegalArgumentException("transaction timeout " + transactionTimeout
                            + " must be positive and at most " + MAX_TRANSACTION_TIMEOUT
                            + " (the broker's default transaction.max.timeout.ms)");
                }
                b.setTransactionalIdPrefix(transactionalIdPrefix);
                b.setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
                if (!properties.containsKey("linger.ms")) b.setProperty("linger.ms", EXACTLY_ONCE_LINGER_MS);
            } else if (transactionalIdPrefix != null) {
                b.setTransactionalIdPrefix(transactionalIdPrefix);
            }
            return b;
        }
    }
}
