package dev.winnow.tools.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.graph.ElementType;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
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

    @ParameterizedTest
    @ValueSource(strings = {"stem", "down", "mb0.expand", "mb0.dw", "mb0.project", "score", "box"})
    void floatLayersAgree(String node) throws Exception {
        try (OrtTwin t = new OrtTwin(GraphSlice.of(detector("float"), node, Set.of(node)::contains))) {
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
    @ValueSource(strings = {"stem", "down", "mb0.expand", "mb0.dw", "mb0.project", "score", "box"})
    void int8LayersAgreeWithinOneCode(String node) throws Exception {
        try (OrtTwin t = new OrtTwin(GraphSlice.of(detector("int8"), node, Set.of(node)::contains))) {
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
}
