package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.ConsoleCapture;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.registry.ModelRegistry;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.flink.frames.PerCameraFrameScorer;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * stadium-staffing with per-camera aliases over the bundled concourse cameras, on a MiniCluster:
 * north-1 follows its own alias, south-1 an alias that does not exist, north-2 the default. north-1's
 * alias moves mid-run: only north-1 prints a swap line; south-1 stays on the default model with one
 * warning for the whole run.
 */
class PerCameraAliasJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    @TempDir Path registryDir;
    @TempDir Path out;

    @Test
    void onlyTheCameraWhoseAliasMovedSwapsAndAMissingAliasWarnsOnce() throws Exception {
        ModelRegistry registry = DetectorRegistry.withBothDetectors(registryDir);
        registry.setAlias("person-detector", "production", 1, "test");
        registry.setAlias("person-detector", "north-1", 1, "test");

        Path concourse = Samples.dir().resolve("frames/concourse");
        StadiumStaffingJob job = new StadiumStaffingJob();
        // 5 frames/s: 40 frames take 8 s per camera, time for the alias to move and a checkpoint (every 2 s) to pass mid-run
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.properties").toString(),
                "--registry", registryDir.toString(), "--model", "person-detector@production", "--fps", "5",
                "--camera-alias", "north-1=north-1", "--camera-alias", "south-1=south-1",
                "--camera", "north-1=" + concourse.resolve("north-1"), "--camera", "north-2=" + concourse.resolve("north-2"),
                "--camera", "south-1=" + concourse.resolve("south-1"));

        ConsoleCapture console = new ConsoleCapture();
        try (console; LogLines log = new LogLines(PerCameraFrameScorer.class)) {
            // move once the cameras' frames are being scored (the sinks' first bytes), not at a guessed time;
            // the timeout is a hang guard: the job replays 8 s of frames, slower on a loaded machine
            int code = TestJobs.callWhile(job, () -> {
                for (int i = 0; i < 600 && !scoring(); i++) Thread.sleep(100);
                Thread.sleep(1_000);
                registry.setAlias("person-detector", "north-1", 2, "test");
            }, Duration.ofSeconds(240));
            assertEquals(0, code);
            assertEquals(1, log.lines.stream().filter(l -> l.contains("camera south-1: person-detector@south-1 has no loadable version")).count(),
                    "one warning for south-1: " + log.lines);
            assertEquals(1, log.lines.size(), "no other camera warns: " + log.lines);
        }
        String printed = console.text();
        assertTrue(printed.matches("(?s).*camera north-1: person-detector-int8 v1 → person-detector-float v2 at \\d\\d:\\d\\d:\\d\\d\\R.*"),
                "one swap line for north-1:\n" + printed);
        assertFalse(printed.contains("camera north-2:"), "north-2 follows production, which did not move:\n" + printed);
        assertFalse(printed.contains("camera south-1:"), "south-1 stays on production:\n" + printed);
        assertTrue(printed.matches("(?s).*models: person-detector-int8 v1 \\(\\d+ frames\\), person-detector-float v2 \\(\\d+ frames\\).*"), printed);
    }

    private boolean scoring() throws java.io.IOException {
        try (var files = Files.walk(out)) {
            return files.anyMatch(f -> f.getFileName().toString().contains("inprogress") && f.toFile().length() > 0);
        }
    }

    @Test
    void aCameraAliasWithoutARegistryIsRefused() {
        StadiumStaffingJob job = new StadiumStaffingJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--camera-alias", "north-1=north-1");
        var e = assertThrows(IllegalArgumentException.class, job::call);
        assertEquals("--camera-alias needs --registry and --model name@alias", e.getMessage());
    }
}
