package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.retention.RetentionConfig;
import dev.winnow.flink.retention.RetentionFilter;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.testing.TinyCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The metrics a platform team watches, read from Flink's metric system after a real job. */
class FrameMetricsJobTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(REPORTER);

    static long sum(JobID job, String name) {
        return sum(REPORTER, job, name);
    }

    static long sum(InMemoryReporter reporter, JobID job, String name) {
        long total = 0;
        int found = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> e : reporter.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(e.getKey().getAllVariables().get("<job_id>"))) continue;
            Metric m = e.getValue().get(name);
            if (m instanceof Counter c) { total += c.getCount(); found++; }
            if (m instanceof Histogram h) { total += h.getCount(); found++; }
            if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) { total = Math.max(total, n.longValue()); found++; }
        }
        assertTrue(found > 0, "no metric " + name);
        return total;
    }

    @Test
    void scoredMalformedKeptLatencyVersionAndArenaAreReported() throws Exception {
        TinyCnn cnn = new TinyCnn(3, 24, 32);
        byte[] artifact = cnn.float32Artifact();
        Random r = new Random(2);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] px = new byte[64 * 48];
            r.nextBytes(px);
            frames.add(new Frame("cam" + (i % 2), i / 2, i * 50L, FrameEncoding.GRAY8, 64, 48, px));
        }
        frames.add(new Frame("cam0", 999, 99_999L, FrameEncoding.GRAY8, 64, 48, new byte[10])); // too short: malformed
        // thresholds at the median score, so some frames are kept and some are not
        FrameScoring direct = new FrameScoring(Model.load(artifact), 3, "a");
        float[] scores = new float[200];
        for (int i = 0; i < 200; i++) {
            direct.prepare(frames.get(i));
            scores[i] = direct.score(frames.get(i)).verdict.score;
        }
        float[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        float median = sorted[100];
        StreamExecutionEnvironment env = FlinkTests.env(2, 0);
        env.fromData(frames).flatMap(new FrameScorer(ModelSource.ofBytes(artifact, 3), "a"))
                .keyBy(s -> s.frame.cameraId).process(new RetentionFilter(new RetentionConfig(median, median, 0, 0, 0)))
                .sinkTo(new DiscardingSink<ScoredFrame>());
        JobID job = env.execute("metrics").getJobID();

        assertEquals(200, sum(job, "recordsScored"));
        assertEquals(1, sum(job, "framesMalformed"));
        assertEquals(200, sum(job, "inferenceLatencyNanos"), "one latency sample per scored frame");
        assertEquals(3, sum(job, "modelVersion"));
        assertEquals(Model.load(artifact).report().arenaBytes(), sum(job, "arenaBytes"));
        assertEquals(200, sum(job, "framesIn"));
        assertEquals(200L * 64 * 48, sum(job, "bytesIn"));
        long kept = sum(job, "framesKept");
        assertTrue(kept >= 100 && kept < 200, "kept " + kept + " (at least the frames at or above the median)");
        assertEquals(kept * 64 * 48, sum(job, "bytesKept"));
    }
}
