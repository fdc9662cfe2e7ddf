package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Readings → count windows → features → embedded model → only the relevant windows, on a MiniCluster. */
class SensorPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final int CHANNELS = 2, BANDS = 4;

    /** A real (hand-set) linear model over the feature vector: "vibration" when channel 0's RMS exceeds 1. */
    static byte[] rmsModel() {
        SensorFeatures f = new SensorFeatures(CHANNELS, BANDS);
        float[] w = new float[2 * f.size()];
        w[4] = -1f;            // quiet: 1 − rms0
        w[f.size() + 4] = 1f;  // vibration: rms0 − 1
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {f.size()}).tensor("y", new int[] {2}).input("x").output("y")
                .node("dense", "fc", List.of("x"), List.of("y"), Map.of("weights", "w", "bias", "b"), null)
                .weightFloat("w", new int[] {2, f.size()}, w).weightFloat("b", new int[] {2}, new float[] {1f, -1f});
        return g.toBytes(Metadata.builder("vibration-detector", "cnn").input("x", new int[] {f.size()}, "float32", "features", null)
                .labels(List.of("quiet", "vibration")));
    }

    static List<SensorReading> readings(String sensor, long seed) {
        Random r = new Random(seed);
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < 640; i++) {
            boolean vibrating = i >= 200 && i < 400;
            float a = vibrating ? (float) (3 * Math.sin(i * 1.3)) : (float) (0.1 * r.nextGaussian());
            SensorReading s = new SensorReading(sensor, 1_000_000L + i * 10L, new float[] {a, (float) r.nextGaussian()});
            s.label = vibrating ? 1 : 0;
            out.add(s);
        }
        return out;
    }

    /** Flink's countWindow(32, 16): fires every 16 readings with the last (up to) 32. */
    static int expectedEvents(List<SensorReading> rs) {
        int events = 0;
        for (int end = 16; end <= rs.size(); end += 16) {
            int start = Math.max(0, end - 32);
            double sq = 0;
            for (int i = start; i < end; i++) sq += rs.get(i).values[0] * rs.get(i).values[0];
            if (Math.sqrt(sq / (end - start)) > 1) events++;
        }
        return events;
    }

    @Test
    void onlyRelevantWindowsTravelOnStampedWithTheModel() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.env(2, 0);
        List<SensorReading> a = readings("pump-1", 1), b = readings("pump-2", 2);
        List<SensorReading> all = new ArrayList<>(a);
        all.addAll(b);
        DataStream<SensorEvent> events = env.fromData(all)
                .keyBy(r -> r.sensorId)
                .countWindow(32, 16)
                .process(new SensorFeatureWindow<>(new SensorFeatures(CHANNELS, BANDS)))
                .flatMap(new SensorClassifier(ModelSource.ofBytes(rmsModel(), 3), Set.of("vibration")));
        List<SensorEvent> got = events.executeAndCollect(10_000);
        long forA = got.stream().filter(e -> e.sensorId.equals("pump-1")).count();
        long forB = got.stream().filter(e -> e.sensorId.equals("pump-2")).count();
        assertEquals(expectedEvents(a), forA);
        assertEquals(expectedEvents(b), forB);
        assertTrue(forA > 5 && forA < 20, "a minority of the 40 windows are relevant: " + forA);
        for (SensorEvent e : got) {
            assertEquals("vibration", e.label);
            assertEquals("vibration-detector", e.modelName);
            assertEquals(3, e.modelVersion);
            assertTrue(e.windowStartMillis >= 1_000_000L + 10L * (200 - 32) && e.windowEndMillis <= 1_000_000L + 10L * (400 + 32));
        }
    }
}
