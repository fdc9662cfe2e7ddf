package dev.winnow.flink.track;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.TrackedFrame;
import dev.winnow.flink.types.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker operator on a MiniCluster: a failure injected after a checkpoint restores the track
 * tables, and the restored run emits the same track ids and boxes as an uninterrupted one, which
 * both equal a plain loop of {@link ByteTracker} per camera. A frame out of order is left out.
 */
class PersonTrackerJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final int CAMERAS = 3, FRAMES = 400, PEOPLE = 6;
    static final TrackerConfig CONFIG = TrackerConfig.defaults();

    @TempDir Path dir;

    /**
     * Verdict {@code i}: cameras in turn, 100 ms apart per camera. Six people walk across each camera
     * at different speeds and rows, wrap around, score low now and then and vanish for a frame now and then.
     */
    static Verdict generated(long i) {
        int c = (int) (i % CAMERAS), n = (int) (i / CAMERAS);
        float[] rows = new float[5 * PEOPLE];
        int k = 0;
        for (int p = 0; p < PEOPLE; p++) {
            float x = (37 * p + (3 + p) * n + 13 * c) % 900 - 100;
            if (x < 0 || x > 700 || (n + p) % 23 == 0) continue;
            rows[5 * k] = x;
            rows[5 * k + 1] = 70 * p;
            rows[5 * k + 2] = 40;
            rows[5 * k + 3] = 80;
            rows[5 * k + 4] = (n + p) % 17 == 0 ? 0.4f : 0.9f;
            k++;
        }
        Verdict v = new Verdict();
        v.cameraId = "cam-" + c;
        v.seq = n;
        v.timestampMillis = 1_700_000_000_000L + 100L * n;
        v.boxes = Arrays.copyOf(rows, 5 * k);
        v.count = k;
        return v;
    }

    List<TrackedFrame> run(Path failMarker) throws Exception {
        StreamExecutionEnvironment env = failMarker == null ? FlinkTests.env(2, 200) : FlinkTests.restartingEnv(2, 200, 2, Duration.ofMillis(100));
        DataStream<Verdict> verdicts = env.fromSource(new DataGeneratorSource<>(PersonTrackerJobTest::generated, (long) CAMERAS * FRAMES,
                        RateLimiterStrategy.perSecond(600), TypeInformation.of(Verdict.class)), WatermarkStrategy.noWatermarks(), "verdicts")
                .setParallelism(1).uid("verdicts");
        DataStream<TrackedFrame> tracked = verdicts.keyBy(v -> v.cameraId).process(new PersonTracker(CONFIG)).name("tracker").uid("tracker");
        if (failMarker != null) tracked = tracked.map(new FailOnceAfterCheckpoint<TrackedFrame>(failMarker, 0)).uid("fail-once");
        return FlinkTests.runToEnd(tracked, failMarker == null ? "uninterrupted" : "restored").records();
    }

    static TreeMap<String, TrackedFrame> byFrame(List<TrackedFrame> frames) {
        TreeMap<String, TrackedFrame> m = new TreeMap<>();
        for (TrackedFrame f : frames) assertNull(m.put(f.cameraId + "#" + String.format("%05d", f.seq), f), "duplicate " + f);
        return m;
    }

    @Test
    void aRestoreGivesTheUninterruptedTracksAndBothEqualAPlainLoop() throws Exception {
        TreeMap<String, TrackedFrame> uninterrupted = byFrame(run(null));
        TreeMap<String, TrackedFrame> restored = byFrame(FailOnceAfterCheckpoint.restoredRun(dir, this::run));
        assertEquals(CAMERAS * FRAMES, uninterrupted.size());
        assertEquals(uninterrupted, restored);

        long ids = 0;
        for (int c = 0; c < CAMERAS; c++) {
            ByteTracker t = new ByteTracker(CONFIG);
            TrackTable table = t.newTable();
            for (int n = 0; n < FRAMES; n++) {
                Verdict v = generated((long) n * CAMERAS + c);
                t.step(table, v.boxes);
                TrackedFrame f = uninterrupted.get(v.cameraId + "#" + String.format("%05d", n));
                assertArrayEquals(Arrays.copyOf(t.ids(), t.visible()), f.trackIds, v.cameraId + " frame " + n);
                assertArrayEquals(Arrays.copyOf(t.boxes(), 4 * t.visible()), f.boxes, v.cameraId + " frame " + n);
                assertEquals(t.alive(), f.alive);
            }
            ids += table.nextId - 1;
        }
        // six people wrapping around a 900 px loop about 400·(3..8)/900 times each: ids stay near the number of passes, not per frame
        assertTrue(ids > 3 * PEOPLE && ids < 400, "track ids handed out: " + ids);
    }

    @Test
    void aFrameOutOfOrderIsLeftOutAndTheTracksGoOn() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new PersonTracker(CONFIG)), (Verdict v) -> v.cameraId, Types.STRING);
        try (h) {
            h.open();
            for (int n = 0; n < 5; n++) h.processElement(generated((long) n * CAMERAS), n);
            h.processElement(generated(2L * CAMERAS), 5); // seq 2 again
            h.processElement(generated(5L * CAMERAS), 6);
            List<TrackedFrame> out = h.extractOutputValues();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), out.stream().map(f -> f.seq).toList());
            assertTrue(out.get(5).trackIds.length > 0, "tracks confirmed by frame 5");
        }
    }
}
