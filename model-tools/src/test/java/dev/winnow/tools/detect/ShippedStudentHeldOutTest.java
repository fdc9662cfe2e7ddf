package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.tools.teacher.FrameFiles;
import dev.winnow.tools.teacher.PersonTeacher;
import dev.winnow.tools.teacher.TeacherModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quality floors of the shipped student on whole videos it was not trained on, against the CenterNet
 * teacher, and on vtest's hand-counted frames. The frames come from scripts/data/fetch-footage.sh
 * (run by scripts/install-deps.sh); where a clip has no teacher labels yet, the teacher labels every
 * 4th frame here (teacher-sampled.csv). Floors are set from the measured figures
 * (model-tools/detector/README.md), so a regression fails the build.
 */
class ShippedStudentHeldOutTest {
    static final int STEP = 4;
    static Path root, data;
    static List<HeldOutEvaluation.Row> rows;

    @BeforeAll
    static void evaluate() throws Exception {
        root = RepoRoot.path();
        data = root.resolve("data/detector");
        Path manifest = root.resolve("model-tools/detector/training-sources.csv");
        List<HeldOutEvaluation.Source> sources = HeldOutEvaluation.sources(manifest, "holdout");
        PersonTeacher teacher = null;
        for (HeldOutEvaluation.Source s : sources) {
            Path dir = data.resolve(s.clip());
            if (!Files.isDirectory(dir.resolve("native"))) fail("no frames of " + s.source() + " in " + dir + ": run scripts/data/fetch-footage.sh (install-deps runs it)");
            if (Files.exists(TeacherLabels.file(data, s.clip()))) continue;
            if (teacher == null) teacher = new PersonTeacher(Model.load(importedTeacher()), PersonTeacher.Fit.LETTERBOX);
            label(teacher, s, dir);
        }
        Model student = Model.load(root.resolve("model-tools/detector/person-detector-int8.wnm"));
        rows = HeldOutEvaluation.evaluate(student, data, sources, DetectorData.readCounts(root.resolve("model-tools/detector/holdout-labels.csv")), STEP,
                COUNT_FRAMES);
        System.out.print(HeldOutEvaluation.table(rows));
    }

    static Path importedTeacher() throws IOException {
        Path wnm = root.resolve(TeacherModels.DEFAULT);
        if (!Files.exists(wnm)) TeacherModels.importTo(root.resolve(TeacherModels.SOURCE), wnm);
        return wnm;
    }

    /** Every STEP-th frame of the source, from the first of its range, with the teacher; written as teacher-sampled.csv. */
    static void label(PersonTeacher teacher, HeldOutEvaluation.Source s, Path dir) throws IOException {
        PersonTeacher.Session session = teacher.newSession();
        Path part = dir.resolve("teacher-sampled.csv.part");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(part))) {
            w.println("file,count,score_max,boxes");
            for (int f = s.first(); f <= s.last(); f += STEP) {
                Path frame = dir.resolve("native").resolve(String.format(Locale.ROOT, "%04d.png", f));
                if (!Files.exists(frame)) break;
                List<PersonTeacher.Box> boxes = session.detect(FrameFiles.read(frame), 0.35f);
                float max = 0;
                for (PersonTeacher.Box b : boxes) max = Math.max(max, b.score());
                w.printf(Locale.ROOT, "%s,%d,%.4f,%s%n", frame.getFileName(), boxes.size(), max,
                        boxes.stream().map(PersonTeacher.Box::format).collect(Collectors.joining(";")));
            }
        }
        Files.move(part, dir.resolve("teacher-sampled.csv"));
    }

    static HeldOutEvaluation.Row row(String source) {
        return rows.stream().filter(r -> r.source().equals(source)).findFirst().orElseThrow(() -> new AssertionError("no row for " + source));
    }

    @Test
    void peopleFreeVideosOfOtherCamerasAreDroppedAsMeasured() {
        for (var floor : KEPT_EMPTY_AT_MOST.entrySet()) {
            HeldOutEvaluation.Row r = row(floor.getKey());
            assertTrue(r.frames() > 5, floor.getKey() + ": frames evaluated");
            assertTrue(r.keptStudent() <= floor.getValue(), floor.getKey() + ": the student keeps " + r.keptStudent() + " of a people-free video (floor " + floor.getValue() + ")");
        }
    }

    @Test
    void peopleOnTheHeldOutPlazaAreFoundAndCounted() {
        HeldOutEvaluation.Row r = row("vtest-holdout");
        assertTrue(r.recall() >= 0.98, "presence recall against the teacher " + r.recall());
        assertTrue(r.handMaeStudent() <= HAND_MAE_AT_MOST, "count MAE against the hand counts " + r.handMaeStudent());
        assertTrue(r.handMedianMaeStudent() <= HAND_MEDIAN_MAE_AT_MOST,
                "count MAE against the hand counts, median of " + COUNT_FRAMES + " frames: " + r.handMedianMaeStudent());
    }

    /**
     * Floors from `winnow detector evaluate` on the shipped student (model-tools/detector/README.md: night city and
     * diver 0 % kept, plaza hand-count MAE 1.156), at the 2 % for the people-free videos and a margin for
     * the count. The dog video (kept whole) and the large-people videos (webcam, g2, screencast: recall 0 to 0.14)
     * have no floor: the shipped student fails the goals there, and a floor would only restate it.
     */
    static final java.util.Map<String, Double> KEPT_EMPTY_AT_MOST = java.util.Map.of("diver", 0.02, "night-city", 0.02);
    static final double HAND_MAE_AT_MOST = 1.25;
    /** The stadium job's default window; measured 0.688 with it, the goal is 0.8. */
    static final int COUNT_FRAMES = 17;
    static final double HAND_MEDIAN_MAE_AT_MOST = 0.75;
}
