package dev.winnow.runtime.testing;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small real CNN with random weights — conv stem, depthwise, pointwise, residual add, max pool,
 * global average pool, dense, softmax — as a float32 artifact, as an int8 artifact (quantized with
 * ranges calibrated on the double-precision reference), and as that reference itself. Other
 * modules' tests use it as a real model to run.
 */
public final class TinyCnn {
    public final int h;
    public final int w;
    public static final int C1 = 8;
    public static final int CLASSES = 4;
    private final float[] stemW, stemB, dwW, dwB, pwW, pwB, fcW, fcB;
    private final ConvGeometry stem, dw;

    public TinyCnn(long seed, int h, int w) {
        this.h = h;
        this.w = w;
        Random r = new Random(seed);
        stem = ConvGeometry.same(h, w, 1, C1, 3, 3, 2, 2);
        dw = ConvGeometry.same(stem.outH(), stem.outW(), C1, C1, 3, 3, 1, 1);
        stemW = Tensors.gaussian(r, C1 * 9, 0.5);
        stemB = Tensors.gaussian(r, C1, 0.1);
        dwW = Tensors.gaussian(r, 9 * C1, 0.4);
        dwB = Tensors.gaussian(r, C1, 0.1);
        pwW = Tensors.gaussian(r, C1 * C1, 0.4);
        pwB = Tensors.gaussian(r, C1, 0.1);
        fcW = Tensors.gaussian(r, CLASSES * C1, 1.0);
        fcB = Tensors.gaussian(r, CLASSES, 0.1);
    }

    public int inputSize() {
        return h * w;
    }

    int ph() { return (dw.outH() + 1) / 2; }
    int pw() { return (dw.outW() + 1) / 2; }

    /** Activations of every layer in double precision, in graph order; the last is the class probabilities. */
    public double[][] reference(float[] image) {
        double[] x = Tensors.toDouble(image);
        double[] a = ReferenceOps.conv2d(x, h, w, 1, Tensors.toDouble(stemW), Tensors.toDouble(stemB), C1, 3, 3, 2, 2,
                stem.padTop(), stem.padLeft(), stem.outH(), stem.outW(), 0, 6);
        double[] b = ReferenceOps.depthwise(a, stem.outH(), stem.outW(), C1, 1, Tensors.toDouble(dwW), Tensors.toDouble(dwB), 3, 3, 1, 1,
                dw.padTop(), dw.padLeft(), dw.outH(), dw.outW(), 0, 6);
        double[] c = ReferenceOps.conv2d(b, dw.outH(), dw.outW(), C1, Tensors.toDouble(pwW), Tensors.toDouble(pwB), C1, 1, 1, 1, 1, 0, 0,
                dw.outH(), dw.outW(), -1e9, 1e9);
        double[] d = new double[c.length];
        for (int i = 0; i < d.length; i++) d[i] = a[i] + c[i];
        ConvGeometry pool = ConvGeometry.same(dw.outH(), dw.outW(), C1, C1, 2, 2, 2, 2);
        double[] e = ReferenceOps.pool(d, dw.outH(), dw.outW(), C1, 2, 2, 2, 2, pool.padTop(), pool.padLeft(), pool.outH(), pool.outW(), true);
        double[] f = ReferenceOps.pool(e, pool.outH(), pool.outW(), C1, pool.outH(), pool.outW(), 1, 1, 0, 0, 1, 1, false);
        double[] g = ReferenceOps.dense(f, Tensors.toDouble(fcW), Tensors.toDouble(fcB), C1, CLASSES, -1e9, 1e9);
        return new double[][] {x, a, b, c, d, e, f, g, ReferenceOps.softmax(g)};
    }

    private static final String[] NAMES = {"image", "stem", "dw", "pw", "res", "pool", "gap", "logits", "probs"};

    private int[][] shapes() {
        int sh = stem.outH(), sw = stem.outW();
        return new int[][] {{h, w, 1}, {sh, sw, C1}, {sh, sw, C1}, {sh, sw, C1}, {sh, sw, C1}, {ph(), pw(), C1}, {C1}, {CLASSES}, {CLASSES}};
    }

    private Metadata.Builder metadata(String name) {
        return Metadata.builder(name, "cnn")
                .input("image", new int[] {h, w, 1}, "float32", "HWC", Map.of("colorSpace", "gray", "scale", 1.0 / 255))
                .labels(List.of("a", "b", "c", "d"));
    }

