package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import dev.winnow.connectors.clips.ClipIndex;
import dev.winnow.connectors.clips.Videos;
import dev.winnow.examples.report.RetentionReport;
import dev.winnow.examples.testing.TestJobs;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * security-retention on an IP camera that serves MJPEG over HTTP: real pictures (vtest.avi's plaza, people in every
 * frame, encoded once to JPEG as the camera would) sent in real time as {@code multipart/x-mixed-replace}. The job
 * keeps the camera's own JPEGs: every picture in the committed clip is byte for byte one the camera sent, in the
 * order it sent them, and the clip plays.
 */
class MjpegRecordingTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    @TempDir Path tmp;

    @Test
    void theClipHoldsTheJpegsTheCameraSent() throws Exception {
        Path pictures = Files.createDirectories(tmp.resolve("sent"));
        Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", Videos.vtest().toString(),
                "-t", "14", "-vf", "fps=5,scale=384:288", "-q:v", "4", pictures.resolve("%03d.jpg").toString()));
        List<byte[]> sent = new ArrayList<>();
        try (var files = Files.list(pictures)) {
            for (Path p : files.sorted().toList()) sent.add(Files.readAllBytes(p));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/video.mjpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=plaza");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < sent.size(); i++) {
                    byte[] jpeg = sent.get(i);
                    out.write(("--plaza\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    long wait = t0 + (i + 1) * 200_000_000L - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                }
            } catch (java.io.IOException viewerLeft) {
                // the camera's reader stopped at --max-frames
            }
        });
        server.start();
        try {
            Path out = tmp.resolve("out");
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/video.mjpg";
            SecurityRetentionJob job = new SecurityRetentionJob();
            new CommandLine(job).parseArgs("--out", out.toString(), "--camera", "gate=" + url, "--fps", "5", "--max-frames", "50",
                    "--segment", "PT2S", "--parallelism", "1");
            TestJobs.executeWithExplicitUids("security-retention mjpeg", 1, job::build);

            RetentionReport.writeMergedIndex(out);
            RetentionReport report = RetentionReport.read(out, job.retention());
            System.out.print(report.summary(0));
            List<ClipIndex.Row> clips = report.clips();
            assertFalse(clips.isEmpty(), "people throughout: a clip is kept");
            List<String> sentHashes = sent.stream().map(MjpegRecordingTest::sha).toList();
            for (ClipIndex.Row c : clips) {
                Path clip = out.resolve(c.clip());
                assertTrue(c.clip().endsWith(".mkv"), "MJPEG is kept in Matroska: " + c.clip());
                assertEquals("mjpeg", RtspRecordingTest.lastLine(Videos.run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0",
                        "-show_entries", "stream=codec_name", "-of", "csv=p=0", clip.toString()))));
                RtspRecordingTest.assertPlayable(clip);
                Path unpacked = Files.createDirectories(tmp.resolve("kept").resolve(clip.getFileName().toString()));
                Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", clip.toString(), "-c", "copy", "-f", "image2",
                        unpacked.resolve("%04d.jpg").toString()));
                List<String> kept = new ArrayList<>();
                try (var files = Files.list(unpacked)) {
                    for (Path p : files.sorted().toList()) kept.add(sha(Files.readAllBytes(p)));
                }
                assertTrue(kept.size() >= 10, "the clip holds seconds of pictures: " + kept.size());
                int first = sentHashes.indexOf(kept.get(0));
                assertTrue(first >= 0, "the clip's first JPEG is one the camera sent");
                assertEquals(sentHashes.subList(first, first + kept.size()), kept, "the clip holds the camera's JPEGs, unchanged and in order");
            }
        } finally {
            server.stop(0);
        }
    }

    private static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
