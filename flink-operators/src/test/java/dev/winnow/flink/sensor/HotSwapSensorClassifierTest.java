package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sensor classifier follows its alias: swaps between windows, refuses a model of another width. */
class HotSwapSensorClassifierTest {
    @TempDir Path dir;
    ModelRegistry registry;

    /** "alarm" when feature 0 exceeds the threshold. */
    static byte[] thresholdModel(int features, float threshold) {
        float[] w = new float[2 * features];
        w[features] = 1f;
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {features}).tensor("y", new int[] {2}).input("x").output("y")
                .node("dense", "fc", List.of("x"), List.of("y"), Map.of("weights", "w", "bias", "b"), null)
                .weightFloat("w", new int[] {2, features}, w).weightFloat("b", new int[] {2}, new float[] {0f, -threshold});
        return g.toBytes(Metadata.builder("alarm", "cnn").input("x", new int[] {features}, "float32", "features", null).labels(List.of("normal", "alarm")));
    }

    @BeforeEach
    void setUp() throws Exception {
        registry = new ModelRegistry(new LocalDirectoryStore(dir));
        registry.publish("alarm", thresholdModel(4, 10f), "t", Map.of());
        registry.setAlias("alarm", "production", 1, "t");
    }

    ModelUpdate promote(byte[] artifact) throws Exception {
        // allowSignatureChange: the registry would refuse the wrong-width model itself; this test is about the job's own check
        ModelVersion v = registry.publish("alarm", artifact, "t", Map.of(), true);
        var e = registry.setAlias("alarm", "production", v.version(), "t");
        return new ModelUpdate(e.sequence(), "alarm", "production", v.version(), v.sha256(), e.timeMillis());
    }

    static FeatureVector window(long t, float f0) {
        FeatureVector v = new FeatureVector();
        v.sensorId = "pump";
        v.windowStartMillis = t;
        v.windowEndMillis = t + 10;
        v.readings = 8;
        v.features = new float[] {f0, 0, 0, 0};
        return v;
    }

    @Test
    void swapsThresholdsBetweenWindowsAndRefusesAnotherWidth() throws Exception {
        var fn = new HotSwapSensorClassifier(RegistryConnection.directory(dir, List.of()).allowingUnsigned(), "alarm", "production", Set.of("alarm"), false);
        try (var h = new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(fn, List.of(SwappableModel.VERSIONS)), 1, 1, 0)) {
            h.open();
            h.processElement(window(0, 5f), 0);    // v1: 5 < 10, dropped
            h.processElement(window(10, 12f), 10); // v1: alarm
            h.processBroadcastElement(promote(thresholdModel(5, 1f)), 0); // wrong width: refused
            h.processBroadcastElement(promote(thresholdModel(4, 3f)), 0); // v3: threshold 3
            long t = 20;
            for (int i = 0; i < 2000; i++, t += 10) {
                h.processElement(window(t, 5f), t);
                List<SensorEvent> out = h.extractOutputValues();
                if (out.get(out.size() - 1).modelVersion == 3) break;
                Thread.sleep(2);
            }
            List<SensorEvent> out = h.extractOutputValues();
            assertEquals(1, out.get(0).modelVersion);
            assertEquals(10L, out.get(0).windowStartMillis);
            assertEquals(3, out.get(out.size() - 1).modelVersion, "v3 serves; v2 (5 features) never did");
            for (SensorEvent e : out) assertNotEquals(2, e.modelVersion);
            // every window after the first alarm scored by v1 with 5 < 10 was dropped, so any further v1 outputs are impossible
            assertEquals(2, out.size(), "one alarm from v1, then the first window v3 scores");
        }
    }
}
