package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * stadium-staffing following a registry alias over the bundled (bounded) concourse cameras, on a
 * MiniCluster: the alias moves mid-run; the job still ends by itself, prints one swap line per
 * camera, and its summary and report name both versions.
 */
class RegistryFollowingJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path registryDir;
    @TempDir Path out;

    @Test
    void aBoundedJobOnARegistryAliasEndsAndReportsEveryVersion() throws Exception {
        Path detectors = Samples.dir().resolveSibling("../model-tools/detector").normalize();
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(registryDir));
        registry.publish("person-detector", Files.readAllBytes(detectors.resolve("person-detector-int8.wnm")), "test", Map.of());
        registry.setAlias("person-detector", "production", 1, "test");
        registry.publish("person-detector", Files.readAllBytes(detectors.resolve("person-detector-float.wnm")), "test", Map.of());

        Path concourse = Samples.dir().resolve("frames/concourse");
        StadiumStaffingJob job = new StadiumStaffingJob();
        // 5 frames/s: 40 frames take 8 s per camera, time for the alias to move mid-run
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.properties").toString(),
                "--registry", registryDir.toString(), "--model", "person-detector@production", "--fps", "5",
                "--camera", "north-1=" + concourse.resolve("north-1"), "--camera", "south-1=" + concourse.resolve("south-1"));

        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(console, captured), true, StandardCharsets.UTF_8));
        try {
            CompletableFuture<Void> move = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(5_000);
                    registry.setAlias("person-detector", "production", 2, "test");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // without the feed stop the job would never end; this fails with a TimeoutException then
            int code = CompletableFuture.supplyAsync(() -> {
                try {
                    return job.call();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }).get(90, TimeUnit.SECONDS);
            move.get();
            assertEquals(0, code);
        } finally {
            System.setOut(console);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        for (String camera : new String[] {"north-1", "south-1"}) {
            assertTrue(printed.matches("(?s).*camera " + camera + ": person-detector-int8 v1 → person-detector-float v2 at \\d\\d:\\d\\d:\\d\\d\\R.*"),
                    "one swap line for " + camera + ":\n" + printed);
        }
        // the verdicts carry each artifact's own name: the registry holds the int8 detector as v1 and the float one as v2
        assertTrue(printed.matches("(?s).*models: person-detector-int8 v1 \\(\\d+ frames\\), person-detector-float v2 \\(\\d+ frames\\).*"), printed);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("person-detector-int8 v1 (") && html.contains("person-detector-float v2 ("), "the report names both versions");
    }

    /** Writes to two streams: the console stays readable while the test reads what was printed. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a, b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
