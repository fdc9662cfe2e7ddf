package dev.winnow.examples.report;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.clips.ClipIndex;
import dev.winnow.flink.retention.RetentionConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page from an output directory as the exactly-once sinks leave it: only clips with an index row
 * appear (not hidden in-progress clips and thumbnails of a failed attempt), each with what its file
 * allows (player, download with the reason, or "missing"), the model versions that decided, and the
 * bytes kept against the source.
 */
class RetentionPageTest {
    static final long T0 = 1_700_000_000_000L;
    static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    @TempDir Path out;

    static void ffmpeg(Path to, String... codec) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", VTEST.toString(), "-t", "1", "-an"));
        cmd.addAll(List.of(codec));
        cmd.add(to.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, log);
    }

    static ClipIndex.Row row(String cam, long event, String clip, long bytes, long source, long fromS, long toS) {
        return new ClipIndex.Row(cam, event, "x", "y", 2, 1, clip, bytes, source, T0 + fromS * 1000, T0 + toS * 1000,
                T0 + fromS * 1000 + 500, T0 + toS * 1000 - 500, 3, T0 + fromS * 1000 + 700);
    }

    @Test
    void onlyCommittedClipsAppearEachWithWhatItsFileAllows() throws Exception {
        assertTrue(Files.isReadable(VTEST), "apt-get install opencv-doc");
        String cam = "front door";
        Path day = Files.createDirectories(out.resolve("camera=" + cam + "/2023-11-14"));
        ffmpeg(day.resolve("22-13-20_1.mp4"), "-c:v", "libx264", "-pix_fmt", "yuv420p");
        ImageIO.write(new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB), "jpeg", day.resolve("22-13-20_1.jpg").toFile());
        ffmpeg(day.resolve("22-13-40_3.mp4"), "-c:v", "mpeg4");
        Files.writeString(day.resolve("22-13-50_4.mp4"), "not a video");
        // a failed attempt's files: written, never committed, so in no index row
        Files.writeString(day.resolve(".22-14-00_5.mp4.inprogress.abc"), "half a clip");
        Files.writeString(day.resolve(".22-14-00_5.jpg.inprogress.abc"), "its thumbnail");
        List<ClipIndex.Row> rows = List.of(
                row(cam, 1, "camera=" + cam + "/2023-11-14/22-13-20_1.mp4", Files.size(day.resolve("22-13-20_1.mp4")), 1000, 0, 10),
                row(cam, 2, "camera=" + cam + "/2023-11-14/22-13-30_2.mp4", 500, 600, 10, 20),
                row(cam, 3, "camera=" + cam + "/2023-11-14/22-13-40_3.mp4", Files.size(day.resolve("22-13-40_3.mp4")), 700, 20, 30),
                row(cam, 4, "camera=" + cam + "/2023-11-14/22-13-50_4.mp4", 11, 800, 30, 40));
        ClipIndex.write(new org.apache.flink.core.fs.Path(out.resolve("camera=" + cam + "/index.csv").toUri()), rows);
        Files.createDirectories(out.resolve("segments"));
        Files.writeString(out.resolve("segments/part-0"), String.join("\n", cam + "," + T0 + "," + (T0 + 40_000) + ",3100,1",
                cam + "," + (T0 + 40_000) + "," + (T0 + 60_000) + ",900,0") + "\n");
        Files.createDirectories(out.resolve("verdicts"));
        // camera,seq,time,bytes,score,count,label,version,decided by,model
        Files.writeString(out.resolve("verdicts/part-0"), String.join("\n",
                cam + ",1," + (T0 + 1_000) + ",76800,0.9,2,-1,1,student,person-int8",
                cam + ",2," + (T0 + 2_000) + ",76800,0.9,2,-1,1,student,person-int8",
                cam + ",3," + (T0 + 3_000) + ",76800,0.9,2,-1,4,teacher,centernet",
                cam + ",4," + (T0 + 50_000) + ",76800,0.1,0,-1,2,student,person-int8") + "\n");

        RetentionReport report = RetentionReport.read(out, new RetentionConfig(0.6f, 0.4f, 2000, 2000, 400));
        report.writeHtml(out.resolve("report.html"));
        String html = Files.readString(out.resolve("report.html"));

        assertEquals(4, html.split("<tr class=\"event\"", -1).length - 1, "one row per index row");
        assertFalse(html.contains("inprogress") || html.contains("22-14-00_5"), "nothing of the uncommitted attempt");
        assertTrue(html.contains("<video class=\"clip\" controls preload=\"metadata\" width=\"320\" src=\"camera=front%20door/2023-11-14/22-13-20_1.mp4\">"),
                "a player for the H.264 clip, its path percent-encoded and relative");
        assertTrue(html.contains("<img class=\"thumb\" src=\"camera=front%20door/2023-11-14/22-13-20_1.jpg\""), "its thumbnail");
        assertEquals(1, html.split("<img class=\"thumb\"", -1).length - 1, "no thumbnail where none was committed");
        assertTrue(html.contains("clip file camera=front door/2023-11-14/22-13-30_2.mp4 is missing"), "a row whose file went away says so");
        assertTrue(html.contains("MPEG-4 part 2 (mpeg4) in MP4: a browser cannot play it")
                && html.contains("<a class=\"download\" href=\"camera=front%20door/2023-11-14/22-13-40_3.mp4\" download>"), "mpeg4: a download");
        assertTrue(html.contains("ffprobe could not read it"), "garbage: a download with the reason, no player");
        assertEquals(1, html.split("<video ", -1).length - 1);

        assertTrue(html.contains("centernet v4 by teacher (1), person-int8 v1 (2)"), "the versions that decided event 1's frames");
        assertTrue(html.contains("<td>person-int8</td><td>v2</td><td>student</td><td>1</td>"), "every version in the models table");
        long kept = rows.stream().mapToLong(ClipIndex.Row::bytes).sum();
        assertTrue(html.contains("data-kept-bytes=\"" + kept + "\" data-source-bytes=\"4000\""), "clip bytes of the index against the recorded bytes");
        assertTrue(html.contains("data-kind=\"kept\" data-from=\"" + T0 + "\" data-to=\"" + (T0 + 40_000) + "\""), "kept: the committed clips' span");
        assertTrue(html.contains("data-kind=\"dropped\" data-from=\"" + (T0 + 40_000) + "\" data-to=\"" + (T0 + 60_000) + "\""));
        assertTrue(html.contains("data-videos-loaded"), "the load probe script");
    }
}
