package dev.winnow.examples.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.tools.teacher.TeacherModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness end to end on the first 40 frames of the webcam clip (15 frames/s, a person in view)
 * with the shipped student and the CenterNet teacher: every method's frames add up, CPU was measured,
 * the schedule of the sampled baseline is the one asked for, and a cascade that sends every frame to
 * the teacher decides exactly as the teacher on every frame does.
 */
class CascadeEvalTest {
    @TempDir static Path tmp;
    static Path root, teacher, data;

    @BeforeAll
    static void setUp() throws Exception {
        root = RepoRoot.path();
        data = root.resolve("data/detector");
        if (!Files.isDirectory(data.resolve("webcam/native"))) fail("no frames in " + data.resolve("webcam/native") + ": run scripts/data/fetch-footage.sh (install-deps runs it)");
        teacher = root.resolve("models/teacher/centernet.wnm");
        if (!Files.isRegularFile(teacher)) {
            teacher = tmp.resolve("teacher.wnm");
            TeacherModels.importTo(root.resolve(TeacherModels.SOURCE), teacher);
        }
    }

    static Path student() {
        return root.resolve("model-tools/detector/person-detector-int8.wnm");
    }

    static CascadeEval harness(String... args) {
        CascadeEval e = new CascadeEval();
        new CommandLine(e).parseArgs(args);
        return e;
    }

    @Test
    void fortyWebcamFramesAddUpForEveryMethod() throws Exception {
        Path out = tmp.resolve("out");
        CascadeEval e = harness("--student", student().toString(), "--teacher", teacher.toString(),
                "--data", data.toString(), "--clip", "webcam@15", "--limit", "40", "--warmup", "2", "--band", "0.25:0.6", "--difference", "0.01",
                "--sweep", "0:1", "--out", out.toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CascadeEval.Report r = e.evaluate(new PrintStream(log, true, StandardCharsets.UTF_8));
        CascadeEval.write(r, out);
        Map<String, CascadeEval.Row> rows = r.rows().stream().collect(Collectors.toMap(CascadeEval.Row::method, x -> x));
        assertEquals(List.of("teacher every frame", "cascade band 0.25:0.6 diff 0.01", "teacher at 1/s + hold", "teacher at 2/s + hold", "sweep cascade band 0:1 diff 0.01"),
                r.rows().stream().map(CascadeEval.Row::method).toList());
        for (CascadeEval.Row x : r.rows()) {
            assertEquals(40, x.frames(), x.toString());
            assertEquals(40, x.toTeacher() + x.skipped() + x.byStudent(), "every frame decided once: " + x);
            assertEquals(0, x.dropped(), x.toString());
            assertEquals(1.0, x.teacherShare() + x.skippedShare() + x.studentShare(), 1e-12);
            assertTrue(x.cpuNanos() > 0, "CPU measured: " + x);
            assertEquals(40, x.perFrame().total());
            assertEquals(3, x.perSecond().total(), "windows of 15 frames: 15 + 15 + 10");
            assertTrue(x.foundByPresence() <= x.events() && x.foundByBoxes() <= x.events());
        }
        CascadeEval.Row ref = rows.get("teacher every frame");
        assertEquals(40, ref.toTeacher());
        assertEquals(0, ref.perFrame().fn() + ref.perFrame().fp());
        assertTrue(ref.perFrame().tp() > 0, "the teacher sees the person on the webcam: " + ref);
        assertTrue(ref.events() > 0, "a person in view for more than a second is an event: " + ref);
        assertEquals(ref.events(), ref.foundByBoxes());
        assertEquals(3, rows.get("teacher at 1/s + hold").toTeacher(), "frames 0, 15, 30");
        assertEquals(5, rows.get("teacher at 2/s + hold").toTeacher(), "every 8th frame: 0, 8, 16, 24, 32");
        CascadeEval.Row all = rows.get("sweep cascade band 0:1 diff 0.01");
        assertEquals(0, all.byStudent(), "a band of 0:1 leaves the student nothing to decide");
        // with reuse off as well, the job's cascade is the teacher on every frame, decision for decision
        CascadeEval plain = harness("--teacher", teacher.toString(), "--student", student().toString(),
                "--data", data.toString(), "--clip", "webcam@15", "--limit", "40", "--warmup", "0", "--band", "0:1", "--difference", "0", "--sample-rates", "2");
        CascadeEval.Report p = plain.evaluate(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        CascadeEval.Row c = p.rows().stream().filter(x -> x.method().startsWith("cascade")).findFirst().orElseThrow();
        assertEquals(40, c.toTeacher());
        assertEquals(new Confusion(ref.perFrame().tp(), 0, 0, ref.perFrame().tn()), c.perFrame());
        assertEquals(ref.foundByBoxes(), c.foundByBoxes());

        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("| webcam | teacher every frame | 40 | 100.0 % |"), text);
        // the cached labels are compared where a clip has them (scripts/detector/prepare-data.sh makes them; a fresh
        // clone has only the held-out test's every-4th-frame teacher-sampled.csv)
        if (Files.exists(data.resolve("webcam").resolve("teacher.csv")))
            assertTrue(text.contains("presence agrees with teacher.csv on"), text);
        List<String> csv = Files.readAllLines(out.resolve("cascade-eval.csv"));
        assertTrue(csv.get(0).startsWith("clip,method,frames,to_teacher,skipped,by_student"), csv.get(0));
        assertEquals(1 + 5 + 4 + 1, csv.size(), "5 clip rows, 4 totals, 1 sweep total: " + csv);
        assertTrue(Files.readString(out.resolve("cascade-eval.md")).contains("Cheapest band meeting the FN/FP goal"));
    }

    @Test
    void badInputFailsWithOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine cl = CascadeEval.commandLine().setErr(new PrintWriter(err));
        int code = cl.execute("--student", student().toString(), "--teacher", teacher.toString(), "--data", data.toString(), "--clip", "no-such-clip@25");
        assertNotEquals(0, code);
        assertTrue(err.toString().startsWith("cascade-eval: no frames for clip no-such-clip"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line, no stack trace: " + err);

        err.getBuffer().setLength(0);
        code = cl.execute("--student", student().toString(), "--teacher", teacher.toString(), "--data", data.toString(), "--clip", "webcam@15", "--band", "0.7:0.2");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("a band is low:high with 0 <= low <= high <= 1, not '0.7:0.2'"), err.toString());

        err.getBuffer().setLength(0);
        code = cl.execute("--student", student().toString(), "--teacher", teacher.toString(), "--data", data.toString(), "--clip", "webcam");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("a clip is name[:first-last]@fps"), err.toString());

        err.getBuffer().setLength(0);
        code = cl.execute("--student", student().toString(), "--teacher", tmp.resolve("missing.wnm").toString(), "--data", data.toString(), "--clip", "webcam@15");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("no teacher artifact"), err.toString());
    }

    @Test
    void laterOptionsOverrideTheScriptsDefaultsAndClipsAccumulate() {
        CascadeEval e = new CascadeEval();
        CascadeEval.commandLine(e).parseArgs("--clip", "dog@29.97", "--threads", "4", "--band", "0.25:0.6",
                "--clip", "tree@15", "--threads", "8", "--band", "0:1");
        assertEquals(8, e.threadCount);
        assertEquals("0:1", e.tuning.bandText());
        assertEquals(List.of("dog@29.97", "tree@15"), e.clips);
    }
}
