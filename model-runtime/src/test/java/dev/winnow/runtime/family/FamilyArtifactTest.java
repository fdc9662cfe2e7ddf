package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.testing.RandomBonsai;
import dev.winnow.runtime.testing.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The family nodes, written into artifacts and run through Model, give the families' answers. */
class FamilyArtifactTest {

    private static float logit(float p) {
        return (float) Math.log(p / (1 - p));
    }

    @Test
    void uspsFastGrnnArtifactClassifiesItsExamples() throws Exception {
        KnownAnswers k = new KnownAnswers("fastgrnn_lr_usps_float.json");
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {16, 16}).tensor("scores", new int[] {10}).input("x").output("scores");
        Map<String, String> w = Map.of("W1", "W1", "W2", "W2", "U1", "U1", "U2", "U2", "bg", "bg", "bh", "bh", "zeta", "zeta", "nu", "nu");
        Map<String, String> weights = new java.util.LinkedHashMap<>(w);
        weights.putAll(Map.of("mean", "mean", "std", "std", "fc", "fc", "fc_bias", "fc_bias"));
        g.node("fastgrnn", "rnn", List.of("x"), List.of("scores"), weights, Map.of("hidden", 32L));
        g.weightFloat("W1", new int[] {5, 16}, k.floats("USPS_W1")).weightFloat("W2", new int[] {32, 5}, k.floats("USPS_W2"))
                .weightFloat("U1", new int[] {5, 32}, k.floats("USPS_U1")).weightFloat("U2", new int[] {32, 5}, k.floats("USPS_U2"))
                .weightFloat("bg", new int[] {32}, k.floats("USPS_Bg")).weightFloat("bh", new int[] {32}, k.floats("USPS_Bh"))
                .weightFloat("zeta", new int[] {1}, new float[] {logit(k.number("USPS_sigmoid_zeta"))})
                .weightFloat("nu", new int[] {1}, new float[] {logit(k.number("USPS_sigmoid_nu"))})
                .weightFloat("mean", new int[] {256}, k.floats("USPS_mean")).weightFloat("std", new int[] {256}, k.floats("USPS_stdDev"))
                .weightFloat("fc", new int[] {10, 32}, k.floats("FC_weights")).weightFloat("fc_bias", new int[] {10}, k.floats("FCbias"));
        Model m = Model.load(g.toBytes(Metadata.builder("usps-fastgrnn", "fastgrnn").input("x", new int[] {16, 16}, "float32", "sequence", null)));
        Interpreter it = m.newInterpreter();
        float[] inputs = k.floats("input"), labels = k.floats("labels"), x = new float[256], scores = new float[10];
        for (int e = 0; e < 10; e++) {
            System.arraycopy(inputs, e * 256, x, 0, 256);
            it.predict(x, scores);
            int best = 0;
            for (int c = 1; c < 10; c++) if (scores[c] > scores[best]) best = c;
            assertEquals((int) labels[e], best, "example " + e);
        }
        assertEquals(5L * (16 + 32) + 5L * 64 + 64 + 2 + 10 * 33, m.report().parameters());
    }

    @Test
    void rnnPoolArtifactMatchesTheLayer() throws Exception {
        KnownAnswers k = new KnownAnswers("rnnpool_vww_float.json");
        int h = 14, w = 18;
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {h, w, 8}).tensor("y", new int[] {4, 5, 32}).input("x").output("y");
        Map<String, String> weights = new java.util.LinkedHashMap<>();
        for (String r : new String[] {"rnn1.", "rnn2."}) for (String p : new String[] {"W", "U", "bg", "bh", "zeta", "nu"}) weights.put(r + p, r + p);
        g.node("rnnpool", "pool", List.of("x"), List.of("y"), weights,
                Map.of("patch", 6L, "stride", 4L, "hidden1", 8L, "hidden2", 8L, "pad_output", 1L));
        for (int i = 1; i <= 2; i++) {
            String r = "rnn" + i + ".";
            g.weightFloat(r + "W", new int[] {8, 8}, k.floats("W" + i)).weightFloat(r + "U", new int[] {8, 8}, k.floats("U" + i))
                    .weightFloat(r + "bg", new int[] {8}, k.floats("Bg" + i)).weightFloat(r + "bh", new int[] {8}, k.floats("Bh" + i))
                    .weightFloat(r + "zeta", new int[] {1}, new float[] {logit(k.number("sigmoid_zeta" + i))})
                    .weightFloat(r + "nu", new int[] {1}, new float[] {logit(k.number("sigmoid_nu" + i))});
        }
        Model m = Model.load(g.toBytes(Metadata.builder("vww-rnnpool", "rnnpool").input("x", new int[] {h, w, 8}, "float32", "HWC", null)));
        float[] x = Tensors.uniform(new Random(4), h * w * 8, -1, 1);
        float[] y = m.newInterpreter().predict(x, new float[4 * 5 * 32]);
        RnnPoolLayer layer = new RnnPoolLayer(RnnPoolKnownAnswerTest.vww(), h, w, 4, true);
        float[] ref = new float[y.length];
        layer.run(x, 0, ref, 0, new float[layer.scratchSize()], 0);
        // zeta/nu went through logit and back: tolerance of a few float ulps of sigmoid(ζ) ≈ 1
        for (int i = 0; i < y.length; i++) assertEquals(ref[i], y[i], 1e-5);
    }

    @Test
    void bonsaiArtifactWithSparseZMatchesTheFamily() throws Exception {
        Random r = new Random(8);
        int d = 16, classes = 26;
        RandomBonsai tree = new RandomBonsai(8, d, 28, classes, 3, 1.5f, 0.3);
        Model m = Model.load(tree.artifact("letter-bonsai", null));
        Bonsai direct = tree.family();
        Interpreter it = m.newInterpreter();
        float[] s = new float[direct.scratchSize()];
        for (int trial = 0; trial < 100; trial++) {
            float[] x = Tensors.gaussian(r, d, 3), a = new float[classes], b = new float[classes];
            it.predict(x, a);
            direct.predict(x, 0, b, 0, s, 0);
            assertArrayEquals(b, a, 0f);
        }
        long nonZeros = 0;
        for (float f : tree.z) if (f != 0f) nonZeros++;
        assertEquals(nonZeros, direct.zNonZeros());
        assertTrue(nonZeros < 0.4 * tree.z.length, "Z stored sparse");
        assertTrue(m.report().macs() < 10_000, "a Letter-26 Bonsai is a few thousand MACs: " + m.report().macs());
    }
}
