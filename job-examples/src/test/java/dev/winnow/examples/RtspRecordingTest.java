package dev.winnow.examples;

import static dev.winnow.connectors.clips.Videos.run;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.TestJobs;
import dev.winnow.connectors.camera.FfmpegCamera;
import dev.winnow.connectors.clips.Videos;
import dev.winnow.examples.report.RetentionReport;
import dev.winnow.examples.testing.CountingReporter;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.examples.testing.VlcRtspServer;
import dev.winnow.flink.types.CameraStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * security-retention recording a real RTSP server: VLC serves an H.264 clip made from vtest.avi (RTP
 * over UDP; the camera's first TCP attempt gets 461 and it switches), the server is stopped and
 * started again mid-run, the camera reconnects with back-off, the gap shows up as a log line, the
 * {@code camera.cam.gaps} metric and a summary line, recording goes on after it, and every committed
 * clip opens in ffprobe and decodes to the end.
 */
class RtspRecordingTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(CountingReporter.configure(new Configuration()), 2);

    @TempDir Path tmp;

    static Path h264Clip(Path dir) throws Exception {
        Path out = dir.resolve("vtest-h264.mp4");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", Videos.vtest().toString(), "-t", "40", "-c:v", "libx264", "-preset", "veryfast",
                "-g", "10", "-keyint_min", "10", "-sc_threshold", "0", "-an", out.toString()));
        return out;
    }

    /**
     * ffprobe opens it, ffmpeg decodes it to the end, and every packet in the container comes out as a frame: the
     * clip is neither truncated nor cut inside a GOP. VLC serves RTSP over UDP only, and a datagram lost between it
     * and the camera's ffmpeg on a busy machine damages a picture of the source itself ("error while decoding MB"):
     * such concealed damage is printed, not failed, as an NVR recording over UDP would hold it too.
     */
    static void assertPlayable(Path clip) throws Exception {
        // run() merges stderr into stdout: the count is ffprobe's last line, after any decoder messages
        String packets = lastLine(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets",
                "-of", "csv=p=0", clip.toString())));
        String decoded = run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", clip.toString(), "-f", "null", "-"));
        List<String> errors = decoded.lines().filter(l -> !l.isBlank()).toList();
        for (String e : errors)
            assertTrue(e.contains("error while decoding MB") || e.contains("concealing") || e.contains("Invalid level prefix")
                    || e.contains("left block unavailable") || e.contains("top block unavailable") || e.contains("out of range intra chroma pred mode"),
                    clip + " decodes to the end without a structural error: " + e);
        if (!errors.isEmpty()) System.out.println(clip.getFileName() + ": source damage from UDP loss, concealed: " + errors.size() + " lines");
        String frames = lastLine(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames",
                "-of", "csv=p=0", clip.toString())));
        assertEquals(packets, frames, clip + ": every packet decodes to a frame");
    }

    static String lastLine(String out) {
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }

    static long segmentsListed(Path spool) throws Exception {
        if (!Files.isDirectory(spool)) return 0;
        try (Stream<Path> s = Files.walk(spool)) {
            long n = 0;
            for (Path p : s.filter(p -> p.getFileName().toString().equals("segments.csv")).toList()) n += Files.readAllLines(p).size();
            return n;
        }
    }

    /** Starts the job on the server's stream (200 frames at 5 fps) and returns once it has recorded 8 segments. */
    static JobClient startRecording(SecurityRetentionJob job, String camera, VlcRtspServer server, Path out, LogLines log) throws Exception {
        new CommandLine(job).parseArgs("--out", out.toString(), "--camera", camera + "=" + server.url(), "--fps", "5",
                "--max-frames", "200", "--parallelism", "1");
        StreamExecutionEnvironment env = TestJobs.envWithExplicitUids(1);
        job.build(env);
        JobClient client = env.executeAsync("security-retention rtsp " + camera);
        Path spool = out.resolve(".spool");
        long deadline = System.currentTimeMillis() + 60_000;
        while (segmentsListed(spool) < 8 && System.currentTimeMillis() < deadline) Thread.sleep(200);
        assertTrue(segmentsListed(spool) >= 8, "recording from " + server.url() + " started: " + log.lines);
        return client;
    }

    @Test
    void theCameraReconnectsAfterTheServerRestartsAndEveryClipPlays() throws Exception {
        Path out = tmp.resolve("out");
        try (VlcRtspServer server = new VlcRtspServer(h264Clip(tmp), tmp).start();
             LogLines log = new LogLines(FfmpegCamera.class)) {
            SecurityRetentionJob job = new SecurityRetentionJob();
            JobClient client = startRecording(job, "cam", server, out, log);
            server.stop();
            Thread.sleep(4_000);
            server.start();
            client.getJobExecutionResult().get(180, TimeUnit.SECONDS);

            assertTrue(log.any("using UDP"), "VLC refuses RTSP over TCP; the camera says it switched: " + log.lines);
            assertTrue(log.any("camera cam: " + server.url() + " is back after a"), "the gap is logged: " + log.lines);
            assertTrue(log.any("reconnect attempt 2 in 1000 ms"), "back-off doubles from 0.5 s: " + log.lines);
            // a restarted VLC may send a first packet without a timestamp, which ends that segment and costs one more
            // reconnect: the restart makes at least one gap, and the metric, the statuses and the summary agree
            long gapCount = CountingReporter.sum("camera.cam.gaps");
            assertTrue(gapCount >= 1, "the restart shows as a gap in the metric");
            assertTrue(CountingReporter.sum("camera.cam.gapMillis") >= 4_000, "gap length in the metric");

            RetentionReport.writeMergedIndex(out);
            RetentionReport report = RetentionReport.read(out, job.retention());
            String summary = report.summary(0);
            System.out.print(summary);
            List<CameraStatus> gaps = report.statuses();
            assertEquals(gapCount, gaps.size(), gaps.toString());
            for (CameraStatus g : gaps) assertEquals(CameraStatus.GAP, g.kind);
            assertTrue(summary.contains("camera cam: " + gapCount + (gapCount == 1 ? " gap in its stream" : " gaps in its stream")), summary);
            long afterGap = gaps.get(0).toMillis;
            assertTrue(report.video(null).sourceBytes() > 0);
            assertFalse(report.clips().isEmpty(), "vtest has people throughout: clips were kept");
            for (var c : report.clips()) {
                assertPlayable(out.resolve(c.clip()));
                assertEquals(Files.size(out.resolve(c.clip())), c.bytes());
            }
            assertTrue(report.clips().stream().anyMatch(c -> c.endMillis() > afterGap), "recording went on after the gap: " + report.clips());
        }
    }

    /**
     * The camera is reconfigured from H.264 to MPEG-4 Part 2: its RTSP server goes away and comes back at the same URL
     * in the other codec. The camera reconnects, ffmpeg probes the new stream, recording goes on in a new run of
     * segments, and the events before and after each get clips in their own codec, all of which play.
     */
    @Test
    void aServerThatComesBackInAnotherCodecIsRecordedInIt() throws Exception {
        Path out = tmp.resolve("out");
        Path mpeg4 = tmp.resolve("vtest-mpeg4.mp4");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", "40", "-i", Videos.vtest().toString(), "-t", "39",
                "-c:v", "mpeg4", "-q:v", "5", "-g", "10", "-an", mpeg4.toString()));
        try (VlcRtspServer server = new VlcRtspServer(h264Clip(tmp), tmp).start(); LogLines log = new LogLines(FfmpegCamera.class)) {
            SecurityRetentionJob job = new SecurityRetentionJob();
            // its own camera id: the reporter's counters outlive a job, and the restart test sums camera.cam.gaps
            JobClient client = startRecording(job, "lobby", server, out, log);
            server.stop();
            server.replaceClip(mpeg4);
            Thread.sleep(3_000);
            server.start();
            client.getJobExecutionResult().get(180, TimeUnit.SECONDS);

            assertTrue(log.any("camera lobby: " + server.url() + " is back after a"), "the reconnect is logged: " + log.lines);
            RetentionReport.writeMergedIndex(out);
            RetentionReport report = RetentionReport.read(out, job.retention());
            System.out.print(report.summary(0));
            long afterGap = report.statuses().get(0).toMillis;
            java.util.Map<String, List<Long>> endsByCodec = new java.util.TreeMap<>();
            for (var c : report.clips()) {
                Path clip = out.resolve(c.clip());
                assertPlayable(clip);
                String codec = lastLine(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name",
                        "-of", "csv=p=0", clip.toString())));
                endsByCodec.computeIfAbsent(codec, k -> new java.util.ArrayList<>()).add(c.endMillis());
            }
            assertEquals(java.util.Set.of("h264", "mpeg4"), endsByCodec.keySet(), "clips in both codecs: " + report.clips());
            assertTrue(endsByCodec.get("mpeg4").stream().allMatch(end -> end > afterGap), "the MPEG-4 clips follow the reconnect");
        }
    }

    @Test
    void badInputFailsItsOwnCameraWithOneClearMessageWhileTheOthersGoOn() throws Exception {
        Path out = tmp.resolve("out");
        Path clip = h264Clip(tmp);
        Path good = tmp.resolve("good.mp4");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", clip.toString(), "-t", "12", "-c", "copy", good.toString()));
        Path garbage = tmp.resolve("garbage.mp4");
        byte[] noise = new byte[300_000];
        new java.util.Random(7).nextBytes(noise);
        Files.write(garbage, noise);
        Path mkv = tmp.resolve("full.mkv");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", clip.toString(), "-c", "copy", mkv.toString()));
        Path truncated = tmp.resolve("truncated.mkv");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(mkv), 400_000));
        // two recordings joined: 10 s of H.264, then MPEG-4 Part 2, in one transport stream
        Path joined = tmp.resolve("joined.ts"), tail = tmp.resolve("tail.ts");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", clip.toString(), "-t", "10", "-c", "copy", "-f", "mpegts", joined.toString()));
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", "10", "-i", clip.toString(), "-t", "20", "-c:v", "mpeg4", "-q:v", "5",
                "-an", "-output_ts_offset", "10", "-f", "mpegts", tail.toString()));
        Files.write(joined, Files.readAllBytes(tail), java.nio.file.StandardOpenOption.APPEND);
        try (VlcRtspServer server = new VlcRtspServer(clip, tmp).start(); LogLines log = new LogLines(FfmpegCamera.class)) {
            String missing = server.url().replace("/cam", "/nope");
            SecurityRetentionJob job = new SecurityRetentionJob();
            new CommandLine(job).parseArgs("--out", out.toString(), "--fps", "5", "--max-frames", "60", "--camera", "good=" + good,
                    "--camera", "garbage=" + garbage, "--camera", "truncated=" + truncated, "--camera", "nope=" + missing,
                    "--camera", "joined=" + joined);
            TestJobs.executeWithExplicitUids("security-retention bad input", 2, job::build);

            RetentionReport.writeMergedIndex(out);
            RetentionReport report = RetentionReport.read(out, job.retention());
            String summary = report.summary(0);
            System.out.print(summary);
            assertTrue(summary.contains("camera garbage failed: " + garbage + " cannot be read: ") && summary.contains("Invalid data found"), summary);
            assertTrue(summary.contains("camera truncated failed: " + truncated + " ended early after ") && summary.contains("File ended prematurely"), summary);
            assertTrue(summary.contains("camera nope failed: " + missing + " the server refused the stream: ") && summary.contains("404"), summary);
            assertTrue(summary.contains("camera joined failed: " + joined + " gave no frame after ")
                    && summary.contains("ffmpeg found no video it could decode in the rest"), summary);
            for (String cam : List.of("garbage", "truncated", "nope", "joined")) {
                assertEquals(1, log.lines.stream().filter(l -> l.startsWith("ERROR camera " + cam + " failed:")).count(), "one error line for " + cam + ": " + log.lines);
            }
            assertEquals(60, report.perCamera().get("good").frames(), "the good camera went on to its end");
            assertTrue(report.perCamera().get("truncated").frames() > 0, "the truncated file's frames before the cut were scored");
            assertFalse(report.clips().isEmpty());
            for (var c : report.clips()) assertPlayable(out.resolve(c.clip()));
        }
    }
}
