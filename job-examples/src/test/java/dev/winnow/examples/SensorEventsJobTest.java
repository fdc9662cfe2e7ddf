package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.TestJobs;
import dev.winnow.examples.report.SensorReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sensor-events job on the bundled beaver sample and model, on a MiniCluster. */
class SensorEventsJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    @TempDir Path out;

    @Test
    void onlyActiveWindowsTravelOnAndTheReportSaysSo() throws Exception {
        SensorEventsJob job = new SensorEventsJob();
        new CommandLine(job).parseArgs("--out", out.toString());
        job.readings = List.of(Samples.dir().resolve("sensors/beavers.csv"));
        job.labelled = true;
        TestJobs.execute("sensor-events test", 2, job::build);

        SensorReport report = SensorReport.read(out, job.trainedOn());
        assertEquals(java.util.Set.of("beaver-2"), job.trainedOn(), "the shipped model records what it was trained on");
        assertEquals(214, report.windows(), "one window per reading (count windows of 6, slide 1)");
        long active = Files.readAllLines(Samples.dir().resolve("sensors/beavers.csv")).stream().filter(l -> !l.startsWith("#")).count();
        assertTrue(report.events() > 40 && report.events() < 90, "a minority of windows are active: " + report.events());
        String summary = report.summary();
        assertTrue(summary.contains("| beaver-2 (training data) "), summary);
        assertTrue(summary.contains("| held-out sensors (not trained on) "), summary);
        assertTrue(summary.contains("models: beaver-activity v1 ("), summary);
        assertTrue(summary.contains("Training data: the model was trained on beaver-2"), summary);
        report.writeHtml(out.resolve("report.html"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("beaver-2"), "a chart per sensor");
        assertEquals(214, active);
    }

    @Test
    void aRegistryWithoutTrustOrAllowUnsignedStopsTheJobBeforeItBuilds() {
        SensorEventsJob job = new SensorEventsJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--registry", out.resolve("registry").toString(), "--model", "beaver-activity@production");
        job.readings = List.of(Samples.dir().resolve("sensors/beavers.csv"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> job.build(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment()));
        assertEquals("--registry needs --trust <pem> (the keys whose signed versions the job loads) or --allow-unsigned", e.getMessage());

        SensorEventsJob stray = new SensorEventsJob();
        new CommandLine(stray).parseArgs("--out", out.toString(), "--allow-unsigned");
        stray.readings = List.of(Samples.dir().resolve("sensors/beavers.csv"));
        assertEquals("--trust and --allow-unsigned apply to --registry", assertThrows(IllegalArgumentException.class,
                () -> stray.build(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment())).getMessage());
    }
}
