package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.RejectedReading;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.FastGrnnStream;
import dev.winnow.runtime.testing.RandomFastGrnn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One sensor's state across a swap of its group's model, and the builder's refusals. */
class PerGroupFastGrnnTest {
    @TempDir Path dir;

    @Test
    void aSwapRestartsTheSensorStateFromZerosWithTheNewWeights() throws Exception {
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir));
        byte[] v1 = new RandomFastGrnn(1, 3, 8, 2, 10, 0, 0).artifact("grnn"), v2 = new RandomFastGrnn(2, 3, 8, 2, 10, 0, 0).artifact("grnn");
        registry.publish("grnn", v1, "t", Map.of());
        registry.setAlias("grnn", "production", 1, "t");
        ModelVersion second = registry.publish("grnn", v2, "t", Map.of());
        var moved = registry.setAlias("grnn", "hall", 2, "t");
        registry.setAlias("grnn", "hall", 1, "t"); // the alias starts on v1; the update below moves it to v2
        PerGroupFastGrnn fn = PerGroupFastGrnn.builder(RegistryConnection.directory(dir, List.of()).allowingUnsigned(), "grnn@production")
                .groups(SensorGroups.none().withPrefixRule("/")).groupAliases(List.of("hall=hall")).channels(3).build();
        try (var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(fn, List.of(SwappableModel.VERSIONS)),
                (SensorReading r) -> r.sensorId, Types.STRING, 1, 1, 0)) {
            h.open();
            h.processElement(new SensorReading("hall/1", 0, new float[] {1, 2, 3}), 0);
            h.processElement(new SensorReading("hall/1", 1, new float[] {3, 2, 1}), 1);
            h.processBroadcastElement(new ModelUpdate(moved.sequence() + 10, "grnn", "hall", 2, second.sha256(), 0), 1);
            SensorPrediction first = null;
            long t = 2;
            for (; t < 5000 && first == null; t++) {
                h.processElement(new SensorReading("hall/1", t, new float[] {0.5f, -1, 2}), t);
                List<SensorPrediction> out = h.extractOutputValues();
                if (out.get(out.size() - 1).modelVersion == 2) first = out.get(out.size() - 1);
                else Thread.sleep(2);
            }
            assertNotNull(first, "v2 serves the hall group");
            // from zeros, v2's one step on the reading it first saw
            FastGrnnStream fresh = FastGrnnStream.of(Model.load(v2));
            float[] hidden = new float[fresh.hidden()], scratch = new float[fresh.scratchSize()], scores = new float[fresh.classes()];
            fresh.step(new float[] {0.5f, -1, 2}, 0, hidden, 0, scratch, 0);
            fresh.scores(hidden, 0, scores, 0);
            assertArrayEquals(scores, first.scores, 0f, "the state restarted with v2's weights, bit for bit");
            assertEquals(t, first.readings, "the reading count carries on across the swap");

            h.processElement(new SensorReading("hall/1", 3, new float[] {1, Float.NaN, 1}), t + 1);
            h.processElement(new SensorReading("hall/1", 1, new float[] {1, 1, 1}), t + 2);
            var bad = h.getSideOutput(StreamingFastGrnn.BAD);
            var late = h.getSideOutput(StreamingFastGrnn.LATE);
            assertEquals("channel 1 is NaN", bad.peek().getValue().reason);
            assertEquals(RejectedReading.Kind.LATE, late.peek().getValue().kind);
        }
    }

    @Test
    void theBuilderRefusesEveryMistakeInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PerGroupFastGrnn.builder(
                RegistryConnection.directory(dir, List.of()).allowingUnsigned(), "grnn").groupAliases(List.of("x", "a=b", "a=c")).everyReadings(0).build());
        for (String part : List.of("name@alias", "--group-alias expects group=alias, got 'x'", "group a has two aliases", "channels must be at least 1",
                "everyReadings must be at least 1")) {
            assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage());
        }
    }
}
