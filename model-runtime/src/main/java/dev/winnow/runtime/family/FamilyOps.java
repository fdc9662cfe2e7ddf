package dev.winnow.runtime.family;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.quant.QuantParams;

/** Graph nodes for the model families: {@code bonsai}, {@code protonn}, {@code fastgrnn}, {@code rnnpool}. */
public final class FamilyOps {
    private FamilyOps() {}

    /** A family node: one input, one output, and the type, MACs and parameters fixed when it loads. */
    private abstract static class Node extends Op {
        private final String type;
        private final long macs, params;

        Node(NodeContext n, TensorSpec in, TensorSpec out, String type, long macs, long params) {
            super(n.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
            this.type = type;
            this.macs = macs;
            this.params = params;
        }

        @Override public final String type() { return type; }
        @Override public final long macs() { return macs; }
        @Override public final long parameterCount() { return params; }
    }

    private static float[] floats(NodeContext n, String role, long count) throws ModelFormatException {
        return n.weight(role, count).toFloatArray();
    }

    public static Op bonsai(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.floatInput();
        TensorSpec out = n.outputs(1)[0];
        int d = in.elementCount();
        int depth = n.integer("depth", 0, 0, 12);
        int proj = n.integer("projection", 0, 1, 4096);
        int classes = n.integer("classes", 0, 1, 4096);
        float sigma = n.number("sigma", 1f);
        int internal = (1 << depth) - 1, nodes = 2 * internal + 1;
        n.expectShape(out, classes);
        Bonsai b = new Bonsai(d, proj, classes, depth, sigma, floats(n, "mean", d + 1), floats(n, "std", d + 1),
                floats(n, "Z", (long) proj * (d + 1)), floats(n, "W", (long) classes * nodes * proj),
                floats(n, "V", (long) classes * nodes * proj), floats(n, "theta", (long) Math.max(1, internal) * proj));
        String arithmetic = n.string("arithmetic", "float");
        if (!arithmetic.equals("float")) {
            if (!arithmetic.equals("int8") && !arithmetic.equals("q15")) throw n.error("arithmetic must be float, int8 or q15");
            QuantizedBonsai q;
            try {
                // int8: the stored integers and scales as they are (a float tensor is quantized per row here)
                q = arithmetic.equals("int8")
                        ? Int8Bonsai.of(b, int8Rows(n, "Z"), int8Rows(n, "W"), int8Rows(n, "V"), int8Rows(n, "theta"))
                        : new Q15Bonsai(b);
            } catch (IllegalArgumentException e) {
                throw n.error(e.getMessage());
            }
            return new Node(n, in, out, "bonsai", b.macs(), b.parameters()) {
                @Override public int scratchFloats() { return q.scratchFloats(); }
                @Override public int scratchShorts() { return q.scratchInts(); }
                @Override public void invoke(Arena a) { q.predict(a.f, in[0], a.f, out[0], a.f, scratchF, a.s, scratchS); }
            };
        }
        return new Node(n, in, out, "bonsai", b.macs(), b.parameters()) {
            @Override public int scratchFloats() { return b.scratchSize(); }
            @Override public void invoke(Arena a) { b.predict(a.f, in[0], a.f, out[0], a.f, scratchF); }
        };
    }

