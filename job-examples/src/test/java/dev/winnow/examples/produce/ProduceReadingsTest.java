package dev.winnow.examples.produce;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.ClassResource;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.registry.cli.Exits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code winnow-examples produce readings} against a real in-process KRaft broker: N sensors x M readings
 * land on the topic, keyed by sensor, in event-time order per sensor, each value one of the series'
 * real readings; a series that does not parse, a missing one, bad counts and a broker that is not there
 * each end the command with one line and its exit code.
 */
class ProduceReadingsTest {
    @TempDir static Path tmp;
    @RegisterExtension static final ClassResource<KafkaBroker> BROKER = ClassResource.of(KafkaBroker::new);

    static CommandRun produce(String... args) {
        return CommandRun.of(ProduceReadings::new, args);
    }

    @Test
    void nSensorsTimesMReadingsOfTheRealSeries() throws Exception {
        Path series = tmp.resolve("series.csv");
        Files.writeString(series, "# a tiny real-looking series: id,time,two values,label\nm,0,1.5,20.0,0\nm,1000,1.6,20.5,1\nm,2000,1.7,21.0,0\n");
        CommandRun r = produce("--series", series.toString(), "--sensors", "40", "--readings", "6", "--rate", "0",
                "--kafka", BROKER.get().bootstrap(), "--topic", "readings", "--partitions", "3");
        assertEquals(Exits.OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("produced 240 readings"), r.out());
        assertTrue(r.out().contains("of 40 sensors") && r.out().contains("series.csv: 3 readings of 2 values"), r.out());

        Set<String> real = Set.of("1.5/20.0/0", "1.6/20.5/1", "1.7/21.0/0");
        Map<String, List<Long>> times = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> rec : BROKER.get().readCommitted("readings", 240, Duration.ofSeconds(1))) {
            SensorReading s = AvroFormat.SENSOR_READING.decode(rec.value());
            assertEquals(s.sensorId, new String(rec.key(), StandardCharsets.UTF_8), "keyed by sensor");
            String v = s.values[0] + "/" + s.values[1] + "/" + s.label;
            assertTrue(real.contains(v), "a reading of the series: " + v);
            seen.add(v);
            times.computeIfAbsent(s.sensorId, k -> new ArrayList<>()).add(s.timestampMillis);
        }
        assertEquals(40, times.size());
        assertEquals(real, seen, "every reading of the series is replayed");
        for (var e : times.entrySet()) {
            List<Long> t = e.getValue();
            assertEquals(6, t.size(), e.getKey());
            for (int i = 1; i < t.size(); i++) assertEquals(1000L, t.get(i) - t.get(i - 1), e.getKey() + " in order, one period apart");
        }
    }

    @Test
    void badInputEndsWithOneLineAndItsExitCode() throws Exception {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "m,0,1.5,0\nm,oops,1.6,1\n");
        CommandRun r = produce("--series", bad.toString(), "--kafka", BROKER.get().bootstrap());
        assertEquals(Exits.INPUT, r.exit());
        assertTrue(r.err().contains("bad.csv: line 2: timestampMillis 'oops' is not an integer"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = produce("--series", tmp.resolve("missing.csv").toString(), "--kafka", BROKER.get().bootstrap());
        assertEquals(Exits.INPUT, r.exit());
        assertTrue(r.err().contains("missing.csv"), r.err());

        r = produce("--sensors", "0", "--kafka", BROKER.get().bootstrap());
        assertEquals(Exits.USAGE, r.exit());
        assertTrue(r.err().contains("--sensors 0: must be positive"), r.err());

        r = produce("--kafka", "127.0.0.1:1", "--timeout", "PT2S", "--sensors", "2", "--readings", "1");
        assertEquals(Exits.INPUT, r.exit());
        assertTrue(r.err().startsWith("produce readings: no Kafka broker answered at 127.0.0.1:1"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
