package dev.winnow.connectors.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.source.StreamSplit;
import dev.winnow.connectors.testing.Frames;
import dev.winnow.connectors.testing.Metrics;
import dev.winnow.connectors.testing.ReaderHarness;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderCameraTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTests.miniCluster(REPORTER);

    @TempDir
    Path dir;

    /** 00..04.jpg real JPEGs, 05.jpg corrupt, 06.png gray, 07.png colour, 08.pgm, 09.ppm, plus a text file that is ignored. */
    private List<byte[]> writeFolder() throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] j = Frames.jpeg(i, 64, 48);
            jpegs.add(j);
            Files.write(dir.resolve(String.format("%02d.jpg", i)), j);
        }
        Files.write(dir.resolve("05.jpg"), "not a jpeg at all".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("06.png"), Frames.encode(Frames.image(6, 20, 10, BufferedImage.TYPE_BYTE_GRAY), "png"));
        Files.write(dir.resolve("07.png"), Frames.encode(Frames.image(7, 20, 10, BufferedImage.TYPE_INT_RGB), "png"));
        byte[] pgm = pnm("P5", 4, 3, 1);
        Files.write(dir.resolve("08.pgm"), pgm);
        Files.write(dir.resolve("09.ppm"), pnm("P6", 2, 2, 3));
        Files.writeString(dir.resolve("README.txt"), "ignored");
        return jpegs;
    }

    private static byte[] pnm(String magic, int w, int h, int ch) {
        byte[] header = (magic + "\n# test\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + w * h * ch];
        System.arraycopy(header, 0, out, 0, header.length);
        for (int i = header.length; i < out.length; i++) out[i] = (byte) (i * 7);
        return out;
    }

    @Test
    void replaysTheFolderInNameOrderOnAMiniClusterAndSkipsTheCorruptFile() throws Exception {
        List<byte[]> jpegs = writeFolder();
        StreamExecutionEnvironment env = FlinkTests.env(2, 200);
        CameraSource source = CameraSource.of(
                CameraSource.imageFolder("lobby", dir).eventTime(1_000_000L, 5),
                CameraSource.imageFolder("lobby-again", dir).eventTime(2_000_000L, 5).maxFrames(3));
        FlinkTests.Run<Frame> run = FlinkTests.runToEnd(env.fromSource(source, WatermarkStrategy.noWatermarks(), "folder"), "image-folder");
        List<Frame> got = run.records();

        List<Frame> lobby = got.stream().filter(f -> f.cameraId.equals("lobby")).sorted(Comparator.comparingLong(f -> f.seq)).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L), lobby.stream().map(f -> f.seq).toList(),
                "05.jpg is skipped and leaves a gap");
        for (int i = 0; i < 5; i++) {
            Frame f = lobby.get(i);
            assertEquals(FrameEncoding.JPEG, f.encoding);
            assertEquals(64, f.width);
            assertEquals(48, f.height);
            assertArrayEquals(jpegs.get(i), f.data, "JPEG bytes passed on untouched");
            assertEquals(1_000_000L + 200L * i, f.timestampMillis);
        }
        Frame gray = lobby.get(5);
        assertEquals(FrameEncoding.GRAY8, gray.encoding);
        assertEquals(20 * 10, gray.data.length);
        Frame rgb = lobby.get(6);
        assertEquals(FrameEncoding.RGB24, rgb.encoding);
        assertEquals(3 * 20 * 10, rgb.data.length);
        BufferedImage img = Frames.image(7, 20, 10, BufferedImage.TYPE_INT_RGB);
        int p = img.getRGB(3, 4);
        int o = 3 * (4 * 20 + 3);
        assertEquals((p >> 16) & 0xFF, rgb.data[o] & 0xFF);
        assertEquals((p >> 8) & 0xFF, rgb.data[o + 1] & 0xFF);
        assertEquals(p & 0xFF, rgb.data[o + 2] & 0xFF);
        Frame pgm = lobby.get(7);
        assertEquals(FrameEncoding.GRAY8, pgm.encoding);
        assertEquals(4, pgm.width);
        assertEquals(3, pgm.height);
        byte[] expectedPgm = pnm("P5", 4, 3, 1);
        assertArrayEquals(java.util.Arrays.copyOfRange(expectedPgm, expectedPgm.length - 12, expectedPgm.length), pgm.data);
        assertEquals(FrameEncoding.RGB24, lobby.get(8).encoding);
        assertEquals(12, lobby.get(8).data.length);

        List<Long> again = got.stream().filter(f -> f.cameraId.equals("lobby-again")).map(f -> f.seq).sorted().toList();
        assertEquals(List.of(0L, 1L, 2L), again, "maxFrames bounds the camera");
        assertEquals(1, Metrics.waitForCounter(REPORTER, run.jobId(), CameraSource.METRIC, 1));
    }

    @Test
    void restoreFromACheckpointedPositionResumesWithoutLossOrDuplicates() throws Exception {
        writeFolder();
        CameraSource source = CameraSource.of(CameraSource.imageFolder("lobby", dir).loop(true).maxFrames(25));
        List<StreamSplit<Frame>> checkpoint;
        List<Long> first = new ArrayList<>();
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            h.pollUntil(7, Duration.ofSeconds(10));
            checkpoint = h.snapshot(1);
            h.records.forEach(f -> first.add(f.seq));
            // 05.jpg at seq 5 (and at 15 too if the reader thread ran ahead of the emitted frames)
            assertTrue(h.counter(CameraSource.METRIC) >= 1);
        }
        assertEquals(1, checkpoint.size());
        assertEquals(first.get(first.size() - 1) + 1, checkpoint.get(0).position(), "position = next seq to emit");
        List<Long> second = new ArrayList<>();
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(checkpoint, true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(10)));
            h.records.forEach(f -> second.add(f.seq));
            assertEquals(1, h.counter(CameraSource.METRIC), "05.jpg again at seq 15 (looping)");
        }
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        List<Long> expected = new ArrayList<>();
        for (long s = 0; s < 25; s++) if (s % 10 != 5) expected.add(s);
        assertEquals(expected, all);
    }

    @Test
    void pacesFramesAtTheRequestedRate() throws Exception {
        writeFolder();
        CameraSource source = CameraSource.of(CameraSource.imageFolder("paced", dir).fps(40).maxFrames(9));
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            long t0 = System.nanoTime();
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(10)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(8, h.records.size());
            assertTrue(ms >= 190, "9 positions at 40 fps take at least 200 ms, took " + ms);
            assertTrue(ms < 3000, "took " + ms);
            assertEquals(List.of(0L, 25L, 50L, 75L, 100L), h.records.subList(0, 5).stream()
                    .map(f -> f.timestampMillis - h.records.get(0).timestampMillis).toList(), "event time at 40 fps");
        }
    }
}
