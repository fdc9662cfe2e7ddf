package dev.winnow.tools.nn;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.quant.QuantParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes trained {@link Param}s as runtime graph nodes, float32 or int8 (post-training quantization
 * in the TensorFlow Lite scheme: weights symmetric per output channel, activations asymmetric per
 * tensor from calibrated ranges, int32 biases with scale s_in·s_w; RNNPool's cells run in Q15 inside
 * the runtime), as a reusable set of helpers: declare every activation with {@link #activation} (its
 * calibrated range when int8), then add the nodes that write it. The person detector's exporter and
 * the CNN tools write through it.
 */
public final class GraphExport {
    /** RNNPool cells are trained with ζ = 1 and ν = 0; the runtime takes ζ and ν before the sigmoid. */
    public static final float ZETA_RAW = 30f, NU_RAW = -30f;

    private final GraphBuilder g = new GraphBuilder();
    private final boolean int8;
    private final Map<String, QuantParams> qp = new LinkedHashMap<>();
    private Map<String, float[]> biasCorrection = Map.of();

    public GraphExport(boolean int8) {
        this.int8 = int8;
    }

    /**
     * Per layer name, amounts added to that layer's float bias before it is quantized (int8 only; a float
     * graph keeps the trained biases). The person detector's exporter passes {@code BiasCorrection}'s estimate.
     */
    public GraphExport biasCorrection(Map<String, float[]> correction) {
        this.biasCorrection = Map.copyOf(correction);
        return this;
    }

    /** The float bias to quantize: the trained one, plus the layer's correction when there is one. */
    private float[] correctedBias(String name, Param b) {
        float[] c = biasCorrection.get(name);
        if (c == null) return b.w;
        if (c.length != b.w.length) throw new IllegalArgumentException(name + ": bias correction has " + c.length + " values for " + b.w.length + " channels");
        float[] r = b.w.clone();
        for (int i = 0; i < r.length; i++) r[i] += c[i];
        return r;
    }

    public GraphBuilder builder() { return g; }
    public boolean int8() { return int8; }

    /** The quantization of an int8 activation declared earlier. */
    public QuantParams params(String name) {
        QuantParams p = qp.get(name);
        if (p == null) throw new IllegalArgumentException("no int8 activation '" + name + "'");
        return p;
    }

    /** Declares an image input: int8 with {@code q} in an int8 graph, float32 otherwise. */
    public GraphExport input(String name, int[] shape, QuantParams q) {
        if (int8) {
            g.tensorInt8(name, shape, q);
            qp.put(name, q);
        } else {
            g.tensor(name, shape);
        }
        g.input(name);
        return this;
    }

    /** Declares an activation; {@code range} (min, max) is required in an int8 graph and ignored otherwise. */
    public GraphExport activation(String name, int[] shape, float[] range) {
        if (!int8) {
            g.tensor(name, shape);
            return this;
        }
        if (range == null) throw new IllegalArgumentException("int8 activation '" + name + "' needs a calibrated range");
        QuantParams p = QuantParams.forRange(range[0], range[1]);
        qp.put(name, p);
        g.tensorInt8(name, shape, p);
        return this;
    }

    /** Declares an activation that keeps another's quantization (pooling outputs must). */
    public GraphExport activationLike(String name, int[] shape, String like) {
        if (!int8) return activation(name, shape, null);
        QuantParams p = params(like);
        qp.put(name, p);
        g.tensorInt8(name, shape, p);
        return this;
    }

    /** Declares a float32 tensor in either graph (dequantized outputs, float heads). */
    public GraphExport floatTensor(String name, int[] shape) {
        g.tensor(name, shape);
        return this;
    }

    /** conv2d with SAME padding; {@code w} is the trainer's HWIO [kH, kW, I, O]. */
    public GraphExport conv(String name, String in, String out, Param w, Param b, int stride, String act) {
        int kh = w.shape[0], kw = w.shape[1], ic = w.shape[2], oc = w.shape[3];
        int[] shape = {oc, kh, kw, ic};
        float[] ohwi = toOhwi(w);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("stride", (long) stride);
        attrs.put("padding", "same");
        attrs.put("activation", act);
        g.node("conv2d", name, List.of(in), List.of(out), ordered("filter", name + ".filter", "bias", name + ".bias"), attrs);
        if (!int8) {
            g.weightFloat(name + ".filter", shape, ohwi).weightFloat(name + ".bias", new int[] {oc}, b.w);
            return this;
        }
        float[] scales = QuantParams.symmetricScales(ohwi, oc);
        g.weightInt8(name + ".filter", shape, QuantParams.quantizeSymmetric(ohwi, scales), 0, scales);
        g.weightInt32(name + ".bias", new int[] {oc}, QuantParams.quantizeBias(correctedBias(name, b), params(in).scale(), scales));
        return this;
    }

