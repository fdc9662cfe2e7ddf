package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.TestJobs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The jobs' metrics as a Prometheus server scrapes them: Flink's own Prometheus reporter (what a Flink
 * distribution ships in {@code plugins/metrics-prometheus}) configured on the cluster, security-retention
 * running on the bundled sample, and the reporter's HTTP endpoint read while it runs. The Winnow metrics
 * documented in the README appear under Flink's naming ({@code flink_taskmanager_job_task_operator_winnow_…})
 * with the job's and operator's labels, and count what the job did.
 */
class PrometheusMetricsTest {
    static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(prometheus(), 2);

    @TempDir Path out;

    static Configuration prometheus() {
        Configuration c = new Configuration();
        c.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", Integer.toString(PORT));
        return c;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aScrapeWhileTheJobRunsShowsWhatTheDetectorDid() throws Exception {
        SecurityRetentionJob job = new SecurityRetentionJob();
        Path plaza = Samples.dir().resolve("frames").resolve("plaza");
        // replayed at 10 frames/s so that the job runs long enough to be scraped a few times
        new CommandLine(job).parseArgs("--out", out.toString(), "--camera", "plaza=" + plaza, "--fps", "10");
        StreamExecutionEnvironment env = TestJobs.env(1);
        job.build(env);
        JobClient running = env.executeAsync("security-retention prometheus");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/metrics")).timeout(Duration.ofSeconds(5)).build();
        String body = "";
        double scored = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (scored < 20 && System.nanoTime() < deadline && !running.getJobStatus().get().isGloballyTerminalState()) {
            HttpResponse<String> r = http.send(scrape, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            body = r.body();
            scored = sum(body, "flink_taskmanager_job_task_operator_winnow_recordsScored");
            Thread.sleep(500);
        }
        assertTrue(scored >= 20, "recordsScored counts the frames scored so far (" + scored + "):\n" + winnowLines(body));
        for (String metric : List.of("winnow_framesMalformed", "winnow_inferenceLatencyNanos_count", "winnow_modelVersion", "winnow_arenaBytes", "winnow_segmentBytesKept")) {
            assertTrue(body.contains("flink_taskmanager_job_task_operator_" + metric), metric + " is scraped:\n" + winnowLines(body));
        }
        assertTrue(Pattern.compile("flink_taskmanager_job_task_operator_winnow_recordsScored\\{[^}]*job_name=\"security_retention_prometheus\"").matcher(body).find(),
                "labelled with the job's name (Prometheus' characters only):\n" + winnowLines(body));
        assertEquals(1.0, sum(body, "flink_taskmanager_job_task_operator_winnow_modelVersion"), "the bundled model is version 1");
        running.getJobExecutionResult().get();
    }

    /** The sum over all label sets of one metric's samples. */
    static double sum(String body, String metric) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*\\} ([-0-9.eE+]+)$").matcher(body);
        double s = 0;
        while (m.find()) s += Double.parseDouble(m.group(1));
        return s;
    }

    private static String winnowLines(String body) {
        return String.join("\n", body.lines().filter(l -> l.contains("winnow")).limit(30).toList());
    }
}
