package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.ConsoleCapture;
import dev.winnow.examples.testing.JobTest;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.frames.PerCameraFrameScorer;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * stadium-staffing following registry aliases over the bundled (bounded) concourse cameras, on a
 * MiniCluster. One alias for every camera: it moves mid-run; the job still ends by itself, prints one
 * swap line per camera, and its summary and report name both versions. Per-camera aliases: north-1
 * follows its own alias, south-1 an alias that does not exist, north-2 the default; north-1's alias
 * moves mid-run: only north-1 prints a swap line; south-1 stays on the default model with one warning
 * for the whole run.
 */
class RegistryFollowingJobTest extends JobTest {
    @TempDir Path registryDir;
    @TempDir Path keys;

    @Test
    void aBoundedJobOnARegistryAliasEndsAndReportsEveryVersion() throws Exception {
        ModelRegistry registry = DetectorRegistry.withBothDetectors(registryDir, keys.resolve("team.pub.pem"));
        registry.setAlias("person-detector", "production", 1, "test");

        Path concourse = Samples.dir().resolve("frames/concourse");
        StadiumStaffingJob job = new StadiumStaffingJob();
        // 5 frames/s: 40 frames take 8 s per camera, time for the alias to move mid-run
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.yaml").toString(),
                "--registry", registryDir.toString(), "--trust", keys.resolve("team.pub.pem").toString(), "--model", "person-detector@production", "--fps", "5",
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

    @Test
    void onlyTheCameraWhoseAliasMovedSwapsAndAMissingAliasWarnsOnce() throws Exception {
        ModelRegistry registry = DetectorRegistry.withBothDetectors(registryDir, keys.resolve("team.pub.pem"));
        registry.setAlias("person-detector", "production", 1, "test");
        registry.setAlias("person-detector", "north-1", 1, "test");

        Path concourse = Samples.dir().resolve("frames/concourse");
        StadiumStaffingJob job = new StadiumStaffingJob();
        // 5 frames/s: 40 frames take 8 s per camera, time for the alias to move and a checkpoint (every 2 s) to pass mid-run
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.yaml").toString(),
                "--registry", registryDir.toString(), "--trust", keys.resolve("team.pub.pem").toString(), "--model", "person-detector@production", "--fps", "5",
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

    @Test
    void aRegistryJobWithoutTrustOrAllowUnsignedIsRefusedAtStart() {
        StadiumStaffingJob job = new StadiumStaffingJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--registry", registryDir.toString(), "--model", "person-detector@production");
        var e = assertThrows(IllegalArgumentException.class, job::call);
        assertEquals("--registry needs --trust <pem> (the keys whose signed versions the job loads) or --allow-unsigned", e.getMessage());

        StadiumStaffingJob both = new StadiumStaffingJob();
        new CommandLine(both).parseArgs("--out", out.toString(), "--registry", registryDir.toString(), "--model", "person-detector@production",
                "--trust", keys.resolve("team.pub.pem").toString(), "--allow-unsigned");
        assertEquals("--trust and --allow-unsigned contradict each other: give one", assertThrows(IllegalArgumentException.class, both::call).getMessage());
    }
}
