package dev.winnow.flink.zone;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.track.ZonePolygon;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zones across cameras on a MiniCluster, 30 s of hand-made verdicts every 500 ms, 5 s windows:
 * <ul>
 *   <li>hall: cam-a and cam-b get the same frames (three people standing at x = 50, 150 and 250 of
 *       320); cam-a owns x &lt; 160, cam-b the rest. Occupancy 3 in every window, never 6.</li>
 *   <li>gate: cam-c sees two people until 9.5 s, then sends nothing. Silent 4 s (degraded-after), it
 *       leaves the zone at 13.5 s: window [10, 15) has mean 2·3.5/5 = 1.4, and it and the later ones are degraded.</li>
 *   <li>dock: cam-d sees one person until 9.5 s; then its clock jumps back 8 s and it sees four. Its
 *       counts are late and take effect at the zone's current time (10 s): windows stay in order.</li>
 * </ul>
 * A failure injected after a checkpoint gives the same windows after the restore.
 */
class ZoneCamerasJobTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(REPORTER);

    static final long T0 = 1_700_000_000_000L;
    static final ZoneConfig CONFIG = ZoneConfig.builder().window(Duration.ofSeconds(5)).overcrowdedAfter(Duration.ofSeconds(1))
            .degradedAfter(Duration.ofSeconds(4))
            .zones(Map.of("hall", new ZoneConfig.Zone(10, 2), "gate", new ZoneConfig.Zone(10, 2), "dock", new ZoneConfig.Zone(10, 2)))
            .camera("cam-a", "hall").camera("cam-b", "hall").camera("cam-c", "gate").camera("cam-d", "dock")
            .owns("cam-a", new ZonePolygon("west", 0, 0, 160, 0, 160, 241, 0, 241))
            .owns("cam-b", new ZonePolygon("east", 160, 0, 321, 0, 321, 241, 160, 241))
            .build();
    static final List<Verdict> VERDICTS = verdicts();

    static Verdict v(String camera, long seq, long t, float... xs) {
        Verdict v = new Verdict();
        v.cameraId = camera;
        v.seq = seq;
        v.timestampMillis = t;
        v.boxes = new float[5 * xs.length];
        for (int i = 0; i < xs.length; i++) {
            v.boxes[5 * i] = xs[i] - 20; // 40 px wide boxes: the bottom centre is at xs[i]
            v.boxes[5 * i + 1] = 100;
            v.boxes[5 * i + 2] = 40;
            v.boxes[5 * i + 3] = 120;   // standing on the frame's bottom row, y = 220
            v.boxes[5 * i + 4] = 0.9f;
        }
        v.count = xs.length;
        return v;
    }

    static List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            long t = T0 + 500L * n;
            out.add(v("cam-a", n, t, 50, 150, 250));
            out.add(v("cam-b", n, t, 50, 150, 250));
            if (n < 20) out.add(v("cam-c", n, t, 60, 200));
            out.add(n < 20 ? v("cam-d", n, t, 100) : v("cam-d", n, t - 8_000, 40, 90, 140, 190));
        }
        return List.copyOf(out);
    }

    /** A watermark after every verdict (the highest time seen, less 1 ms), so when silence comes due does not depend on timing. */
    static final class EveryEvent implements WatermarkGenerator<Verdict> {
        long max = Long.MIN_VALUE;

        @Override
        public void onEvent(Verdict v, long ts, WatermarkOutput out) {
            if (v.timestampMillis > max) {
                max = v.timestampMillis;
                out.emitWatermark(new Watermark(max - 1));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    record Run(List<ZoneCount> windows, JobID job) {}

    Run run(Path failMarker) throws Exception {
        StreamExecutionEnvironment env = failMarker == null ? FlinkTests.env(2, 100) : FlinkTests.restartingEnv(2, 100, 2, Duration.ofMillis(100));
        WatermarkStrategy<Verdict> wm = WatermarkStrategy.<Verdict>forGenerator(c -> new EveryEvent()).withTimestampAssigner((v, t) -> v.timestampMillis);
        DataStream<Verdict> in = env.fromSource(new DataGeneratorSource<>(i -> VERDICTS.get((int) (long) i).copy(), VERDICTS.size(),
                RateLimiterStrategy.perSecond(400), TypeInformation.of(Verdict.class)), wm, "verdicts").setParallelism(1).uid("verdicts");
        if (failMarker != null) in = in.map(new FailOnceAfterCheckpoint<Verdict>(failMarker, 2)).setParallelism(1).uid("fail-once");
        // parallelism 1 up to the keyBy: each camera's verdicts stay in their order, as one source per camera keeps them in the jobs
        DataStream<ZoneCount> out = in.map(new OwnedCount(CONFIG)).setParallelism(1).uid("owned")
                .keyBy(v -> CONFIG.zoneOf(v.cameraId)).process(new ZoneOccupancy(CONFIG)).uid("zone-occupancy");
        FlinkTests.Run<ZoneCount> r = FlinkTests.runToEnd(out, failMarker == null ? "zones" : "zones restored");
        return new Run(r.records(), r.jobId());
    }

    static List<ZoneCount> of(List<ZoneCount> all, String zone) {
        return all.stream().filter(c -> c.zone.equals(zone)).sorted((a, b) -> Long.compare(a.windowStartMillis, b.windowStartMillis)).toList();
    }

    static String line(ZoneCount c) {
        return String.format(java.util.Locale.ROOT, "%d %.2f %d %s", (c.windowStartMillis - T0) / 1000, c.meanCount, c.maxCount, c.degraded ? "degraded" : "ok");
    }

    static List<String> lines(List<ZoneCount> all, String zone) {
        return of(all, zone).stream().map(ZoneCamerasJobTest::line).toList();
    }

    static void check(List<ZoneCount> all) {
        assertEquals(List.of("0 3.00 3 ok", "5 3.00 3 ok", "10 3.00 3 ok", "15 3.00 3 ok", "20 3.00 3 ok", "25 3.00 3 ok"), lines(all, "hall"),
                "two cameras with the same frames count each person once");
        assertEquals(List.of("0 2.00 2 ok", "5 2.00 2 ok", "10 1.40 2 degraded", "15 0.00 0 degraded", "20 0.00 0 degraded", "25 0.00 0 degraded"),
                lines(all, "gate"));
        assertEquals(List.of("0 1.00 1 ok", "5 1.00 1 ok", "10 4.00 4 ok", "15 4.00 4 ok", "20 4.00 4 ok", "25 4.00 4 ok"), lines(all, "dock"),
                "the clock jump's counts take effect at 10 s, windows in order and once each");
        assertEquals(18, all.size());
    }

    static long counter(JobID job, String name) {
        long total = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> e : REPORTER.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(e.getKey().getAllVariables().get("<job_id>"))) continue;
            if (e.getValue().get(name) instanceof Counter c) total += c.getCount();
        }
        return total;
    }

    @Test
    void overlapDegradedCameraAndClockJumpThroughARestore(@TempDir Path dir) throws Exception {
        Run plain = run(null);
        check(plain.windows);
        assertEquals(1, counter(plain.job, "cameraDegradations"), "cam-c, once");
        assertEquals(1, counter(plain.job, "clockJumpsBack"), "cam-d's one jump");
        // cam-a does not own 250, cam-b does not own 50 and 150: 3 of 6 detections per frame pair, 60 frames
        assertEquals(180, counter(plain.job, "unownedDetections"));

        check(FailOnceAfterCheckpoint.restoredRun(dir, this::run).windows);
    }
}
