package dev.winnow.connectors.kafka;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Stamps each Kafka record with the element's own event time instead of the stream timestamp. */
final class EventTimeRecords<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final KafkaRecordSerializationSchema<T> records;
    private final SerializableFunction<T, Long> eventTime;

    EventTimeRecords(KafkaRecordSerializationSchema<T> records, SerializableFunction<T, Long> eventTime) {
        this.records = records;
        this.eventTime = eventTime;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
        records.open(context, sinkContext);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        Long t = eventTime.apply(element);
        return records.serialize(element, context, t != null && t >= 0 ? t : null);
    }
}
