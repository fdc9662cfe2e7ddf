package dev.winnow.examples.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.frames.CascadeScorer;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.tools.teacher.TeacherModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cascade on a MiniCluster with the shipped student and the imported CenterNet teacher, on real
 * frames: unchanged frames reuse the last verdict, frames in the unsure band are decided by the
 * teacher (its name and version on the verdict), a malformed frame is dropped and the job goes on.
 */
public class CascadeScorerTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(1);

    @TempDir static Path tmp;
    static ModelSource student, teacher;
    static List<Frame> vtest;

    @BeforeAll
    static void models() throws Exception {
        Path root = RepoRoot.path();
        student = ModelSource.ofPath(root.resolve("model-tools/detector/person-detector-int8.wnm"), 1);
        Path t = tmp.resolve("teacher.wnm");
        TeacherModels.importTo(root.resolve(TeacherModels.SOURCE), t);
        teacher = ModelSource.ofPath(t, 7);
        vtest = frames("plaza", "/usr/share/doc/opencv-doc/examples/data/vtest.avi", 384, 288, 6);
    }

    /** {@code n} RGB frames of a clip, scaled to w x h by ffmpeg. */
    static List<Frame> frames(String camera, String clip, int w, int h, int n) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-frames:v", String.valueOf(n), "-vf", "scale=" + w + ":" + h,
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-").start();
        byte[] all = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        List<Frame> out = new ArrayList<>();
        for (int k = 0; k < all.length / (w * h * 3); k++) {
            byte[] d = java.util.Arrays.copyOfRange(all, k * w * h * 3, (k + 1) * w * h * 3);
            out.add(new Frame(camera, k, 1_000_000L + k * 100, FrameEncoding.RGB24, w, h, d));
        }
        assertEquals(n, out.size(), "frames decoded from " + clip);
        return out;
    }

    static List<Verdict> run(CascadeScorer scorer, List<Frame> frames) throws Exception {
        StreamExecutionEnvironment env = TestJobs.env(1);
        List<Verdict> out = new ArrayList<>();
        try (CloseableIterator<ScoredFrame> it = env.fromData(TypeInformation.of(Frame.class), frames.toArray(new Frame[0])).uid("frames")
                .flatMap(scorer).uid("cascade").executeAndCollect()) {
            while (it.hasNext()) out.add(it.next().verdict);
        }
        return out;
    }

    @Test
    void unsureFramesGoToTheTeacherAndUnchangedFramesReuseTheVerdict() throws Exception {
        List<Frame> frames = new ArrayList<>(vtest);
        Frame still = vtest.get(5);
        for (int k = 0; k < 4; k++) {   // the same picture again: nothing changed
            frames.add(new Frame("plaza", 6 + k, 1_000_600L + k * 100, FrameEncoding.RGB24, still.width, still.height, still.data.clone()));
        }
        frames.add(new Frame("plaza", 10, 1_001_000L, FrameEncoding.RGB24, 384, 288, new byte[17]));   // malformed: wrong size
        CascadeScorer everyFrameToTeacher = CascadeScorer.builder(student).teacher(teacher, 0f, 1f).difference(1e-4f, 25).build();   // only an identical picture is under 1e-4
        List<Verdict> v = run(everyFrameToTeacher, frames);
        Map<String, Integer> by = new TreeMap<>();
        for (Verdict x : v) by.merge(x.decidedBy, 1, Integer::sum);
        assertEquals(10, v.size(), "the malformed frame is dropped, the rest are decided: " + v);
        assertEquals(Map.of(Verdict.TEACHER, 6, Verdict.REUSED, 4), by);
        for (Verdict x : v) {
            assertEquals("centernet-teacher", x.modelName, x.toString());
            assertEquals(7, x.modelVersion);
            assertTrue(x.count >= 3, "pedestrians on the plaza: " + x);
            for (int b = 0; b < x.count; b++) {
                float bx = x.boxes[5 * b], by2 = x.boxes[5 * b + 1], bw = x.boxes[5 * b + 2], bh = x.boxes[5 * b + 3];
                assertTrue(bx >= 0 && by2 >= 0 && bw > 0 && bh > 0 && bx + bw <= 384.5 && by2 + bh <= 288.5, "box in frame pixels: " + x);
            }
        }
        assertEquals(v.get(5).count, v.get(6).count, "a reused verdict repeats the last one");
    }

    @Test
    void withoutABandTheStudentDecidesEveryChangedFrame() throws Exception {
        CascadeScorer studentOnly = CascadeScorer.builder(student).build();
        List<Verdict> v = run(studentOnly, vtest);
        assertEquals(6, v.size());
        for (Verdict x : v) assertEquals(Verdict.STUDENT, x.decidedBy);
    }

    @Test
    void aBadConfigurationIsRefusedWithEveryReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CascadeScorer.builder(student).teacher(teacher, 0.8f, 0.2f).difference(2f, 0).build());
        assertTrue(e.getMessage().contains("band") && e.getMessage().contains("difference") && e.getMessage().contains("maxReuse"), e.getMessage());
    }
}
