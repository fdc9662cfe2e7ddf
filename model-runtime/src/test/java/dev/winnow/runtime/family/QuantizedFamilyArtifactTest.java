package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.QuantizationInfo;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.runtime.testing.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** int8 and Q15 family nodes: shippable as artifacts, same answers as the kernels, reported, allocation-free. */
class QuantizedFamilyArtifactTest {

    /** {@code m} [rows][cols] as an int8 weight with a scale per row, quantized as the int8 families quantize theirs. */
    private static void int8Rows(GraphBuilder g, String name, int[] shape, float[] m, int cols) {
        Int8Rows q = Int8Rows.quantize(m, m.length / cols, cols);
        g.weight(w -> w.addInt8(name, shape, q.values(), QuantizationInfo.symmetric(0, q.scales()), true));
    }

    @Test
    void int8AndQ15BonsaiArtifacts() throws Exception {
        Random r = new Random(131);
        Bonsai b = QuantizedBonsaiTest.letterSized(r);
        Bonsai.Weights w = b.weights();
        int d = 16, proj = 16, classes = 26;
        float[] std = new float[d + 1];
        for (int i = 0; i <= d; i++) std[i] = 1 / w.invStd()[i];
        long floatSize = 0;
        for (String arithmetic : new String[] {"float", "int8", "q15"}) {
            GraphBuilder g = new GraphBuilder().tensor("x", new int[] {d}).tensor("scores", new int[] {classes}).input("x").output("scores")
                    .node("bonsai", "tree", List.of("x"), List.of("scores"), Map.of("mean", "mean", "std", "std", "Z", "Z", "W", "W", "V", "V", "theta", "T"),
                            Map.of("depth", 3L, "projection", (long) proj, "classes", (long) classes, "sigma", 1.0, "arithmetic", arithmetic))
                    .weightFloat("mean", new int[] {d + 1}, w.mean()).weightFloat("std", new int[] {d + 1}, std);
            if (arithmetic.equals("float")) {
                g.weightFloat("Z", new int[] {proj, d + 1}, w.z()).weightFloat("W", new int[] {classes * 15, proj}, w.w())
                        .weightFloat("V", new int[] {classes * 15, proj}, w.v()).weightFloat("T", new int[] {7, proj}, w.theta());
            } else {
                int8Rows(g, "Z", new int[] {proj, d + 1}, w.z(), d + 1);
                int8Rows(g, "W", new int[] {classes * 15, proj}, w.w(), proj);
                int8Rows(g, "V", new int[] {classes * 15, proj}, w.v(), proj);
                int8Rows(g, "T", new int[] {7, proj}, w.theta(), proj);
            }
            byte[] bytes = g.toBytes(Metadata.builder("letter-" + arithmetic, "bonsai").input("x", new int[] {d}, "float32", "features", null));
            if (arithmetic.equals("float")) floatSize = bytes.length;
            else assertTrue(bytes.length < floatSize / 2, arithmetic + " artifact " + bytes.length + " B vs float " + floatSize + " B");
            Model m = Model.load(bytes);
            Interpreter it = m.newInterpreter();
            int agree = 0;
            for (int k = 0; k < 300; k++) {
                float[] x = Tensors.gaussian(r, d, 1.5), got = it.predict(x, new float[classes]), ref = new float[classes];
                b.predict(x, 0, ref, 0, new float[b.scratchSize()], 0);
                if (QuantizedBonsaiTest.argmax(got) == QuantizedBonsaiTest.argmax(ref)) agree++;
            }
            assertTrue(agree >= (arithmetic.equals("q15") ? 240 : 285), arithmetic + " agrees with float on " + agree + "/300");
            float[] x = Tensors.gaussian(r, d, 1), y = new float[classes];
            assertEquals(0, Tensors.allocationAfterWarmUp(() -> it.predict(x, y), 1000), arithmetic + " predict allocates");
            assertTrue(m.report().arenaBytes() > 0);
        }
    }

    @Test
    void int8RnnPoolArtifactMatchesTheLayer() throws Exception {
        KnownAnswers k = new KnownAnswers("rnnpool_vww_float.json");
        int h = 14, w = 18;
        QuantParams in = QuantParams.forRange(-1, 1), out = QuantParams.forRange(-1.5, 1.5);
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {h, w, 8}).tensorInt8("xq", new int[] {h, w, 8}, in)
                .tensorInt8("yq", new int[] {4, 5, 32}, out).tensor("y", new int[] {4, 5, 32}).input("x").output("y")
                .node("quantize", "q", List.of("x"), List.of("xq"), null, null);
        Map<String, String> weights = new java.util.LinkedHashMap<>();
        for (String rn : new String[] {"rnn1.", "rnn2."}) for (String p : new String[] {"W", "U", "bg", "bh", "zeta", "nu"}) weights.put(rn + p, rn + p);
        g.node("rnnpool", "pool", List.of("xq"), List.of("yq"), weights, Map.of("patch", 6L, "stride", 4L, "hidden1", 8L, "hidden2", 8L, "pad_output", 1L))
                .node("dequantize", "dq", List.of("yq"), List.of("y"), null, null);
        for (int i = 1; i <= 2; i++) {
            String rn = "rnn" + i + ".";
            g.weightFloat(rn + "W", new int[] {8, 8}, k.floats("W" + i)).weightFloat(rn + "U", new int[] {8, 8}, k.floats("U" + i))
                    .weightFloat(rn + "bg", new int[] {8}, k.floats("Bg" + i)).weightFloat(rn + "bh", new int[] {8}, k.floats("Bh" + i))
                    .weightFloat(rn + "zeta", new int[] {1}, new float[] {(float) Math.log(k.number("sigmoid_zeta" + i) / (1 - k.number("sigmoid_zeta" + i)))})
                    .weightFloat(rn + "nu", new int[] {1}, new float[] {(float) Math.log(k.number("sigmoid_nu" + i) / (1 - k.number("sigmoid_nu" + i)))});
        }
        Model m = Model.load(g.toBytes(Metadata.builder("vww-rnnpool-int8", "rnnpool").input("x", new int[] {h, w, 8}, "float32", "HWC", null)));
        float[] x = Tensors.uniform(new Random(5), h * w * 8, -1, 1);
        float[] y = m.newInterpreter().predict(x, new float[4 * 5 * 32]);
        RnnPoolLayer f = new RnnPoolLayer(RnnPoolKnownAnswerTest.vww(), h, w, 4, true);
        float[] xd = new float[x.length];
        for (int i = 0; i < x.length; i++) xd[i] = in.dequantize(in.quantize(x[i]));
        float[] ref = new float[y.length];
        f.run(xd, 0, ref, 0, new float[f.scratchSize()], 0);
        for (int i = 0; i < y.length; i++) assertEquals(ref[i], y[i], 1.5 * out.scale(), "element " + i);
        // the tensors, and the layer's scratch (on the lanes, a group of patches' states) with room for alignment
        Int8RnnPoolLayer q = new Int8RnnPoolLayer(f, h, w, 4, true, in, out);
        long scratch = 4L * q.scratchInts() + 2L * q.scratchShorts();
        long arena = m.report().arenaBytes();
        assertTrue(arena < 4L * h * w * 8 + h * w * 8 + 2 * 4 * 5 * 32 + 4 * 4 * 5 * 32 + scratch + 1024, arena + " B of arena");
    }
}
