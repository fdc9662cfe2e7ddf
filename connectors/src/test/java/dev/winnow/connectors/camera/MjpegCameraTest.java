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
