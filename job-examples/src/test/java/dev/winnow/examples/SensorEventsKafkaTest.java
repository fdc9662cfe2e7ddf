package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.KafkaJobTest;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.examples.report.SensorReport;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.types.SensorReading;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * sensor-events with Kafka in and out, as it runs on a cluster: the beaver readings go to a topic as
 * Avro, the job reads them (bounded replay), and its events land exactly once in another topic, the
 * same events as in its CSV output.
 */
class SensorEventsKafkaTest extends KafkaJobTest {
    @Test
    void readingsFromKafkaEventsToKafkaExactlyOnce() throws Exception {
        KafkaBroker broker = BROKER.get();
        broker.createTopic("readings", 2);
        broker.createTopic("sensor-events", 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String line : Files.readAllLines(Samples.dir().resolve("sensors/beavers.csv"))) {
            if (line.startsWith("#")) continue;
            String[] f = line.split(",");
            SensorReading r = new SensorReading(f[0], Long.parseLong(f[1]), new float[] {Float.parseFloat(f[2])});
            r.label = Integer.parseInt(f[3]);
            records.add(new ProducerRecord<>("readings", f[0].getBytes(), AvroFormat.SENSOR_READING.encode(r)));
        }
        records.add(new ProducerRecord<>("readings", "beaver-1".getBytes(), new byte[] {1, 2, 3})); // garbage: counted and skipped
        broker.send("readings", records);

        SensorEventsJob job = new SensorEventsJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--kafka", broker.bootstrap(), "--kafka-bounded",
                "--readings-topic", "readings", "--events-topic", "sensor-events");
        TestJobs.execute("sensor-events over kafka", 2, job::build);

        SensorReport report = SensorReport.read(out);
        assertEquals(214, report.windows());
        List<ConsumerRecord<byte[], byte[]>> got = broker.readCommitted("sensor-events", report.events(), Duration.ofSeconds(2));
        assertEquals(report.events(), got.size(), "every event once in Kafka");
        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            SensorEvent e = AvroFormat.SENSOR_EVENT.decode(r.value());
            assertEquals("active", e.label);
            assertTrue(keys.add(e.sensorId + "#" + e.windowEndMillis), "no duplicates");
        }
        assertEquals(60, keys.size(), "the shipped model (trained on beaver-2) keeps 60 of the 214 windows");
    }
}
