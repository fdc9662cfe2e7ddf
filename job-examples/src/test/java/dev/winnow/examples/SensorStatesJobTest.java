package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.runtime.testing.RandomFastGrnn;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import java.security.KeyPair;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sensor-states job on a CSV of three sensors, one of which falls silent, on a MiniCluster. */
class SensorStatesJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    static final long BASE = 1_700_000_000_000L;

    @TempDir Path dir;

    @Test
    void predictionsLateBadAndSilentAreWrittenApart() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int t = 0; t < 60; t++) {
            for (String s : new String[] {"a", "b", "c"}) {
                if (s.equals("c") && t > 5) continue; // c falls silent after 5 s
                csv.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.3f,%.3f%n", s, BASE + t * 1000L, Math.sin(t * 0.2), Math.cos(t * 0.1), t / 60.0));
            }
            if (t == 30) {
                csv.append("a,").append(BASE + 20_000).append(",0.1,0.2,0.3\n");  // 10 s behind a's last reading
                // a clock a day ahead (the CSV source itself drops lines with a missing channel or a NaN)
                csv.append("b,").append(System.currentTimeMillis() + 86_400_000L).append(",0.1,0.2,0.3\n");
            }
        }
        Path readings = dir.resolve("readings.csv"), model = dir.resolve("grnn.wnm"), out = dir.resolve("out");
        Files.writeString(readings, csv);
        Files.write(model, new RandomFastGrnn(3, 3, 8, 2, 10, 0, 0).artifact("states"));
        SensorStatesJob job = new SensorStatesJob();
        new CommandLine(job).parseArgs("--readings", readings.toString(), "--model", model.toString(), "--every", "10", "--window", "PT20S",
                "--out-of-order", "PT5S", "--silence", "PT10S", "--out", out.toString());
        TestJobs.executeWithExplicitUids("sensor-states test", 2, job::build);

        Map<String, Integer> perSensor = new TreeMap<>();
        for (String[] p : CsvFiles.read(out.resolve("predictions"))) {
            perSensor.merge(p[0] + (p[2].equals("-1") ? " every 10" : " window"), 1, Integer::sum);
            assertEquals("states", p[7]);
        }
        assertEquals(Map.of("a every 10", 6, "a window", 3, "b every 10", 6, "b window", 3, "c window", 1), perSensor);
        List<String[]> late = CsvFiles.read(out.resolve("late")), bad = CsvFiles.read(out.resolve("bad")), silent = CsvFiles.read(out.resolve("silent"));
        assertEquals(1, late.size());
        assertEquals(List.of("a", "" + (BASE + 20_000), "LATE"), List.of(late.get(0)).subList(0, 3));
        assertEquals(1, bad.size());
        assertTrue(bad.get(0)[3].endsWith("ms ahead of the clock (at most 300000 ms)"), String.join(",", bad.get(0)));
        assertEquals(1, silent.size());
        assertArrayEquals(new String[] {"c", "" + (BASE + 5_000), "" + (BASE + 15_000)}, java.util.Arrays.copyOf(silent.get(0), 3));
    }

    @Test
    void aSensorGroupFollowsItsOwnAliasFromASignedRegistry() throws Exception {
        KeyPair key = Ed25519Keys.generate();
        Path pem = dir.resolve("team.pub.pem"), reg = dir.resolve("registry"), readings = dir.resolve("readings.csv"), out = dir.resolve("out");
        Ed25519Keys.writePem(pem, key.getPublic());
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(reg));
        for (int seed = 1; seed <= 2; seed++) {
            registry.publish("states", ArtifactWriter.sign(new RandomFastGrnn(seed, 3, 8, 2, 10, 0, 0).artifact("states"), key.getPrivate(), key.getPublic()), "t", Map.of());
        }
        registry.setAlias("states", "production", 1, "t");
        registry.setAlias("states", "hall-a", 2, "t");
        StringBuilder csv = new StringBuilder();
        for (int t = 0; t < 30; t++) {
            for (String s : new String[] {"hall-a/1", "hall-b/1"}) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.3f,%.3f%n", s, BASE + t * 1000L, Math.sin(t * 0.2), Math.cos(t * 0.1), t / 60.0));
            }
        }
        csv.append("hall-a/1,").append(System.currentTimeMillis() + 86_400_000L).append(",0.1,0.2,0.3\n"); // a day ahead: bad
        Files.writeString(readings, csv);
        SensorStatesJob job = new SensorStatesJob();
        new CommandLine(job).parseArgs("--readings", readings.toString(), "--registry", reg.toString(), "--trust", pem.toString(), "--model", "states@production",
                "--group-separator", "/", "--group-alias", "hall-a=hall-a", "--every", "5", "--out", out.toString());
        TestJobs.executeWithExplicitUids("sensor-states per group", 2, job::build);

        Map<String, java.util.Set<String>> versions = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (String[] p : CsvFiles.read(out.resolve("predictions"))) {
            versions.computeIfAbsent(p[0], k -> new java.util.TreeSet<>()).add(p[8]);
            counts.merge(p[0], 1, Integer::sum);
        }
        assertEquals(Map.of("hall-a/1", java.util.Set.of("2"), "hall-b/1", java.util.Set.of("1")), versions, "hall-a on its alias (v2), hall-b on production (v1)");
        assertEquals(Map.of("hall-a/1", 6, "hall-b/1", 6), counts, "a prediction every 5th of 30 readings");
        List<String[]> bad = CsvFiles.read(out.resolve("bad"));
        assertEquals(1, bad.size());
        assertTrue(bad.get(0)[3].endsWith("ms ahead of the clock (at most 300000 ms)"), String.join(",", bad.get(0)));

        SensorStatesJob windowed = new SensorStatesJob();
        new CommandLine(windowed).parseArgs("--readings", readings.toString(), "--registry", reg.toString(), "--trust", pem.toString(), "--model", "states@production",
                "--window", "PT20S", "--out", out.toString());
        assertEquals("--window and --silence do not apply to --registry", assertThrows(IllegalArgumentException.class,
                () -> windowed.build(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment())).getMessage());
    }
}
