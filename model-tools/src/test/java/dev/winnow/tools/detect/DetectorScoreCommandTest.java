package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.tools.cli.WinnowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code winnow detector score} on real frames and a video, with a frame that does not decode. */
class DetectorScoreCommandTest {
    @TempDir Path tmp;

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = WinnowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void scoresEveryFrameAndSkipsWhatDoesNotDecode() throws Exception {
        Path frames = Files.createDirectories(tmp.resolve("frames"));
        Path data = Path.of("/usr/share/doc/opencv-doc/examples/data");
        Files.copy(data.resolve("basketball1.png"), frames.resolve("a.png"));
        Files.copy(data.resolve("building.jpg"), frames.resolve("b.jpg"));
        Files.writeString(frames.resolve("c.jpg"), "not a picture");
        Path csv = tmp.resolve("preds.csv");
        String[] r = run("detector", "score", "--model", "detector/person-detector-int8.wnm", "--frames", frames.toString(), "--out", csv.toString());
        assertEquals("0", r[0], r[2]);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,count,score_max,present", lines.get(0));
        assertEquals(3, lines.size(), "two frames scored: " + lines);
        for (String l : lines.subList(1, 3)) {
            String[] f = l.split(",");
            assertEquals(Integer.parseInt(f[1]) > 0 ? "1" : "0", f[3], l);
        }
        assertTrue(r[2].contains("c.jpg"), "the broken frame is named: " + r[2]);
        assertTrue(r[1].contains("| 2 | 1 |"), r[1]);

        Path video = tmp.resolve("video.csv");
        r = run("detector", "score", "--model", "detector/person-detector-int8.wnm", "--frames", data.resolve("vtest.avi").toString(),
                "--fps", "1", "--out", video.toString());
        assertEquals("0", r[0], r[2]);
        List<String> v = Files.readAllLines(video);
        assertTrue(v.size() >= 70, "about one frame a second of 80 s: " + v.size());
        assertTrue(v.stream().skip(1).allMatch(l -> l.endsWith(",1")), "people on the plaza in every frame");
    }
}
