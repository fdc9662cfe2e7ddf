package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.examples.produce.ProduceFrames;
import dev.winnow.examples.testing.KafkaJobTest;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.types.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * security-retention with Kafka in and out, the edge job of the cluster failover script: frames that
 * {@code produce frames} put on a topic are scored, and every frame's verdict lands exactly once in the
 * verdicts topic (read_committed); a record among them that is not a frame goes to the dead-letter topic
 * with its reason. A verdicts topic without a broker is refused before the job starts.
 */
class SecurityRetentionKafkaTest extends KafkaJobTest {
    @Test
    void everyFramesVerdictLandsOnceInTheVerdictsTopic() throws Exception {
        KafkaBroker broker = BROKER.get();
        broker.createTopic("verdicts", 2);
        int produced = new CommandLine(new ProduceFrames()).execute("--camera", "plaza=" + Samples.dir().resolve("frames/plaza"),
                "--kafka", broker.bootstrap(), "--topic", "frames");
        assertEquals(0, produced);
        byte[] garbage = "{\"not\": \"a camera frame\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        broker.send("frames", List.of(new org.apache.kafka.clients.producer.ProducerRecord<>("frames", "plaza".getBytes(), garbage)));
        broker.createTopic("frames-dead", 1);

        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--kafka", broker.bootstrap(), "--kafka-bounded",
                "--frames-topic", "frames", "--verdicts-topic", "verdicts", "--dead-letter-topic", "frames-dead");
        TestJobs.executeWithExplicitUids("security-retention over kafka", 2, job::build);

        List<ConsumerRecord<byte[], byte[]>> got = broker.readCommitted("verdicts", 64, Duration.ofSeconds(2));
        assertEquals(64, got.size(), "one verdict per frame");
        Set<Long> seqs = new TreeSet<>();
        int withPeople = 0;
        for (ConsumerRecord<byte[], byte[]> r : got) {
            Verdict v = AvroFormat.VERDICT.decode(r.value());
            assertEquals("plaza", v.cameraId);
            assertEquals("plaza", new String(r.key()), "keyed by camera");
            assertTrue(seqs.add(v.seq), "no duplicate of frame " + v.seq);
            assertEquals(1, v.modelVersion);
            if (v.score >= 0.6f) withPeople++;
        }
        assertEquals(64, seqs.size());
        assertEquals(0L, seqs.iterator().next());
        assertEquals(63L, ((TreeSet<Long>) seqs).last());
        // plaza's held-out frames have people in every one, and the bundled student finds them all (README's 64/64)
        assertEquals(64, withPeople);
        List<ConsumerRecord<byte[], byte[]>> dead = broker.readCommitted("frames-dead", 1, Duration.ofSeconds(2));
        assertEquals(1, dead.size(), "the one record that is not a frame");
        assertArrayEquals(garbage, dead.get(0).value());
        String reason = new String(dead.get(0).headers().lastHeader(dev.winnow.connectors.kafka.DeadLetters.REASON).value());
        assertTrue(reason.startsWith(garbage.length + " bytes: "), reason);
    }

    @Test
    void aVerdictsTopicWithoutABrokerIsRefused() {
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--verdicts-topic", "verdicts");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> job.build(TestJobs.envWithExplicitUids(1)));
        assertEquals("--verdicts-topic needs --kafka", e.getMessage());
    }
}
