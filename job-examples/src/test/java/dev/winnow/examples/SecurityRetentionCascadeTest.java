package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;



import dev.winnow.examples.testing.JobTest;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.examples.report.RetentionReport;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.tools.teacher.TeacherModels;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** security-retention through the cascade: the teacher takes the unsure frames, no person frame is lost. */
class SecurityRetentionCascadeTest extends JobTest {
    @TempDir Path models;

    @Test
    void theTeacherDecidesUnsureFramesAndEveryPersonFrameIsKept() throws Exception {
        Path teacher = models.resolve("teacher.wnm");
        TeacherModels.importTo(RepoRoot.path().resolve(TeacherModels.SOURCE), teacher);
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--teacher", teacher.toString(), "--teacher-band", "0.3:0.9");
        job.useSamplesIfNoCamera();
        TestJobs.execute("security-retention cascade test", 2, job::build);

        RetentionReport report = RetentionReport.read(out, job.retention());
        Map<String, Integer> by = new TreeMap<>();
        for (RetentionReport.Decision d : report.decisions()) by.merge(d.decidedBy(), 1, Integer::sum);
        assertEquals(154, report.total().frames(), "every frame decided once: " + by);
        assertTrue(by.getOrDefault(Verdict.TEACHER, 0) > 0, "some frames were unsure: " + by);
        assertEquals(report.total().labelledPerson(), report.total().keptPerson(), "no frame with people lost");
        String summary = report.summary(1);
        assertTrue(summary.contains("decided by (student / teacher / reused)"), summary);
        assertTrue(summary.contains("models: centernet-teacher v1") && summary.contains("person-detector-int8 v1"), "the report names the versions: " + summary);
        System.out.print(summary);
    }
}