    /**
     * An int8 weight matrix [rows][cols] with one symmetric scale per row, as stored: INT8 with
     * per-row (axis 0) or per-tensor scales and zero point 0; BINARY as ±1 with its row's α (exact);
     * FLOAT32 (or a codebook) quantized here with scale max|row|/127.
     */
    static Int8Rows int8Rows(NodeContext n, String role) throws ModelFormatException {
        TensorData t = n.weight(role);
        int rows = t.rows(), cols = t.rowLength();
        dev.winnow.runtime.format.QuantizationInfo qi = t.quantization();
        float[] scales = new float[rows];
        switch (t.dtype()) {
            case INT8: {
                if (qi.kind() == dev.winnow.runtime.format.QuantizationInfo.Kind.NONE) throw n.error("int8 weight '" + role + "' has no scale");
                boolean perRow = qi.kind() == dev.winnow.runtime.format.QuantizationInfo.Kind.PER_AXIS;
                if (perRow && qi.axis() != 0) throw n.error("int8 weight '" + role + "' must be quantized per row (axis 0) or per tensor");
                for (int r = 0; r < rows; r++) {
                    int k = perRow ? r : 0;
                    if (qi.zeroPoint(k) != 0) throw n.error("int8 weight '" + role + "' must be symmetric (zero point 0)");
                    scales[r] = qi.scale(k);
                }
                return new Int8Rows(t.toInt8Array(), scales);
            }
            case BINARY: {
                long[] words = t.toBitPackedWords();
                int per = (cols + 63) >>> 6;
                byte[] q = new byte[rows * cols];
                for (int r = 0; r < rows; r++) {
                    scales[r] = qi.kind() == dev.winnow.runtime.format.QuantizationInfo.Kind.NONE ? 1f
                            : qi.scale(qi.kind() == dev.winnow.runtime.format.QuantizationInfo.Kind.PER_AXIS ? r : 0);
                    for (int c = 0; c < cols; c++) q[r * cols + c] = (byte) (((words[r * per + (c >>> 6)] >>> (c & 63)) & 1) != 0 ? 1 : -1);
                }
                return new Int8Rows(q, scales);
            }
            case FLOAT32:
                return Int8Rows.quantize(t.toFloatArray(), rows, cols);
            default:
                throw n.error("weight '" + role + "' is " + t.dtype() + "; int8 arithmetic takes INT8, BINARY or FLOAT32");
        }
    }

    /**
     * ProtoNN. With a float32 input it computes in float on the decoded weights. With an int8 input
     * (asymmetric per tensor, from a {@code quantize} node whose parameters come from calibration)
     * it runs {@link ProtoNn.Int8}: W int8 per row (or binary), B int8 per tensor, int32
     * projection and distances, the kernel and Z in float.
     */
    public static Op protoNn(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.inputs(1)[0], out = n.floatOutput();
        TensorData w = n.weight("W"), b = n.weight("B"), z = n.weight("Z");
        if (w.rank() != 2 || b.rank() != 2 || z.rank() != 2) throw n.error("W, B and Z must be matrices");
        int d = in.elementCount(), proj = w.dim(0), m = b.dim(0), classes = z.dim(1);
        if (w.dim(1) != d || b.dim(1) != proj || z.dim(0) != m) throw n.error("W [d̂, D], B [m, d̂], Z [m, L] do not fit together");
        n.expectShape(out, classes);
        float gamma = n.number("gamma", 1f);
        if (in.type() == ElementType.INT8) {
            Int8Rows wq = int8Rows(n, "W");
            dev.winnow.runtime.format.QuantizationInfo bq = b.quantization();
            if (b.dtype() != dev.winnow.runtime.format.DType.INT8 || bq.kind() != dev.winnow.runtime.format.QuantizationInfo.Kind.PER_TENSOR || bq.zeroPoint(0) != 0) {
                throw n.error("int8 ProtoNN needs B as int8 with one symmetric scale (per tensor), has " + b.dtype() + " " + bq);
            }
            ProtoNn.Int8 p;
            try {
                p = new ProtoNn.Int8(d, proj, m, classes, in.scale(), in.zeroPoint(), wq.values(), wq.scales(), b.toInt8Array(), bq.scale(0), z.toFloatArray(), gamma);
            } catch (IllegalArgumentException e) {
                throw n.error(e.getMessage());
            }
            return new Node(n, in, out, "protonn", p.macs(), p.parameters()) {
                @Override public int scratchInts() { return p.scratchInts(); }
                @Override public void invoke(Arena a) { p.predict(a.b, in[0], a.f, out[0], a.i, scratchI); }
            };
        }
        n.expectType(in, ElementType.FLOAT32);
        ProtoNn p = new ProtoNn(d, proj, m, classes, w.toFloatArray(), b.toFloatArray(), z.toFloatArray(), gamma);
        return new Node(n, in, out, "protonn", p.macs(), p.parameters()) {
            @Override public int scratchFloats() { return p.scratchSize(); }
            @Override public void invoke(Arena a) { p.predict(a.f, in[0], a.f, out[0], a.f, scratchF); }
        };
    }

