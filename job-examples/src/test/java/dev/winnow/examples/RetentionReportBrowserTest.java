package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.HeadlessChromium;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.connectors.clips.ClipCommittable;
import dev.winnow.connectors.clips.ClipIndex;
import dev.winnow.examples.report.RetentionReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * security-retention's report.html opened in headless Chromium ({@link HeadlessChromium}, installed by
 * scripts/install-deps.sh): on a run with an H.264 camera (vtest's frames encoded with libx264) and a
 * DivX 3 camera (vtest.avi's own stream), every H.264 clip's player loads with a duration, every
 * thumbnail loads, nothing errors, and the DivX clips offer a download instead of a player.
 */
class RetentionReportBrowserTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    @TempDir Path tmp;

    static void run(List<String> cmd, Path log) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + Files.readString(log));
    }

    @Test
    void theReportsPlayersAndThumbnailsLoadInChromiumAndDivxClipsOfferADownload() throws Exception {
        String chromium = HeadlessChromium.find();
        assertTrue(chromium != null, "chromium is not installed (scripts/install-deps.sh installs it; CI must have it)");
        assertTrue(Files.isReadable(VTEST), "apt-get install opencv-doc");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path h264 = src.resolve("street.mp4"), divx = src.resolve("hall.avi");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", VTEST.toString(), "-t", "16", "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-g", "10", "-an", h264.toString()), tmp.resolve("ffmpeg-h264.log"));
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", VTEST.toString(), "-t", "12", "-c", "copy", "-an", divx.toString()),
                tmp.resolve("ffmpeg-divx.log"));

        Path out = tmp.resolve("out");
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--camera", "street=" + h264, "--camera", "hall=" + divx, "--fps", "5");
        TestJobs.execute("security-retention report", 2, job::build);
        RetentionReport.writeMergedIndex(out);
        RetentionReport report = RetentionReport.read(out, job.retention());
        Path page = out.resolve("report.html");
        report.writeHtml(page);

        List<ClipIndex.Row> street = new ArrayList<>(), hall = new ArrayList<>();
        for (ClipIndex.Row r : report.clips()) (r.camera().equals("street") ? street : hall).add(r);
        assertFalse(street.isEmpty(), "people in vtest's first 16 s: an H.264 clip");
        assertFalse(hall.isEmpty(), "and a DivX clip");
        for (ClipIndex.Row r : report.clips()) {
            Path thumb = out.resolve(ClipCommittable.thumbnailOf(r.clip()));
            var img = ImageIO.read(thumb.toFile());
            assertNotNull(img, "a JPEG thumbnail beside " + r.clip());
            assertEquals(320, img.getWidth(), "made from the 320x240 analysis frame");
        }
        String html = Files.readString(page);
        assertEquals(report.clips().size(), HeadlessChromium.count(html, "<tr class=\"event\""), "one row per committed clip");
        assertEquals(street.size(), HeadlessChromium.count(html, "<video "), "a player for each H.264 clip only");
        assertEquals(hall.size(), HeadlessChromium.count(html, "class=\"download\""), "a download for each DivX clip");
        assertTrue(html.contains("DivX 3 (msmpeg4v3) in Matroska: a browser cannot play it"), "the row says why");
        assertEquals(2, HeadlessChromium.count(html, "<svg class=\"timeline\""), "a timeline per camera");
        assertTrue(html.contains("data-kind=\"kept\"") && html.contains("class=\"tick-label\""), "kept spans and clock-time ticks");
        assertTrue(html.matches("(?s).*<div id=\"models\">.*<td>v\\d+</td>.*"), "the model versions that decided");

        String dom = HeadlessChromium.dumpDom(chromium, page, tmp.resolve("profile"));
        Map<String, String> body = HeadlessChromium.bodyAttributes(dom);
        assertEquals("0", body.get("data-errors"), "no player or thumbnail failed: " + body.get("data-error-list"));
        assertEquals(String.valueOf(street.size()), body.get("data-videos"));
        assertEquals(body.get("data-videos"), body.get("data-videos-loaded"), "every player loaded its clip's metadata: " + body);
        String[] durations = body.get("data-video-durations").trim().split(" ");
        assertEquals(street.size(), durations.length, body.toString());
        for (String d : durations) assertTrue(Double.parseDouble(d) > 0, "a playable duration: " + d);
        assertEquals(String.valueOf(report.clips().size()), body.get("data-images"));
        assertEquals(body.get("data-images"), body.get("data-images-loaded"), "every thumbnail loaded: " + body);
        System.out.println("report.html in chromium: " + body);
    }
}
