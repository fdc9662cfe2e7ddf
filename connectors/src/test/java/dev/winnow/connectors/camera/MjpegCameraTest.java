package dev.winnow.connectors.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.winnow.connectors.source.StreamSplit;
import dev.winnow.connectors.testing.Frames;
import dev.winnow.connectors.testing.Metrics;
import dev.winnow.connectors.testing.ReaderHarness;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** MJPEG over HTTP from a real HTTP server (the JDK's) serving real JPEGs, as an IP camera does. */
class MjpegCameraTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTests.miniCluster(REPORTER);

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private URI serve(String path, Handler handler) throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            // each viewer in its own thread, as a camera serves several clients (and a recording camera's probe)
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
        }
        server.createContext(path, ex -> {
            try {
                handler.handle(ex);
            } catch (IOException e) {
                // client went away
            } finally {
                ex.close();
            }
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private static void startMultipart(HttpExchange ex, String boundaryParam) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=" + boundaryParam);
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
    }

    private static void part(OutputStream out, byte[] body, boolean withLength) throws IOException {
        String h = "--winnow\r\nContent-Type: image/jpeg\r\n" + (withLength ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
        out.write(h.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * A recording job keeps an MJPEG camera's own JPEGs: the ffmpeg camera sees the multipart answer, stamps each part
     * on arrival, and its stream copy writes the JPEGs into Matroska segments unchanged. 40 real pictures (vtest.avi at
     * 5 fps, encoded once by ffmpeg, as a camera would) are served in real time; every JPEG in the kept segments is
     * byte for byte one the camera sent, in order, and the segments' times follow the arrival clock.
     */
    @Test
    void aRecordingKeepsEveryJpegAsTheCameraSentIt(@TempDir Path dir) throws Exception {
        Path pictures = Files.createDirectories(dir.resolve("sent"));
        dev.winnow.connectors.clips.Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i",
                dev.winnow.connectors.clips.Videos.vtest().toString(), "-t", "8", "-vf", "fps=5,scale=320:240", "-q:v", "5",
                pictures.resolve("%03d.jpg").toString()));
        List<byte[]> sent = new ArrayList<>();
        try (var files = Files.list(pictures)) {
            for (Path p : files.sorted().toList()) sent.add(Files.readAllBytes(p));
        }
        assertEquals(40, sent.size());
        URI url = serve("/video.mjpg", ex -> {
            startMultipart(ex, "winnow");
            OutputStream out = ex.getResponseBody();
            long t0 = System.nanoTime();
            for (int i = 0; i < sent.size(); i++) {
                part(out, sent.get(i), true);
                sleepUntil(t0 + (i + 1) * 200_000_000L);
            }
        });
        Path spool = dir.resolve("spool");
        CameraSource source = CameraSource.of(CameraSource.ffmpeg("gate", url.toString(), 160, 120, 5).reconnect(false, Duration.ofSeconds(1))
                .record(spool, Duration.ofSeconds(2)));
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(60)));
            long frames = h.records.stream().filter(f -> !f.isSegmentMarker() && !f.isStatusMarker()).count();
            assertTrue(frames >= 35 && frames <= 45, "about 8 s of analysis frames at 5 fps: " + frames);
            List<Frame> segments = h.records.stream().filter(Frame::isSegmentMarker).toList();
            assertTrue(segments.size() >= 2, "segments of about 2 s: " + segments.size());
            List<byte[]> kept = new ArrayList<>();
            for (Frame m : segments) {
                Path seg = Path.of(m.segment.path);
                assertEquals("mjpeg", dev.winnow.connectors.clips.Videos.codec(seg));
                Path unpacked = Files.createDirectories(dir.resolve("kept").resolve(seg.getFileName().toString()));
                dev.winnow.connectors.clips.Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", seg.toString(), "-c", "copy",
                        "-f", "image2", unpacked.resolve("%04d.jpg").toString()));
                try (var files = Files.list(unpacked)) {
                    for (Path p : files.sorted().toList()) kept.add(Files.readAllBytes(p));
                }
                long span = m.segment.endMillis - m.segment.startMillis;
                assertTrue(span >= 1_000 && span <= 3_000, "a segment spans about 2 s of arrival time: " + span + " ms");
            }
            // the segment being written when the stream ended is left out, as for any live stream that breaks
            assertTrue(kept.size() >= 30, "most of the 40 JPEGs are in finished segments: " + kept.size());
            for (int i = 0; i < kept.size(); i++) assertArrayEquals(sent.get(i), kept.get(i), "JPEG " + i + " is the one the camera sent");
        }
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }

    @Test
    void framesArriveInOrderAndTheCorruptPartsAreCountedAndSkipped() throws Exception {
        List<byte[]> served = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            byte[] jpeg = Frames.jpeg(i, 96, 72);
            if (i == 4) jpeg = "garbage where a JPEG should be".getBytes(StandardCharsets.US_ASCII);
            if (i == 9) jpeg = Arrays.copyOf(jpeg, jpeg.length / 2);   // truncated transfer: no EOI
            served.add(jpeg);
        }
        URI url = serve("/video.mjpg", ex -> {
            startMultipart(ex, "\"winnow\"");
            OutputStream out = ex.getResponseBody();
            out.write("preamble ignored\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < served.size(); i++) part(out, served.get(i), i % 3 != 1); // some parts without Content-Length
            out.write("--winnow--\r\n".getBytes(StandardCharsets.US_ASCII));
        });

        StreamExecutionEnvironment env = FlinkTests.env(1, 200);
        CameraSource source = CameraSource.of(CameraSource.mjpeg("gate", url).reconnect(false));
        FlinkTests.Run<Frame> run = FlinkTests.runToEnd(env.fromSource(source, WatermarkStrategy.noWatermarks(), "mjpeg"), "mjpeg");
        List<Frame> got = run.records();

        got.sort(Comparator.comparingLong(f -> f.seq));
        List<Long> expectedSeqs = new ArrayList<>();
        for (long s = 0; s < 14; s++) if (s != 4 && s != 9) expectedSeqs.add(s);
        assertEquals(expectedSeqs, got.stream().map(f -> f.seq).toList());
        for (Frame f : got) {
            assertEquals("gate", f.cameraId);
            assertEquals(FrameEncoding.JPEG, f.encoding);
            assertEquals(96, f.width);
            assertEquals(72, f.height);
            assertArrayEquals(served.get((int) f.seq), f.data, "frame " + f.seq);
        }
        assertEquals(2, Metrics.waitForCounter(REPORTER, run.jobId(), CameraSource.METRIC, 2));
    }

    @Test
    void reconnectsWhenTheCameraDropsTheConnectionAndKeepsNumbering() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        URI url = serve("/drop.mjpg", ex -> {
            int c = connections.incrementAndGet();
            startMultipart(ex, "--winnow");               // boundary parameter that already has the dashes
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < 3; i++) part(out, Frames.jpeg(10 * c + i, 32, 24), true);
            // then the connection just ends, without a closing boundary
        });
        CameraSource source = CameraSource.of(CameraSource.mjpeg("drop", url)
                .reconnectDelay(Duration.ofMillis(50)).maxFrames(8));
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(20)));
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), h.records.stream().map(f -> f.seq).toList());
            assertArrayEquals(Frames.jpeg(20, 32, 24), h.records.get(3).data, "frame 3 is the first of the 2nd connection");
            assertEquals(3, connections.get());
            assertEquals(0, h.counter(CameraSource.METRIC));
        }
    }

    @Test
    void restoreContinuesNumberingAtTheCheckpointedSeq() throws Exception {
        URI url = serve("/live.mjpg", ex -> {
            startMultipart(ex, "winnow");
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < 20; i++) part(out, Frames.jpeg(i, 32, 24), true);
            out.write("--winnow--\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        CameraSource source = CameraSource.of(CameraSource.mjpeg("live", url).reconnect(false).maxFrames(10));
        try (ReaderHarness<Frame> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 7)), true);
            assertTrue(h.pollToEnd(Duration.ofSeconds(10)));
            assertEquals(List.of(7L, 8L, 9L), h.records.stream().map(f -> f.seq).toList());
            assertArrayEquals(Frames.jpeg(0, 32, 24), h.records.get(0).data, "a live camera cannot rewind: the first frame served");
        }
    }

    @Test
    void boundaryParameterForms() {
        assertEquals("abc", MjpegCamera.boundary("multipart/x-mixed-replace; boundary=abc"));
        assertEquals("abc", MjpegCamera.boundary("multipart/x-mixed-replace;boundary=\"abc\""));
        assertEquals("--abc", MjpegCamera.boundary("multipart/x-mixed-replace; boundary=--abc"));
        assertNull(MjpegCamera.boundary("image/jpeg"));
        assertNull(MjpegCamera.boundary(null));
    }
}
