package dev.winnow.tools.onnx;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A FastGRNN graph node (full or low rank, either direction, normalized input, dense head) unrolled into ONNX gives Winnow's scores. */
class FastGrnnExportTest {
    static float[] gaussian(Random r, int n, double s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * s);
        return a;
    }

    static byte[] model(boolean lowRank, String direction) {
        Random r = new Random(lowRank ? 5 : 6);
        int t = 12, d = 6, h = 10, rank = 3, classes = 4;
        GraphBuilder g = new GraphBuilder().tensor("seq", new int[] {t, d}).tensor("scores", new int[] {classes}).input("seq").output("scores");
        Map<String, String> w = new LinkedHashMap<>();
        if (lowRank) {
            g.weightFloat("W1", new int[] {rank, d}, gaussian(r, rank * d, 0.4)).weightFloat("W2", new int[] {h, rank}, gaussian(r, h * rank, 0.4));
            g.weightFloat("U1", new int[] {rank, h}, gaussian(r, rank * h, 0.4)).weightFloat("U2", new int[] {h, rank}, gaussian(r, h * rank, 0.4));
            w.putAll(Map.of("W1", "W1", "W2", "W2", "U1", "U1", "U2", "U2"));
        } else {
            g.weightFloat("W", new int[] {h, d}, gaussian(r, h * d, 0.4)).weightFloat("U", new int[] {h, h}, gaussian(r, h * h, 0.4));
            w.putAll(Map.of("W", "W", "U", "U"));
        }
        float[] std = gaussian(r, t * d, 0.2);
        for (int i = 0; i < std.length; i++) std[i] = 1 + Math.abs(std[i]);
        g.weightFloat("bg", new int[] {h}, gaussian(r, h, 0.1)).weightFloat("bh", new int[] {h}, gaussian(r, h, 0.1))
                .weightFloat("zeta", new int[] {1}, new float[] {1.5f}).weightFloat("nu", new int[] {1}, new float[] {-3f})
                .weightFloat("mean", new int[] {t, d}, gaussian(r, t * d, 0.5)).weightFloat("std", new int[] {t, d}, std)
                .weightFloat("fc", new int[] {classes, h}, gaussian(r, classes * h, 1)).weightFloat("fc_bias", new int[] {classes}, gaussian(r, classes, 1));
        for (String k : List.of("bg", "bh", "zeta", "nu", "mean", "std", "fc", "fc_bias")) w.put(k, k);
        g.node("fastgrnn", "cell", List.of("seq"), List.of("scores"), w, Map.of("hidden", (long) h, "direction", direction));
        return g.toBytes(Metadata.builder("fastgrnn-" + (lowRank ? "low" : "full") + "-" + direction, "fastgrnn")
                .input("seq", new int[] {t, d}, "float32", "flat", null));
    }

    /** Winnow's sigmoid and tanh are its own approximations: 1e-5 of the scores' scale. */
    @ParameterizedTest
    @CsvSource({"false,forward", "true,forward", "false,backward", "true,backward"})
    void unrolledCellGivesWinnowsScores(boolean lowRank, String direction) throws Exception {
        try (OrtTwin t = new OrtTwin(model(lowRank, direction))) {
            float[] x = gaussian(new Random(9), 72, 1);
            OnnxExportTest.compare(t, t.winnow(x), t.ort(x), 1e-5);
        }
    }
}
