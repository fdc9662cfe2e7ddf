package dev.winnow.tools.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.tools.cli.CliRun;
import dev.winnow.tools.cli.OpencvSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code winnow teacher label} end to end on real frames, with a corrupt and a truncated frame among them. */
class TeacherLabelCommandTest {
    @TempDir static Path tmp;
    static Path model;

    @BeforeAll
    static void importTeacher() throws IOException {
        Path source = RepoRoot.path().resolve(TeacherModels.SOURCE);
        if (!Files.isRegularFile(source.resolve("centernet.json"))) {
            throw new IllegalStateException("the teacher model is missing from " + source + ": run scripts/install-deps.sh");
        }
        model = tmp.resolve("teacher.wnm");
        TeacherModels.importTo(source, model);
    }

    @Test
    void labelsAFolderAndSkipsFramesThatDoNotDecode() throws Exception {
        Path frames = OpencvSamples.folder(tmp.resolve("frames"), "messi5.jpg", "a-messi5.jpg", "building.jpg", "b-building.jpg");
        Files.write(frames.resolve("c-garbage.jpg"), "not a jpeg at all".getBytes());
        Files.writeString(frames.resolve("d-truncated.ppm"), "P6\n640 480\n255\nabc");
        Files.writeString(frames.resolve("e-huge.pgm"), "P5\n30000 30000\n255\n");
        Path csv = tmp.resolve("labels.csv");
        CliRun.Result r = CliRun.winnow("teacher", "label", "--model", model.toString(), "--frames", frames.toString(), "--out", csv.toString(), "--boxes", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,count,score_max,boxes", lines.get(0));
        assertEquals(3, lines.size(), "two frames labelled: " + lines);
        String[] messi = lines.get(1).split(",", 4), building = lines.get(2).split(",", 4);
        assertEquals("a-messi5.jpg", messi[0]);
        assertTrue(Integer.parseInt(messi[1]) >= 2, "players found: " + lines.get(1));
        assertEquals(Integer.parseInt(messi[1]), messi[3].split(";").length, "one box per person");
        for (String box : messi[3].split(";")) {
            String[] v = box.split(":");
            float x1 = Float.parseFloat(v[0]), y1 = Float.parseFloat(v[1]), x2 = Float.parseFloat(v[2]), y2 = Float.parseFloat(v[3]);
            assertTrue(0 <= x1 && x1 < x2 && x2 <= 548 && 0 <= y1 && y1 < y2 && y2 <= 342, "box inside the 548x342 frame: " + box);
        }
        assertEquals("0", building[1], "no person in the building photo");
        assertTrue(r.out().contains("| 5 | 2 | 3 |"), "summary: 5 frames, 2 labelled, 3 skipped\n" + r.out());
        assertTrue(r.err().contains("c-garbage.jpg") && r.err().contains("d-truncated.ppm") && r.err().contains("e-huge.pgm"), r.err());
        assertTrue(r.err().contains("30000x30000"), "the huge header is refused by its claimed size: " + r.err());
    }

    @Test
    void labelsAVideoThroughFfmpeg() throws Exception {
        Path csv = tmp.resolve("video.csv");
        CliRun.Result r = CliRun.winnow("teacher", "label", "--model", model.toString(), "--frames", OpencvSamples.VTEST.toString(),
                "--out", csv.toString(), "--limit", "3", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith("vtest.avi:000000,"), lines.get(1));
        assertTrue(Integer.parseInt(lines.get(1).split(",")[1]) >= 3, "pedestrians on the plaza: " + lines.get(1));
    }

    @Test
    void aMissingInputIsOneClearError() {
        CliRun.Result r = CliRun.winnow("teacher", "label", "--model", model.toString(), "--frames", tmp.resolve("nope").toString(), "--out", tmp.resolve("x.csv").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("nope"), r.err());
        assertFalse(Files.exists(tmp.resolve("x.csv")), "nothing written");
    }

    @Test
    void importWritesTheArtifactTheJobsReadAndAMissingSourceIsOneLine() throws Exception {
        Path wnm = tmp.resolve("imported/teacher.wnm");
        CliRun.Result r = CliRun.winnow("teacher", "import", "--from", RepoRoot.path().resolve(TeacherModels.SOURCE).toString(), "-o", wnm.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("teacher import: " + wnm), r.out());
        assertTrue(r.out().contains("input [512, 512, 3]"), r.out());
        assertEquals(Files.size(model), Files.size(wnm), "the same artifact as label's first-use import");

        CliRun.Result missing = CliRun.winnow("teacher", "import", "--from", tmp.resolve("nowhere").toString(), "-o", tmp.resolve("x.wnm").toString());
        assertEquals(7, missing.code(), missing.err());   // the CLI's code for a missing or unreadable input
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("run scripts/teacher/fetch-model.sh"), missing.err());
        assertFalse(Files.exists(tmp.resolve("x.wnm")));
    }
}