    /** depthwise_conv2d, multiplier 1, SAME padding; {@code w} is [kH, kW, C]. */
    public GraphExport depthwise(String name, String in, String out, Param w, Param b, int stride, String act) {
        int ch = w.shape[2];
        int[] shape = {w.shape[0], w.shape[1], ch};
        g.node("depthwise_conv2d", name, List.of(in), List.of(out), ordered("filter", name + ".filter", "bias", name + ".bias"),
                ordered("stride", (long) stride, "padding", "same", "activation", act));
        if (!int8) {
            g.weightFloat(name + ".filter", shape, w.w).weightFloat(name + ".bias", new int[] {ch}, b.w);
            return this;
        }
        float[] scales = new float[ch];
        for (int c = 0; c < ch; c++) {
            float m = 0f;
            for (int k = c; k < w.size(); k += ch) m = Math.max(m, Math.abs(w.w[k]));
            scales[c] = m > 0 ? m / 127f : 1f;
        }
        g.weightInt8(name + ".filter", shape, QuantParams.quantizeSymmetricChannelsLast(w.w, scales), 2, scales);
        g.weightInt32(name + ".bias", new int[] {ch}, QuantParams.quantizeBias(correctedBias(name, b), params(in).scale(), scales));
        return this;
    }

    /** dense over the flattened input; {@code w} is [O, I]. */
    public GraphExport dense(String name, String in, String out, Param w, Param b, String act) {
        int o = w.shape[0], i = w.shape[1];
        g.node("dense", name, List.of(in), List.of(out), ordered("weights", name + ".weights", "bias", name + ".bias"), ordered("activation", act));
        if (!int8) {
            g.weightFloat(name + ".weights", new int[] {o, i}, w.w).weightFloat(name + ".bias", new int[] {o}, b.w);
            return this;
        }
        float[] scales = QuantParams.symmetricScales(w.w, o);
        g.weightInt8(name + ".weights", new int[] {o, i}, QuantParams.quantizeSymmetric(w.w, scales), 0, scales);
        g.weightInt32(name + ".bias", new int[] {o}, QuantParams.quantizeBias(correctedBias(name, b), params(in).scale(), scales));
        return this;
    }

    /** The RNNPool layer without output padding; cell weights stay float32 (the int8 runtime converts them to Q15). */
    public GraphExport rnnpool(String name, String in, String out, FastGrnn rnn1, FastGrnn rnn2, int patch, int stride) {
        Map<String, String> rw = new LinkedHashMap<>();
        for (String cell : new String[] {"rnn1", "rnn2"}) {
            FastGrnn r = cell.equals("rnn1") ? rnn1 : rnn2;
            String p = name + "." + cell + ".";
            for (String role : new String[] {"W", "U", "bg", "bh", "zeta", "nu"}) rw.put(cell + "." + role, p + role);
            g.weightFloat(p + "W", new int[] {r.hidden, r.input}, r.w.w).weightFloat(p + "U", new int[] {r.hidden, r.hidden}, r.u.w)
                    .weightFloat(p + "bg", new int[] {r.hidden}, r.bg.w).weightFloat(p + "bh", new int[] {r.hidden}, r.bh.w)
                    .weightFloat(p + "zeta", new int[] {1}, new float[] {ZETA_RAW}).weightFloat(p + "nu", new int[] {1}, new float[] {NU_RAW});
        }
        g.node("rnnpool", name, List.of(in), List.of(out), rw,
                ordered("patch", (long) patch, "stride", (long) stride, "hidden1", (long) rnn1.hidden, "hidden2", (long) rnn2.hidden, "pad_output", 0L));
        return this;
    }

    /** Element-wise add (a residual connection). */
    public GraphExport add(String name, String a, String b, String out) {
        g.node("add", name, List.of(a, b), List.of(out), null, null);
        return this;
    }

    /** {@code max_pool2d} or {@code avg_pool2d} with SAME padding. */
    public GraphExport pool(String op, String name, String in, String out, int size, int stride) {
        g.node(op, name, List.of(in), List.of(out), null,
                ordered("size", List.of((long) size, (long) size), "stride", List.of((long) stride, (long) stride), "padding", "same"));
        return this;
    }

    /** Any node without weights: global_avg_pool, softmax, dequantize… */
    public GraphExport node(String op, String name, String in, String out) {
        g.node(op, name, List.of(in), List.of(out), null, null);
        return this;
    }

    /**
     * A map in the order given. Node attributes and weight roles are written in map order, and
     * {@code Map.of}'s order changes from one JVM to the next: ordered maps keep artifacts byte-for-byte
     * reproducible.
     */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> ordered(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (V) kv[i + 1]);
        return m;
    }

    /** HWIO trainer layout → OHWI runtime layout. */
    public static float[] toOhwi(Param p) {
        int kh = p.shape[0], kw = p.shape[1], in = p.shape[2], out = p.shape[3];
        float[] o = new float[p.size()];
        for (int a = 0; a < kh; a++)
            for (int b = 0; b < kw; b++)
                for (int i = 0; i < in; i++)
                    for (int oc = 0; oc < out; oc++) o[((oc * kh + a) * kw + b) * in + i] = p.w[((a * kw + b) * in + i) * out + oc];
        return o;
    }
}
