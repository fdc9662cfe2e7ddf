package dev.winnow.connectors.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Kafka broker (one combined KRaft controller + broker, {@code kafka.server.KafkaRaftServer}, the
 * server {@code kafka.Kafka} and scripts/kafka.sh run) in this JVM, on two ports chosen at construction
 * and a temporary log directory formatted once. {@link #stop} shuts the server down the way a broker
 * going away does (its clients lose the connection); {@link #restart} starts a new server on the same
 * ports and log directory, so topics, committed offsets and open transactions survive the outage.
 * The configuration is the one scripts/kafka.sh writes (transaction log and offsets topic at
 * replication 1).
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final KafkaConfig config;
    private KafkaRaftServer server;

    public KafkaBroker() throws Exception {
        dir = Files.createTempDirectory("winnow-kafka");
        port = freePort();
        int controllerPort = freePort();
        Path data = dir.resolve("data");
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", data.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.initial.rebalance.delay.ms", "0");
        // a test's broker needs little memory for the log cleaner (the default asks 128 MB)
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        config = new KafkaConfig(props, false);
        new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1).setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(data.toString()).setDirectories(List.of(data.toString()))
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
        restart();
    }

    /** Starts the server on the same ports and log directory; returns once it accepts clients. */
    public synchronized void restart() throws Exception {
        if (server != null) throw new IllegalStateException("the broker is running");
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        s.startup();
        server = s;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        }
    }

    /** Shuts the server down; its clients see a broker that went away until {@link #restart}. */
    public synchronized void stop() {
        if (server == null) return;
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
    }

    public boolean running() {
        return server != null;
    }

    public String bootstrap() {
        return "localhost:" + port;
    }

    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "5");
        return new KafkaProducer<>(p);
    }

    public void send(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (ProducerRecord<byte[], byte[]> r : records) producer.send(r);
            producer.flush();
        }
    }

    /**
     * Reads the whole topic with {@code read_committed}: waits until {@code expected} records have
     * arrived, then keeps polling for {@code settle} more to catch duplicates or extras.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected, Duration settle) {
        return readCommitted(topic, expected, settle, Duration.ofSeconds(30));
    }

    /** As above, waiting at most {@code within} for the {@code expected} records. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected, Duration settle, Duration within) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + within.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** A port free now; the broker binds it a moment later (a port taken in between fails the start, it is not shared). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
