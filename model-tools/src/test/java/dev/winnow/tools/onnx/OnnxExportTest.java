package dev.winnow.tools.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.graph.ElementType;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exported twins of the shipped detector's layers give ONNX Runtime's outputs equal to Winnow's
 * on the same inputs: float within a bound from the fan-in, int8 within one code.
 */
class OnnxExportTest {
    static Artifact detector(String kind) throws Exception {
        return ArtifactReader.read(Path.of("detector/person-detector-" + kind + ".wnm"));
    }

    static float[] input(OrtTwin t, long seed) {
        Random r = new Random(seed);
        float[] x = new float[t.model.input(0).elementCount()];
        boolean int8 = t.model.input(0).type() == ElementType.INT8;
        for (int i = 0; i < x.length; i++) x[i] = int8 ? r.nextInt(256) - 128 : r.nextFloat() * 2 - 1;
        return x;
    }

    /** The detector's conv layers, one of each kind: the stem, the downsampling conv, the first block's three, the heads. */
    static List<String> layers() {
        return List.of("stem", "down", "mb0.expand", "mb0.dw", "mb0.project", "score", "box");
    }

    /** Node {@code node} of the {@code kind} (float or int8) detector alone, in both runtimes. */
    static OrtTwin layer(String kind, String node) throws Exception {
        return new OrtTwin(GraphSlice.of(detector(kind), node, Set.of(node)::contains));
    }

    @ParameterizedTest
    @MethodSource("layers")
    void floatLayersAgree(String node) throws Exception {
        try (OrtTwin t = layer("float", node)) {
            float[] x = input(t, 7);
            float[] w = t.winnow(x), o = t.ort(x);
            double tol = tolerance(t, w);
            for (int i = 0; i < w.length; i++) assertEquals(w[i], o[i], tol, node + " element " + i);
        }
    }

    /** Float sums of the fan-in's products in any order differ by at most fan-in · ε · Σ|x·w|; bounded here by |y|max + 1. */
    static double tolerance(OrtTwin t, float[] y) {
        double max = 0;
        for (float v : y) max = Math.max(max, Math.abs(v));
        long fanIn = t.model.report().macs() / Math.max(1, y.length) + 1;
        return fanIn * Math.ulp(1f) * 4 * (max + 1);
    }

    @ParameterizedTest
    @MethodSource("layers")
    void int8LayersAgreeWithinOneCode(String node) throws Exception {
        try (OrtTwin t = layer("int8", node)) {
            float[] x = input(t, 11);
            float[] w = t.winnow(x), o = t.ort(x);
            int off = 0;
            for (int i = 0; i < w.length; i++) {
                assertTrue(Math.abs(w[i] - o[i]) <= 1, node + " element " + i + ": winnow " + w[i] + ", onnxruntime " + o[i]);
                if (w[i] != o[i]) off++;
            }
            System.out.printf("%s int8: %d of %d codes differ by one%n", node, off, w.length);
        }
    }

    /** RNNPool alone: float within 1e-5 of the output's scale (Winnow's sigmoid and tanh are its own); int8 (Q15 cells in Winnow, float in ONNX) within 2 codes. */
    @ParameterizedTest
    @ValueSource(strings = {"float", "int8"})
    void rnnPoolAgrees(String kind) throws Exception {
        try (OrtTwin t = layer(kind, "pool")) {
            float[] x = input(t, 13);
            compare(t, t.winnow(x), t.ort(x), kind.equals("int8") ? 2 : 1e-5);
        }
    }

    /**
     * The whole detector but its detect op, on a random image: float within 1e-4 of the scores' scale;
     * int8 within 4 codes of the score head (each of the dozen requantizations may round the other way).
     */
    @ParameterizedTest
    @ValueSource(strings = {"float", "int8"})
    void detectorBackboneAgrees(String kind) throws Exception {
        try (OrtTwin t = new OrtTwin(GraphSlice.of(detector(kind), "backbone", n -> !n.equals("detect")))) {
            float[] x = input(t, 17);
            if (kind.equals("float")) for (int i = 0; i < x.length; i++) x[i] = (x[i] + 1) / 2;
            float[] w = t.winnow(x), o = t.ort(x);
            if (kind.equals("float")) {
                compare(t, w, o, 1e-4);
                return;
            }
            double code = ((Number) tensorAttr(detector(kind), "score", "scale")).doubleValue(), diff = 0;
            for (int i = 0; i < w.length; i++) diff = Math.max(diff, Math.abs(w[i] - o[i]));
            System.out.printf("int8 backbone: scores differ by up to %.2f codes%n", diff / code);
            assertTrue(diff <= 4 * code + 1e-6, "scores differ by " + diff / code + " codes");
        }
    }

    @SuppressWarnings("unchecked")
    static Object tensorAttr(Artifact a, String tensor, String key) {
        for (Object o : (java.util.List<Object>) a.metadata().graph().get().get("tensors")) {
            java.util.Map<String, Object> t = (java.util.Map<String, Object>) o;
            if (tensor.equals(t.get("name"))) return t.get(key);
        }
        throw new IllegalArgumentException(tensor);
    }

    /** |winnow − onnxruntime| ≤ bound · (max |y| + 1) for float outputs, ≤ bound codes for int8. */
    static void compare(OrtTwin t, float[] w, float[] o, double bound) {
        double max = 0, diff = 0;
        for (int i = 0; i < w.length; i++) {
            max = Math.max(max, Math.abs(w[i]));
            diff = Math.max(diff, Math.abs(w[i] - o[i]));
        }
        double limit = t.model.output(0).type() == ElementType.INT8 ? bound : bound * (max + 1);
        
        assertTrue(diff <= limit, t.model.name() + ": differs by " + diff + " > " + limit);
    }
}
