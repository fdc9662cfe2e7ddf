package dev.winnow.connectors.kafka;

/**
 * A Kafka record the job could not decode, as it goes to the dead-letter topic: the original key and
 * value bytes, where they came from and why they were refused. A Flink POJO.
 */
public class DeadLetter {
    public String topic;
    public int partition;
    public long offset;
    /** The record's own Kafka timestamp. */
    public long timestampMillis;
    /** One line: what was wrong with it. */
    public String reason;
    public byte[] key;
    public byte[] value;

    public DeadLetter() {}

    @Override
    public String toString() {
        return "DeadLetter{" + topic + "/" + partition + "@" + offset + ": " + reason + "}";
    }
}
