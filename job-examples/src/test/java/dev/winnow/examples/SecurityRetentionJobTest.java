package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.sink.FrameFiles;
import dev.winnow.examples.report.RetentionReport;
import dev.winnow.flink.types.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * security-retention on the bundled sample and detector, on a MiniCluster: the plaza camera's empty
 * stretches and the garden camera are dropped, every hand-labelled frame with people is kept, and the
 * retained frames on disk are exactly the frames the job says it kept.
 */
class SecurityRetentionJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path out;

    @Test
    void keepsThePeopleDropsTheRestAndReportsTheSaving() throws Exception {
        SecurityRetentionJob job = new SecurityRetentionJob();
        Path samples = Samples.dir().resolve("frames");
        new CommandLine(job).parseArgs("--out", out.toString(), "--camera", "plaza=" + samples.resolve("plaza"),
                "--camera", "garden=" + samples.resolve("garden"), "--labels", samples.resolve("labels.csv").toString());
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        job.build(env);
        env.execute("security-retention test");

        RetentionReport report = RetentionReport.read(out, job.retention());
        RetentionReport.Totals all = report.total();
        assertEquals(124 + 30, all.frames(), "every frame scored once");
        assertEquals(64, all.labelledPerson(), "the hand-counted frames");
        assertEquals(all.labelledPerson(), all.keptPerson(), "no frame with people lost");
        // empty frames more than the pre/post roll away from any frame with people are all to be dropped
        long far = 0, farDropped = 0;
        for (RetentionReport.Decision d : report.decisions()) {
            if (d.labelCount() != 0) continue;
            boolean nearPeople = report.decisions().stream().anyMatch(p -> p.camera().equals(d.camera()) && p.labelCount() > 0
                    && d.timestampMillis() >= p.timestampMillis() - job.preRoll.toMillis() && d.timestampMillis() <= p.timestampMillis() + job.postRoll.toMillis());
            if (nearPeople) continue;
            far++;
            if (!report.kept(d)) farDropped++;
        }
        assertEquals(70, far, "30 garden frames, and 40 plaza frames beyond the 2 s rolls");
        assertTrue(farDropped >= 0.95 * far, "empty frames dropped: " + farDropped + " of " + far);
        assertTrue(all.keptBytes() < 0.7 * all.bytes(), "storage saved: " + all.keptBytes() + " of " + all.bytes());
        assertFalse(report.events().isEmpty());

        long kept = report.decisions().stream().filter(report::kept).count();
        long onDisk = 0;
        try (Stream<Path> files = Files.walk(out.resolve("retained"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                assertTrue(f.toString().contains("camera="), "partitioned by camera: " + f);
                List<Frame> frames = FrameFiles.read(f);
                onDisk += frames.size();
            }
        }
        assertEquals(kept, onDisk, "the retained frames on disk are the kept frames");

        report.writeHtml(out.resolve("report.html"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("camera plaza"));
    }
}
