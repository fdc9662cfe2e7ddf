package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.ClassResource;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.examples.io.Samples;
import dev.winnow.examples.produce.ProduceFrames;
import dev.winnow.examples.testing.CountingReporter;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.flink.types.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The edge job (security-retention, Kafka frames in, exactly-once verdicts out) while its broker goes
 * away: the broker is shut down mid-run, stays down for three checkpoint intervals and comes back on
 * the same port and log directory. The job rides it out with the restart strategy a cluster uses
 * (exponential-delay) and Kafka's client retries; afterwards a read_committed consumer finds every
 * frame's verdict exactly once. A broker that is not there at the start fails the job's build with
 * one line naming it.
 */
class BrokerOutageTest {
    @RegisterExtension static final MiniClusterExtension CLUSTER = TestJobs.cluster(CountingReporter.configure(new Configuration()), 2);
    @RegisterExtension static final ClassResource<KafkaBroker> BROKER = ClassResource.of(KafkaBroker::new);

    @TempDir Path out;

    @Test
    void everyFramesVerdictLandsExactlyOnceThroughABrokerOutage() throws Exception {
        KafkaBroker broker = BROKER.get();
        broker.createTopic("frames", 2);
        broker.createTopic("verdicts", 2);
        Path samples = Samples.dir().resolve("frames");
        produce(broker, "plaza", samples.resolve("plaza"));

        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--kafka", broker.bootstrap(), "--group", "outage",
                "--frames-topic", "frames", "--verdicts-topic", "verdicts");
        StreamExecutionEnvironment env = restartingEnv(2);
        job.build(env);
        JobClient client = env.executeAsync("security-retention outage");
        try (LogLines kafkaClient = new LogLines(NetworkClient.class)) {
            // plaza's 64 verdicts committed: the job has completed a checkpoint with output
            assertEquals(64, broker.readCommitted("verdicts", 64, Duration.ZERO).size());
            // garden's frames go in just before the broker goes, so the outage is likely to catch verdicts in an open transaction
            produce(broker, "garden", samples.resolve("garden"));
            broker.stop();
            Thread.sleep(6_000);   // three checkpoint intervals (the job checkpoints every 2 s)
            assertTrue(kafkaClient.any("could not be established. Broker may not be available")
                            || kafkaClient.any("could not be established. Node may not be available"),
                    "the job's Kafka clients say the broker is gone: " + kafkaClient.lines);
            System.out.println("broker down, the job logged " + kafkaClient.lines.size() + " warnings, first: " + kafkaClient.lines.get(0));
            broker.restart();
        }
        produce(broker, "skyline", samples.resolve("skyline"));
        int expected = 64 + 30 + 60;
        List<ConsumerRecord<byte[], byte[]>> got = broker.readCommitted("verdicts", expected, Duration.ofSeconds(5), Duration.ofSeconds(120));
        client.cancel().get();

        Map<String, Integer> seen = new HashMap<>();
        int duplicated = 0;
        for (ConsumerRecord<byte[], byte[]> r : got) {
            Verdict v = AvroFormat.VERDICT.decode(r.value());
            if (seen.merge(v.cameraId + "/" + v.seq, 1, Integer::sum) > 1) duplicated++;
        }
        int lost = 0;
        for (var camera : Map.of("plaza", 64, "garden", 30, "skyline", 60).entrySet()) {
            for (int seq = 0; seq < camera.getValue(); seq++) if (!seen.containsKey(camera.getKey() + "/" + seq)) lost++;
        }
        long restarts = ((Number) CountingReporter.gauge("security-retention outage", "numRestarts")).longValue();
        System.out.println("broker outage: " + expected + " in, " + got.size() + " out, " + lost + " lost, " + duplicated
                + " duplicated, " + restarts + " restarts");
        assertEquals(0, lost, "every frame's verdict arrived");
        assertEquals(0, duplicated, "no verdict twice");
        assertEquals(expected, got.size());
    }

    @Test
    void aBrokerThatIsNotThereFailsTheBuildWithOneLine() throws Exception {
        // a port nobody listens on: bound once by the system, then released
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--kafka", "localhost:" + port, "--frames-topic", "frames",
                "--verdicts-topic", "verdicts", "--kafka-timeout", "PT2S");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> job.build(TestJobs.envWithExplicitUids(1)));
        assertEquals("no Kafka broker answered at localhost:" + port + " within PT2S (--kafka)", e.getMessage());

        SecurityRetentionJob unknownHost = new SecurityRetentionJob();
        new CommandLine(unknownHost).parseArgs("--out", out.toString(), "--kafka", "no-such-host.invalid:9092", "--frames-topic", "frames", "--kafka-timeout", "PT2S");
        e = assertThrows(IllegalArgumentException.class, () -> unknownHost.build(TestJobs.envWithExplicitUids(1)));
        assertEquals("no Kafka broker at no-such-host.invalid:9092: No resolvable bootstrap urls given in bootstrap.servers (--kafka)", e.getMessage());
    }

    private static void produce(KafkaBroker broker, String camera, Path dir) {
        assertEquals(0, new CommandLine(new ProduceFrames()).execute("--camera", camera + "=" + dir, "--kafka", broker.bootstrap(), "--topic", "frames"));
    }

    /** The test cluster with the restart strategy a production cluster uses, and explicit uids. */
    private static StreamExecutionEnvironment restartingEnv(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }
}
