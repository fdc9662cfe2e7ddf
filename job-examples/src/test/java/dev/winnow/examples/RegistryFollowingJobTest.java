package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.ConsoleCapture;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    @TempDir Path registryDir;
    @TempDir Path out;

    @Test
    void aBoundedJobOnARegistryAliasEndsAndReportsEveryVersion() throws Exception {
        ModelRegistry registry = DetectorRegistry.withBothDetectors(registryDir);
        registry.setAlias("person-detector", "production", 1, "test");

        Path concourse = Samples.dir().resolve("frames/concourse");
        StadiumStaffingJob job = new StadiumStaffingJob();
        // 5 frames/s: 40 frames take 8 s per camera, time for the alias to move mid-run
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.properties").toString(),
                "--registry", registryDir.toString(), "--model", "person-detector@production", "--fps", "5",
                "--camera", "north-1=" + concourse.resolve("north-1"), "--camera", "south-1=" + concourse.resolve("south-1"));

        ConsoleCapture console = new ConsoleCapture();
        try (console) {
            // without the feed stop the job would never end; this fails with a TimeoutException then
            int code = TestJobs.callWhile(job, () -> {
                Thread.sleep(5_000);
                registry.setAlias("person-detector", "production", 2, "test");
            }, Duration.ofSeconds(90));
            assertEquals(0, code);
        }
        String printed = console.text();
        for (String camera : new String[] {"north-1", "south-1"}) {
            assertTrue(printed.matches("(?s).*camera " + camera + ": person-detector-int8 v1 → person-detector-float v2 at \\d\\d:\\d\\d:\\d\\d\\R.*"),
                    "one swap line for " + camera + ":\n" + printed);
        }
        // the verdicts carry each artifact's own name: the registry holds the int8 detector as v1 and the float one as v2
        assertTrue(printed.matches("(?s).*models: person-detector-int8 v1 \\(\\d+ frames\\), person-detector-float v2 \\(\\d+ frames\\).*"), printed);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("person-detector-int8 v1 (") && html.contains("person-detector-float v2 ("), "the report names both versions");
    }
}
