package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.JobTest;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.connectors.sink.FrameFiles;
import dev.winnow.examples.report.RetentionReport;
import dev.winnow.flink.types.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * security-retention on the bundled sample and detector, on a MiniCluster: the people-free garden and
 * skyline cameras are dropped, every hand-labelled frame with people is kept, and the
 * retained frames on disk (--keep-frames) are exactly the frames the job says it kept. And on
 * vtest.avi: the camera's own DivX 3 stream kept as playable clips with an index.
 */
class SecurityRetentionJobTest extends JobTest {
    @Test
    void keepsThePeopleDropsTheRestAndReportsTheSaving() throws Exception {
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--keep-frames");
        job.useSamplesIfNoCamera();
        TestJobs.execute("security-retention test", 2, job::build);

        RetentionReport report = RetentionReport.read(out, job.retention());
        RetentionReport.Totals all = report.total();
        assertEquals(124 + 30, all.frames(), "every frame scored once");
        assertEquals(64, all.labelledPerson(), "the hand-counted frames");
        assertEquals(all.labelledPerson(), all.keptPerson(), "no frame with people lost");
        // empty frames more than the pre/post roll away from any frame with people are all to be dropped
        long far = 0, farDropped = 0;
        List<String> farKept = new java.util.ArrayList<>();
        for (RetentionReport.Decision d : report.decisions()) {
            if (d.labelCount() != 0) continue;
            boolean nearPeople = report.decisions().stream().anyMatch(p -> p.camera().equals(d.camera()) && p.labelCount() > 0
                    && d.timestampMillis() >= p.timestampMillis() - job.preRoll.toMillis() && d.timestampMillis() <= p.timestampMillis() + job.postRoll.toMillis());
            if (nearPeople) continue;
            far++;
            if (!report.kept(d)) farDropped++;
            else farKept.add(d.camera() + "#" + d.seq() + " score " + d.score() + " count " + d.count());
        }
        assertEquals(90, far, "30 garden and 60 skyline frames, no person on either camera");
        // both are real people-free footage (tree.avi's leaves and light, cityCC0.mpg's lit towers and pan): every frame dropped
        assertEquals(far, farDropped, "real people-free frames all dropped: kept " + farKept);
        assertTrue(all.keptBytes() < 0.7 * all.bytes(), "storage saved: " + all.keptBytes() + " of " + all.bytes());
        assertFalse(report.events().isEmpty());

        long kept = report.decisions().stream().filter(report::kept).count();
        long onDisk = 0;
        try (Stream<Path> files = Files.walk(out.resolve("frames"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                assertTrue(f.toString().contains("camera="), "partitioned by camera: " + f);
                List<Frame> frames = FrameFiles.read(f);
                onDisk += frames.size();
            }
        }
        assertEquals(kept, onDisk, "the retained frames on disk are the kept frames");

        report.writeHtml(out.resolve("report.html"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("camera plaza"));
    }

    @Test
    void vtestIsKeptAsTheCamerasOwnVideoInPlayableClips() throws Exception {
        Path vtest = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
        assertTrue(Files.isReadable(vtest), "apt-get install opencv-doc");
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--camera", "plaza=" + vtest, "--fps", "5");
        TestJobs.executeWithExplicitUids("security-retention vtest", 2, job::build);
        RetentionReport.writeMergedIndex(out);
        RetentionReport report = RetentionReport.read(out, job.retention());
        RetentionReport.Video v = report.video(null);
        assertTrue(v.sourceBytes() > 7_500_000 && v.sourceBytes() <= Files.size(vtest), "the camera's encoded bytes: " + v.sourceBytes());
        assertFalse(report.clips().isEmpty(), "people in every frame of vtest: at least one clip");
        for (var c : report.clips()) {
            Path clip = out.resolve(c.clip());
            assertTrue(c.clip().matches("camera=plaza/\\d{4}-\\d\\d-\\d\\d/\\d\\d-\\d\\d-\\d\\d_\\d+\\.mkv"), c.clip());
            assertEquals(Files.size(clip), c.bytes());
            Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", clip.toString(), "-f", "null", "-").redirectErrorStream(true).start();
            String errors = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor());
            assertEquals("", errors.trim(), clip + " decodes to the end");
        }
        assertTrue(Files.readString(out.resolve("index.csv")).lines().count() == report.clips().size() + 1);
        report.writeHtml(out.resolve("report.html"));
        String html = Files.readString(out.resolve("report.html"));
        assertFalse(html.contains("<video"), "a browser cannot play DivX 3: no broken player");
        assertEquals(report.clips().size(), html.split("class=\"download\"", -1).length - 1, "a download per clip instead");
        System.out.print(report.summary(0));
    }

    @Test
    void aByteBudgetDeletesTheOldestClipsAndTheSummarySaysSo() throws Exception {
        Path dir = out.resolve("src-video");
        Files.createDirectories(dir);
        Path vtest = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
        Path src = dir.resolve("cam.mkv");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", vtest.toString(), "-t", "60",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-an", src.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--camera", "cam=" + src, "--fps", "5", "--max-bytes-per-camera", "1");
        TestJobs.executeWithExplicitUids("security-retention budget", 1, job::build);
        RetentionReport report = RetentionReport.read(out, job.retention());
        String summary = report.summary(0);
        System.out.print(summary);
        assertTrue(report.clips().isEmpty(), "a 1-byte budget keeps no clip in the index: " + report.clips());
        List<String> deleted = Files.readAllLines(out.resolve("camera=cam/deleted.csv"));
        assertTrue(deleted.size() >= 2, deleted.toString());
        assertTrue(deleted.get(1).endsWith("over the camera's budget of 1 bytes"), deleted.get(1));
        String clip = deleted.get(1).split(",")[6];
        assertFalse(Files.exists(out.resolve(clip)), "the deleted clip is gone from disk");
        assertTrue(summary.contains("retention: camera cam: " + (deleted.size() - 1) + " clips deleted"), summary);
    }
}
