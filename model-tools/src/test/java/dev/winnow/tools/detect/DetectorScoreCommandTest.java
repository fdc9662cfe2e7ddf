package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.tools.cli.CliRun;
import dev.winnow.tools.cli.OpencvSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code winnow detector score} on real frames and a video, with a frame that does not decode. */
class DetectorScoreCommandTest {
    @TempDir Path tmp;

    @Test
    void scoresEveryFrameAndSkipsWhatDoesNotDecode() throws Exception {
        Path frames = OpencvSamples.folder(tmp.resolve("frames"), "basketball1.png", "a.png", "building.jpg", "b.jpg");
        Files.writeString(frames.resolve("c.jpg"), "not a picture");
        Path csv = tmp.resolve("preds.csv");
        CliRun.Result r = CliRun.winnow("detector", "score", "--model", "detector/person-detector-int8.wnm", "--frames", frames.toString(), "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,count,score_max,present", lines.get(0));
        assertEquals(3, lines.size(), "two frames scored: " + lines);
        for (String l : lines.subList(1, 3)) {
            String[] f = l.split(",");
            assertEquals(Integer.parseInt(f[1]) > 0 ? "1" : "0", f[3], l);
        }
        assertTrue(r.err().contains("c.jpg"), "the broken frame is named: " + r.err());
        assertTrue(r.out().contains("| 2 | 1 |"), r.out());

        Path video = tmp.resolve("video.csv");
        r = CliRun.winnow("detector", "score", "--model", "detector/person-detector-int8.wnm", "--frames", OpencvSamples.VTEST.toString(),
                "--fps", "1", "--out", video.toString());
        assertEquals(0, r.code(), r.err());
        List<String> v = Files.readAllLines(video);
        assertTrue(v.size() >= 70, "about one frame a second of 80 s: " + v.size());
        assertTrue(v.stream().skip(1).allMatch(l -> l.endsWith(",1")), "people on the plaza in every frame");
    }
}
