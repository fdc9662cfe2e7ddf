package dev.winnow.examples.io;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.kafka.WinnowKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Option;

/** Kafka in and out for the example jobs (Avro records, exactly-once sinks). */
public final class KafkaOptions {
    @Option(names = {"--kafka", "--bootstrap"}, description = "Kafka bootstrap servers; with a --*-topic option, that stream goes through Kafka")
    public String bootstrap;

    @Option(names = "--group", defaultValue = "winnow-examples", description = "consumer group (default: ${DEFAULT-VALUE})")
    public String group;

    @Option(names = "--kafka-bounded", description = "read input topics up to their end offsets at start, then finish (replays, tests)")
    public boolean bounded;

    @Option(names = "--kafka-timeout", defaultValue = "PT30S", description = "how long the job waits at start for the broker to answer "
            + "before it refuses to run (ISO-8601; default: ${DEFAULT-VALUE})")
    public Duration timeout;

    public boolean enabled() {
        return bootstrap != null;
    }

    public <T> KafkaSourceBuilder<T> bound(KafkaSourceBuilder<T> b) {
        return bounded ? b.setStartingOffsets(OffsetsInitializer.earliest()).setBounded(OffsetsInitializer.latest()) : b;
    }

    /**
     * The Avro records of {@code topic}, read as --group, and with --kafka-bounded only up to the end
     * offsets at start: the one way the example jobs read a topic of records. Called on the thread
     * that builds the job graph, with --kafka given.
     */
    public <T> KafkaSource<T> source(String topic, AvroFormat<T, ?> format) {
        return bound(WinnowKafka.source(bootstrap, topic, group, format)).build();
    }

    /** A transactional id prefix unique to a job and a sink. */
    public String transactions(String job, String sink) {
        return "winnow-" + job + "-" + sink;
    }

    /**
     * Writes {@code records} to {@code topic} as Avro, exactly once, with the transactional ids of
     * {@link #transactions}; the sink is named {@code kafka <topic>} and its uid is {@code <sink>-kafka},
     * the uid the jobs' savepoints know it by. The one way the example jobs write a record stream to
     * Kafka; called on the thread that builds the job graph, with --kafka given.
     */
    public <T> DataStreamSink<T> exactlyOnce(DataStream<T> records, String topic, AvroFormat<T, ?> format, String job, String sink) {
        return records.sinkTo(WinnowKafka.sink(bootstrap, topic, format).exactlyOnce(transactions(job, sink)).build())
                .name("kafka " + topic).uid(sink + "-kafka");
    }

    /**
     * Fails with one line when no broker answers at --kafka within --kafka-timeout. Checked when the job
     * is built (on the client that submits it): once running, Kafka's clients would retry an absent
     * broker for their own timeouts and the job restart after each, with nothing saying the address is wrong.
     */
    public void requireReachable() {
        if (bootstrap == null) return;
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Admin admin;
        try {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms));
        } catch (KafkaException e) {
            // a host name that does not resolve fails here, before any request
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("no Kafka broker at " + bootstrap + ": " + cause.getMessage() + " (--kafka)");
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId().get(ms + 1_000L, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("no Kafka broker answered at " + bootstrap + " within " + timeout + " (--kafka)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IllegalArgumentException("no Kafka broker answered at " + bootstrap + " within " + timeout + " (--kafka)");
            }
            // answered, but refused (authentication, an unsupported version): say what it said
            throw new IllegalArgumentException("the Kafka broker at " + bootstrap + " refused: " + e.getCause().getMessage() + " (--kafka)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching the Kafka broker at " + bootstrap, e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /**
     * Creates each topic that does not exist yet, with {@code partitions} partitions (0: the broker's
     * default). The central teacher's requests and answers topics join jobs that start in either order:
     * whichever starts first makes them, so neither reads a topic that is not there (a Kafka source then
     * fails its partition discovery, and the edge cannot fix where its answers start); the produce
     * commands make the topic they write. Failures are one line: the broker did not answer in
     * {@code timeout}, or it refused.
     */
    public static void ensureTopics(String bootstrap, Duration timeout, int partitions, String... topics) {
        try (Admin admin = admin(bootstrap, timeout)) {
            ensureTopics(admin, bootstrap, timeout, partitions, topics);
        }
    }

    /** An admin client whose calls give up after {@code timeout}, each request after at most 10 s of it. */
    public static Admin admin(String bootstrap, Duration timeout) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 10_000)));
    }

    /** {@link #ensureTopics(String, Duration, int, String...)} through a client the caller holds (and closes). */
    public static void ensureTopics(Admin admin, String bootstrap, Duration timeout, int partitions, String... topics) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try {
            Set<String> have = admin.listTopics().names().get(ms + 1_000L, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!have.contains(t)) missing.add(new NewTopic(t, partitions > 0 ? Optional.of(partitions) : Optional.empty(), Optional.empty()));
            }
            if (missing.isEmpty()) return;
            try {
                admin.createTopics(missing).all().get(ms + 1_000L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // another job or command made it meanwhile: what we wanted
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IllegalArgumentException("no Kafka broker answered at " + bootstrap + " within " + timeout + " (" + why + ")");
            }
            throw new IllegalArgumentException("the Kafka broker at " + bootstrap + " did not create " + String.join(", ", topics) + ": " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics at " + bootstrap, e);
        }
    }

    public void require(String option, String topic) {
        if (topic != null && bootstrap == null) throw new IllegalArgumentException(option + " needs --kafka");
    }
}