    /** A FastGRNN cell from weights under {@code prefix} (W or W1/W2, U or U1/U2, bg, bh, zeta, nu; ζ and ν raw). Public for the streaming runner, which steps one node's cell itself. */
    public static FastGrnnCell cell(NodeContext n, String prefix, int input, int hidden) throws ModelFormatException {
        boolean lowW = !n.hasWeight(prefix + "W"), lowU = !n.hasWeight(prefix + "U");
        float[] w = lowW ? null : floats(n, prefix + "W", (long) hidden * input);
        float[] w1 = lowW ? n.weight(prefix + "W1").toFloatArray() : null;
        float[] w2 = lowW ? n.weight(prefix + "W2").toFloatArray() : null;
        float[] u = lowU ? null : floats(n, prefix + "U", (long) hidden * hidden);
        float[] u1 = lowU ? n.weight(prefix + "U1").toFloatArray() : null;
        float[] u2 = lowU ? n.weight(prefix + "U2").toFloatArray() : null;
        float zeta = sigmoid(floats(n, prefix + "zeta", 1)[0]);
        float nu = sigmoid(floats(n, prefix + "nu", 1)[0]);
        // a graph's cells run under its interpreter's allocation probe, a stream's under its stepper's: guarded vectors
        return FastGrnnCell.guarded(input, hidden, w, w1, w2, u, u1, u2, floats(n, prefix + "bg", hidden), floats(n, prefix + "bh", hidden), zeta, nu);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** Sequence [T, D] → final hidden state, then an optional fully connected layer to class scores. */
    public static Op fastGrnn(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.floatInput();
        TensorSpec out = n.outputs(1)[0];
        if (in.rank() != 2) throw n.error("input must be a sequence [T, D]");
        int steps = in.dim(0), d = in.dim(1);
        int hidden = n.integer("hidden", 0, 1, 4096);
        boolean backward = n.string("direction", "forward").equals("backward");
        FastGrnnCell cell = cell(n, "", d, hidden);
        float[] mean = n.hasWeight("mean") ? floats(n, "mean", (long) steps * d) : null;
        float[] invStd = null;
        if (n.hasWeight("std")) {
            float[] std = floats(n, "std", (long) steps * d);
            invStd = new float[std.length];
            for (int i = 0; i < std.length; i++) invStd[i] = 1f / std[i];
        }
        float[] fc = n.hasWeight("fc") ? n.weight("fc").toFloatArray() : null;
        int classes = fc == null ? hidden : fc.length / hidden;
        if (fc != null && fc.length != classes * hidden) throw n.error("fc must be [classes, hidden]");
        float[] fcBias = fc != null && n.hasWeight("fc_bias") ? floats(n, "fc_bias", classes) : new float[classes];
        n.expectShape(out, classes);
        final float[] mu = mean, is = invStd, w = fc;
        final int seqLen = steps * d;
        long macs = steps * cell.macsPerStep() + (w == null ? 0 : (long) classes * hidden);
        long params = cell.parameters() + (w == null ? 0 : (long) classes * (hidden + 1));
        return new Node(n, in, out, "fastgrnn", macs, params) {
            @Override public int scratchFloats() { return seqLen + hidden + cell.scratchSize(); }

            @Override
            public void invoke(Arena a) {
                float[] f = a.f;
                int x = scratchF, h = scratchF + seqLen, s = h + hidden;
                for (int i = 0; i < seqLen; i++) {
                    float v = f[in[0] + i];
                    if (mu != null) v -= mu[i];
                    if (is != null) v *= is[i];
                    f[x + i] = v;
                }
                cell.run(f, x, steps, d, backward, f, h, f, s);
                if (w == null) {
                    System.arraycopy(f, h, f, out[0], hidden);
                    return;
                }
                for (int c = 0; c < classes; c++) {
                    float acc = fcBias[c];
                    for (int j = 0; j < hidden; j++) acc += w[c * hidden + j] * f[h + j];
                    f[out[0] + c] = acc;
                }
            }
        };
    }

    /** GRU over a sequence [T, D] → final hidden state; weights W [3h, D], U [3h, h], b [3h]. */
    public static Op gru(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.floatInput();
        TensorSpec out = n.outputs(1)[0];
        if (in.rank() != 2) throw n.error("input must be a sequence [T, D]");
        int steps = in.dim(0), d = in.dim(1), hidden = n.integer("hidden", 0, 1, 4096);
        boolean backward = n.string("direction", "forward").equals("backward");
        GruCell cell = new GruCell(d, hidden, floats(n, "W", 3L * hidden * d), floats(n, "U", 3L * hidden * hidden), floats(n, "b", 3L * hidden));
        n.expectShape(out, hidden);
        return new Node(n, in, out, "gru", steps * cell.macsPerStep(), cell.parameters()) {
            @Override public int scratchFloats() { return cell.scratchSize(); }
            @Override public void invoke(Arena a) { cell.run(a.f, in[0], steps, d, backward, a.f, out[0], a.f, scratchF); }
        };
    }

    /**
     * RNNPool layer over an HWC map: weights {@code rnn1.*} and {@code rnn2.*}. With an int8 input
     * the layer runs its cells in Q15 and writes an int8 output.
     */
    public static Op rnnPool(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.inputs(1)[0];
        TensorSpec out = n.outputs(1)[0];
        n.expectType(out, in.type());
        if (in.rank() != 3) throw n.error("input must be HWC");
        int patch = n.integer("patch", 0, 1, 64), stride = n.integer("stride", 0, 1, 64);
        int h1 = n.integer("hidden1", 0, 1, 256), h2 = n.integer("hidden2", 0, 1, 256);
        RnnPool pool = new RnnPool(cell(n, "rnn1.", in.dim(2), h1), cell(n, "rnn2.", h1, h2), patch, patch);
        RnnPoolLayer layer;
        try {
            layer = new RnnPoolLayer(pool, in.dim(0), in.dim(1), stride, n.integer("pad_output", 0, 0, 1) == 1);
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
        n.expectShape(out, layer.outH(), layer.outW(), layer.outC());
        if (in.type() == ElementType.INT8) {
            Int8RnnPoolLayer q = new Int8RnnPoolLayer(layer, in.dim(0), in.dim(1), stride, n.integer("pad_output", 0, 0, 1) == 1,
                    new QuantParams(in.scale(), in.zeroPoint()), new QuantParams(out.scale(), out.zeroPoint()));
            return new Node(n, in, out, "rnnpool", layer.macs(), pool.rnn1().parameters() + pool.rnn2().parameters()) {
                @Override public int scratchShorts() { return q.scratchShorts(); }
                @Override public int scratchInts() { return q.scratchInts(); }
                @Override public String kernel() { return q.kernel(); }
                @Override public void invoke(Arena a) { q.run(a.b, in[0], a.b, out[0], a.s, scratchS, a.i, scratchI); }
            };
        }
        return new Node(n, in, out, "rnnpool", layer.macs(), pool.rnn1().parameters() + pool.rnn2().parameters()) {
            @Override public int scratchFloats() { return layer.scratchSize(); }
            @Override public void invoke(Arena a) { layer.run(a.f, in[0], a.f, out[0], a.f, scratchF); }
        };
    }
}
