package dev.winnow.flink.inference;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's own record type through a pluggable extractor and mapper, on a MiniCluster. */
class ModelFunctionTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    /** "hot" when temperature - 30 > 0, from a one-feature dense layer and softmax. */
    static byte[] model() {
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {1}).tensor("z", new int[] {2}).tensor("y", new int[] {2}).input("x").output("y")
                .node("dense", "fc", List.of("x"), List.of("z"), Map.of("weights", "w", "bias", "b"), null)
                .node("softmax", "p", List.of("z"), List.of("y"), Map.of(), null)
                .weightFloat("w", new int[] {2, 1}, new float[] {-1f, 1f}).weightFloat("b", new int[] {2}, new float[] {30f, -30f});
        return g.toBytes(Metadata.builder("thermo", "cnn").input("x", new int[] {1}, "float32", "features", null).labels(List.of("ok", "hot")));
    }

    @Test
    void extractsScoresAndMapsEveryWellFormedRecord() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.env(2, 0);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) lines.add("room" + (i % 3) + "=" + (20 + i * 0.25));
        lines.add("room9=warm"); // malformed: dropped and counted, not a job failure
        List<String> out = env.fromData(lines).flatMap(new ModelFunction<String, String>(ModelSource.ofBytes(model(), 7),
                        (line, x) -> {
                            try {
                                x[0] = Float.parseFloat(line.substring(line.indexOf('=') + 1));
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException("not a temperature: " + line);
                            }
                        },
                        (line, y, m) -> m.bestLabel(y).equals("hot") ? line + " " + m.name() + " v" + m.version() : null,
                        Types.STRING))
                .executeAndCollect(1000);
        long expected = lines.stream().filter(l -> !l.endsWith("warm")).filter(l -> Double.parseDouble(l.substring(l.indexOf('=') + 1)) > 30).count();
        assertEquals(expected, out.size());
        for (String s : out) assertTrue(s.endsWith(" thermo v7"), s);
        // same answers as the runtime directly
        var it = Model.load(model()).newInterpreter();
        float[] y = new float[2];
        it.predict(new float[] {30.5f}, y);
        assertTrue(y[1] > y[0]);
    }
}