    public byte[] float32Artifact() {
        GraphBuilder g = new GraphBuilder();
        int[][] s = shapes();
        for (int i = 0; i < NAMES.length; i++) g.tensor(NAMES[i], s[i]);
        nodes(g, "");
        g.weightFloat("stem.filter", new int[] {C1, 3, 3, 1}, stemW).weightFloat("stem.bias", new int[] {C1}, stemB)
                .weightFloat("dw.filter", new int[] {3, 3, C1}, dwW).weightFloat("dw.bias", new int[] {C1}, dwB)
                .weightFloat("pw.filter", new int[] {C1, 1, 1, C1}, pwW).weightFloat("pw.bias", new int[] {C1}, pwB)
                .weightFloat("fc.weights", new int[] {CLASSES, C1}, fcW).weightFloat("fc.bias", new int[] {CLASSES}, fcB);
        return g.input("image").output("probs").toBytes(metadata("tiny-cnn"));
    }

    private static void nodes(GraphBuilder g, String q) {
        g.node("conv2d", "stem", List.of("image" + q), List.of("stem" + q), Map.of("filter", "stem.filter", "bias", "stem.bias"),
                Map.of("stride", List.of(2L, 2L), "padding", "same", "activation", "relu6"));
        g.node("depthwise_conv2d", "dw", List.of("stem" + q), List.of("dw" + q), Map.of("filter", "dw.filter", "bias", "dw.bias"),
                Map.of("activation", "relu6"));
        g.node("conv2d", "pw", List.of("dw" + q), List.of("pw" + q), Map.of("filter", "pw.filter", "bias", "pw.bias"), Map.of());
        g.node("add", "res", List.of("stem" + q, "pw" + q), List.of("res" + q), null, null);
        g.node("max_pool2d", "pool", List.of("res" + q), List.of("pool" + q), null, Map.of("size", 2L, "stride", 2L));
        g.node("global_avg_pool", "gap", List.of("pool" + q), List.of("gap" + q), null, null);
        g.node("dense", "fc", List.of("gap" + q), List.of("logits" + q), Map.of("weights", "fc.weights", "bias", "fc.bias"), null);
        g.node("softmax", "softmax", List.of("logits" + q), List.of("probs" + q), null, null);
    }

    /** int8 graph, activation ranges calibrated on {@code calibration} images through the reference. */
    public byte[] int8Artifact(List<float[]> calibration) {
        int[][] s = shapes();
        double[] lo = new double[NAMES.length], hi = new double[NAMES.length];
        for (float[] img : calibration) {
            double[][] acts = reference(img);
            for (int i = 0; i < NAMES.length; i++) for (double v : acts[i]) { lo[i] = Math.min(lo[i], v); hi[i] = Math.max(hi[i], v); }
        }
        QuantParams[] qp = new QuantParams[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) qp[i] = QuantParams.forRange(lo[i], hi[i]);
        qp[5] = qp[4];                                   // max pool keeps its input's parameters
        qp[6] = qp[4];                                   // so does global average pool
        qp[8] = new QuantParams(1f / 256, -128);         // softmax's fixed output
        GraphBuilder g = new GraphBuilder();
        g.tensor("image", s[0]);
        for (int i = 0; i < NAMES.length; i++) g.tensorInt8(NAMES[i] + "_q", s[i], qp[i]);
        g.tensor("probs", s[8]);
        g.node("quantize", "q", List.of("image"), List.of("image_q"), null, null);
        nodes(g, "_q");
        g.node("dequantize", "dq", List.of("probs_q"), List.of("probs"), null, null);
        addInt8(g, "stem.filter", new int[] {C1, 3, 3, 1}, stemW, C1, false);
        addInt8(g, "dw.filter", new int[] {3, 3, C1}, dwW, C1, true);
        addInt8(g, "pw.filter", new int[] {C1, 1, 1, C1}, pwW, C1, false);
        addInt8(g, "fc.weights", new int[] {CLASSES, C1}, fcW, CLASSES, false);
        g.weightFloat("stem.bias", new int[] {C1}, stemB).weightFloat("dw.bias", new int[] {C1}, dwB)
                .weightFloat("pw.bias", new int[] {C1}, pwB).weightFloat("fc.bias", new int[] {CLASSES}, fcB);
        return g.input("image").output("probs").toBytes(metadata("tiny-cnn-int8"));
    }

    private static void addInt8(GraphBuilder g, String name, int[] shape, float[] w, int channels, boolean channelsLast) {
        float[] scales = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = channelsLast ? i % channels : i / (w.length / channels);
            scales[c] = Math.max(scales[c], Math.abs(w[i]) / 127f);
        }
        byte[] q = channelsLast ? QuantParams.quantizeSymmetricChannelsLast(w, scales) : QuantParams.quantizeSymmetric(w, scales);
        g.weightInt8(name, shape, q, channelsLast ? shape.length - 1 : 0, scales);
    }
}
