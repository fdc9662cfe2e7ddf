package dev.winnow.connectors.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.clips.Videos;
import dev.winnow.connectors.source.StreamSplit;
import dev.winnow.connectors.testing.Metrics;
import dev.winnow.connectors.testing.ReaderHarness;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ffmpeg camera on a real video: OpenCV's vtest.avi (Debian opencv-doc; 795 frames, 768x576,
 * 10 fps), decoded by the real ffmpeg (Debian ffmpeg). Both come from scripts/install-deps.sh.
 */
class FfmpegCameraTest {
    static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    static final int W = 192;
    static final int H = 144;
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTests.miniCluster(REPORTER);

    @BeforeAll
    static void needsFfmpegAndTheVideo() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("ffmpeg is not installed: run scripts/install-deps.sh (CI installs it)", e);
        }
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "ffmpeg -version failed");
        assertTrue(Files.isRegularFile(VTEST), VTEST + " is missing: run scripts/install-deps.sh (Debian package opencv-doc)");
    }

    @Test
    void decodesEveryFrameOfARealVideoOnAMiniCluster() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.env(1, 300);
        CameraSource source = CameraSource.of(CameraSource.ffmpeg("plaza", VTEST.toString(), W, H, 10).startMillis(5_000));
        FlinkTests.Run<Frame> run = FlinkTests.runToEnd(env.fromSource(source, WatermarkStrategy.noWatermarks(), "vtest"), "ffmpeg");
        List<Frame> got = run.records();

        assertEquals(795, got.size(), "vtest.avi has 795 frames at 10 fps");
        got.sort(Comparator.comparingLong(f -> f.seq));
        for (int i = 0; i < got.size(); i++) {
            Frame f = got.get(i);
            assertEquals(i, f.seq);
            assertEquals(5_000 + 100L * i, f.timestampMillis, "event time from the frame index at 10 fps");
            assertEquals(FrameEncoding.GRAY8, f.encoding);
            assertEquals(W, f.width);
            assertEquals(H, f.height);
            assertEquals(W * H, f.data.length);
        }
        // real pictures: mid-grey plaza, people moving, so consecutive frames differ but not wildly
        double mean = mean(got.get(400).data);
        assertTrue(mean > 60 && mean < 200, "mean brightness " + mean);
        assertNotEquals(0, diff(got.get(100).data, got.get(110).data));
        assertEquals(0, Metrics.sumCounters(REPORTER, run.jobId(), CameraSource.METRIC));
    }

    @Test
    void restoreDiscardsUpToTheCheckpointedFrameAndContinuesWithTheSamePixels() throws Exception {
        CameraSource source = CameraSource.of(CameraSource.ffmpeg("plaza", VTEST.toString(), W, H, 10).maxFrames(60));
        StreamSplit<Frame> start = new StreamSplit<>(source.specs().get(0), 0, 0);
        List<Frame> uninterrupted = ReaderHarness.readToEnd(source, List.of(start), Duration.ofSeconds(30));
        assertEquals(60, uninterrupted.size(), "maxFrames bounds the camera");

        // closing the first reader kills ffmpeg mid-stream
        ReaderHarness.Restore<Frame> restore = ReaderHarness.checkpointAndRestore(source, start, 23, Duration.ofSeconds(30));
        assertEquals(23, restore.checkpoint().get(0).position());
        List<Frame> resumed = restore.all();
        assertEquals(60, resumed.size());
        for (int i = 0; i < 60; i++) {
            assertEquals(i, resumed.get(i).seq);
            assertEquals(uninterrupted.get(i).timestampMillis, resumed.get(i).timestampMillis);
            assertArrayEquals(uninterrupted.get(i).data, resumed.get(i).data, "pixels of frame " + i);
        }
    }

    @Test
    void aShortFrameAtTheEndIsCountedAndSkipped(@TempDir Path dir) throws Exception {
        // stands in for ffmpeg: two and a half 8x4 frames on stdout, whatever the arguments
        Path fake = dir.resolve("fake-ffmpeg");
        Files.writeString(fake, "#!/bin/sh\nhead -c 80 /dev/zero\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        CameraSource source = CameraSource.of(CameraSource.ffmpeg("fake", "input.avi", 8, 4, 5).ffmpeg(fake.toString()));
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(10)));
            assertEquals(List.of(0L, 1L), h.records.stream().map(f -> f.seq).toList());
            assertEquals(1, h.counter(CameraSource.METRIC));
        }
    }

    @Test
    void aMissingFileFailsThatCameraWithFfmpegsOwnError() throws Exception {
        CameraSource source = CameraSource.of(CameraSource.ffmpeg("nowhere", "/no/such/video.avi", W, H, 10));
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(10)), "the camera ends; the job does not fail");
            assertEquals(List.of(), h.records);
            assertEquals(1, h.counter("camera.nowhere.failed"));
        }
    }

    /**
     * Two recordings joined into one transport stream, 10 s of H.264 then 20 s of MPEG-4 Part 2: ffmpeg decodes the
     * first, skips the second as damaged H.264 and exits 0. The camera must not end as if the file were done: it
     * fails with the length it reached, and the segment that took the MPEG-4 packets in is left out.
     */
    @Test
    void aFileWhoseCodecChangesMidwayFailsThatCameraAndLeavesOutTheMixedSegment(@TempDir Path dir) throws Exception {
        Path h264 = dir.resolve("h264.ts"), mpeg4 = dir.resolve("mpeg4.ts"), joined = dir.resolve("joined.ts");
        Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", VTEST.toString(), "-t", "10",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-an", "-f", "mpegts", h264.toString()));
        Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", "10", "-i", VTEST.toString(), "-t", "20",
                "-c:v", "mpeg4", "-q:v", "5", "-g", "10", "-an", "-output_ts_offset", "10", "-f", "mpegts", mpeg4.toString()));
        Files.write(joined, Files.readAllBytes(h264));
        Files.write(joined, Files.readAllBytes(mpeg4), java.nio.file.StandardOpenOption.APPEND);
        Path spool = dir.resolve("spool");
        CameraSource source = CameraSource.of(CameraSource.ffmpeg("joined", joined.toString(), W, H, 5).record(spool, Duration.ofSeconds(4)));
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(60)), "the camera ends; the job does not fail");
            List<Frame> pictures = h.records.stream().filter(f -> !f.isSegmentMarker() && !f.isStatusMarker()).toList();
            assertEquals(50, pictures.size(), "10 s of H.264 at 5 fps");
            assertEquals(1, h.counter("camera.joined.failed"));
            List<Frame> failed = h.records.stream().filter(Frame::isStatusMarker).toList();
            assertEquals(1, failed.size());
            assertTrue(failed.get(0).status.message.contains("gave no frame after 10.0 s of its 29.8 s"), failed.get(0).status.message);
            List<Frame> segments = h.records.stream().filter(Frame::isSegmentMarker).toList();
            assertTrue(segments.size() >= 2, "the H.264 part's segments are announced: " + segments.size());
            for (Frame s : segments) {
                Path seg = Path.of(s.segment.path);
                assertEquals("h264", Videos.codec(seg), seg.toString());
                Videos.assertPlayable(seg);
            }
            try (var files = Files.walk(spool)) {
                long written = files.filter(p -> p.toString().endsWith(".mkv")).count();
                assertEquals(segments.size(), written, "the mixed segment is deleted, not only unannounced");
            }
        }
    }

    private static double mean(byte[] px) {
        long s = 0;
        for (byte b : px) s += b & 0xFF;
        return (double) s / px.length;
    }

    private static long diff(byte[] a, byte[] b) {
        long d = 0;
        for (int i = 0; i < a.length; i++) d += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        return d;
    }
}
