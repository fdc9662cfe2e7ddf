package dev.winnow.tools.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.Metadata;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A float Bonsai exported as its path's 0/1 node weights scores as Winnow's tree walk does, on inputs that reach every leaf. */
class BonsaiExportTest {
    static byte[] model(int depth, String arithmetic) {
        Random r = new Random(depth);
        int d = 8, proj = 6, classes = 5, internal = (1 << depth) - 1, nodes = 2 * internal + 1;
        float[] std = new float[d + 1];
        for (int i = 0; i < std.length; i++) std[i] = 0.5f + r.nextFloat();
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {d}).tensor("scores", new int[] {classes}).input("x").output("scores")
                .weightFloat("mean", new int[] {d + 1}, FastGrnnExportTest.gaussian(r, d + 1, 0.3)).weightFloat("std", new int[] {d + 1}, std)
                .weightFloat("Z", new int[] {proj, d + 1}, FastGrnnExportTest.gaussian(r, proj * (d + 1), 1))
                .weightFloat("W", new int[] {classes * nodes, proj}, FastGrnnExportTest.gaussian(r, classes * nodes * proj, 1))
                .weightFloat("V", new int[] {classes * nodes, proj}, FastGrnnExportTest.gaussian(r, classes * nodes * proj, 1))
                .weightFloat("theta", new int[] {Math.max(1, internal), proj}, FastGrnnExportTest.gaussian(r, Math.max(1, internal) * proj, 1));
        g.node("bonsai", "tree", List.of("x"), List.of("scores"), Map.of("mean", "mean", "std", "std", "Z", "Z", "W", "W", "V", "V", "theta", "theta"),
                Map.of("depth", (long) depth, "projection", (long) proj, "classes", (long) classes, "sigma", 0.7, "arithmetic", arithmetic));
        return g.toBytes(Metadata.builder("bonsai-" + depth, "bonsai").input("x", new int[] {d}, "float32", "flat", null));
    }

    /** Winnow's tanh is its own rational approximation: 1e-5 of the scores' scale. Distinct score vectors show the inputs took different paths. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void pathWeightsGiveWinnowsScores(int depth) throws Exception {
        try (OrtTwin t = new OrtTwin(model(depth, "float"))) {
            Random r = new Random(21);
            Set<Long> paths = new HashSet<>();
            for (int k = 0; k < 64; k++) {
                float[] x = FastGrnnExportTest.gaussian(r, 8, 2);
                float[] w = t.winnow(x), o = t.ort(x);
                OnnxExportTest.compare(t, w, o, 1e-5);
                paths.add((long) Math.signum(w[0]) * 1000 + Math.round(w[1] * 10));
            }
            assertTrue(paths.size() > 1, "the inputs reach more than one leaf");
        }
    }

    @Test
    void int8BonsaiIsRefusedByName() throws Exception {
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExport.toOnnx(ArtifactReader.read(model(2, "int8"))));
        assertEquals("bonsai 'tree' with int8 arithmetic has no ONNX export; export its float model", e.getMessage());
    }
}
