package dev.winnow.examples.io;

import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import picocli.CommandLine.Option;

/** Kafka in and out for the example jobs (Avro records, exactly-once sinks). */
public final class KafkaOptions {
    @Option(names = {"--kafka", "--bootstrap"}, description = "Kafka bootstrap servers; with a --*-topic option, that stream goes through Kafka")
    public String bootstrap;

    @Option(names = "--group", defaultValue = "winnow-examples", description = "consumer group (default: ${DEFAULT-VALUE})")
    public String group;

    @Option(names = "--kafka-bounded", description = "read input topics up to their end offsets at start, then finish (replays, tests)")
    public boolean bounded;

    public boolean enabled() {
        return bootstrap != null;
    }

    public <T> KafkaSourceBuilder<T> bound(KafkaSourceBuilder<T> b) {
        return bounded ? b.setStartingOffsets(OffsetsInitializer.earliest()).setBounded(OffsetsInitializer.latest()) : b;
    }

    /** A transactional id prefix unique to a job and a sink. */
    public String transactions(String job, String sink) {
        return "winnow-" + job + "-" + sink;
    }

    public void require(String option, String topic) {
        if (topic != null && bootstrap == null) throw new IllegalArgumentException(option + " needs --kafka");
    }
}
