package dev.winnow.tools.onnx;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.kernel.Activation;
import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Winnow graph artifact as an ONNX model (opset 17) with the same weights. Layout: every HWC
 * tensor becomes NCHW with a batch of one ({@code [1, C, H, W]}), every other tensor gets a leading
 * batch axis; element types stay Winnow's (an int8 graph takes and returns int8 tensors with the
 * scales and zero points of its artifact). Float ops map to Conv, Gemm, Add, Relu, Clip, Sigmoid and
 * Tanh; int8 convolutions to QLinearConv with the artifact's per-channel or per-tensor weight scales
 * and int32 bias, int8 adds to DequantizeLinear, Add, QuantizeLinear, and fused activations to a Clip
 * in the quantized domain. FastGRNN and RNNPool are unrolled into MatMul, Sigmoid, Tanh and
 * elementwise ops ({@link RnnExport}); an int8 RNNPool (Q15 cells in Winnow) runs in float between
 * DequantizeLinear and QuantizeLinear; a float Bonsai becomes its path as a 0/1 weight per node
 * ({@link BonsaiExport}). Ops with no ONNX form here (detect, centernet_decode, protonn, int8 or
 * Q15 Bonsai, ...) are refused by name.
 */
public final class OnnxExport {
    private final Artifact artifact;
    private final Map<String, Tensor> tensors = new HashMap<>();
    private final OnnxModel onnx = new OnnxModel();

    /** A graph tensor as the artifact declares it: HWC shape, type and int8 parameters. */
    record Tensor(String name, int[] shape, boolean int8, float scale, int zeroPoint) {
        QuantParams params() { return new QuantParams(scale, zeroPoint); }

        /** Its shape in the exported model. */
        long[] onnxShape() {
            return OnnxLayout.shape(shape);
        }
    }

    private OnnxExport(Artifact artifact) {
        this.artifact = artifact;
    }

    /**
     * The ONNX model's bytes. The artifact is loaded by Winnow first, so only a graph Winnow itself
     * accepts is exported; then every node is translated or the whole export refused.
     */
    public static byte[] toOnnx(Artifact artifact) throws OnnxExportException, ModelFormatException {
        Model.fromArtifact(artifact);
        OnnxExport e = new OnnxExport(artifact);
        Map<String, Object> graph = artifact.metadata().graph()
                .orElseThrow(() -> new OnnxExportException("artifact '" + artifact.metadata().name() + "' has no graph to export"));
        for (Object t : list(graph.get("tensors"))) e.declare(map(t));
        for (Object n : list(graph.get("nodes"))) e.translate(map(n));
        for (Object in : list(graph.get("inputs"))) e.onnx.input((String) in, e.elemType((String) in), e.tensor((String) in).onnxShape());
        for (Object out : list(graph.get("outputs"))) e.onnx.output((String) out, e.elemType((String) out), e.tensor((String) out).onnxShape());
        return e.onnx.toBytes(artifact.metadata().name(), "winnow 0.1.0");
    }

    private void declare(Map<String, Object> t) throws OnnxExportException {
        String name = (String) t.get("name");
        List<Object> dims = list(t.get("shape"));
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = ((Number) dims.get(i)).intValue();
        String dtype = t.getOrDefault("dtype", "float32").toString();
        if (!dtype.equals("float32") && !dtype.equals("int8")) {
            throw new OnnxExportException("tensor '" + name + "' is " + dtype + "; only float32 and int8 tensors export to ONNX");
        }
        boolean int8 = dtype.equals("int8");
        tensors.put(name, new Tensor(name, shape, int8, int8 ? ((Number) t.get("scale")).floatValue() : 1f,
                int8 ? ((Number) t.get("zeroPoint")).intValue() : 0));
    }

    private Tensor tensor(String name) {
        return tensors.get(name);
    }

    private int elemType(String name) {
        return tensor(name).int8() ? OnnxModel.INT8 : OnnxModel.FLOAT;
    }

    private void translate(Map<String, Object> node) throws OnnxExportException, ModelFormatException {
        Node n = new Node(node);
        switch (n.op) {
            case "conv2d": conv(n, false); break;
            case "depthwise_conv2d": conv(n, true); break;
            case "add": if (tensor(n.in(0)).int8()) add(n); else arithmetic(n, "Add"); break;
            case "sub": arithmetic(n, "Sub"); break;
            case "mul": arithmetic(n, "Mul"); break;
            case "concat": concat(n); break;
            case "mean": mean(n); break;
            case "hard_swish": case "hard_sigmoid": hard(n); break;
            case "resize_bilinear": resize(n); break;
            case "dense": dense(n); break;
            case "relu": case "relu6": case "sigmoid": case "tanh": unary(n); break;
            case "quantize": quantize(n, true); break;
            case "dequantize": quantize(n, false); break;
            case "rnnpool": rnnPool(n); break;
            case "fastgrnn": fastGrnn(n); break;
            case "bonsai": bonsai(n); break;
            default:
                throw new OnnxExportException("op '" + n.op + "' (node '" + n.name + "') has no ONNX export; exportable: "
                        + "conv2d, depthwise_conv2d, add, dense, relu, relu6, sigmoid, tanh, quantize, dequantize, sub, mul, concat, mean, hard_swish, hard_sigmoid, resize_bilinear, rnnpool, fastgrnn, bonsai (float)");
        }
    }

    /** conv2d (filter [O, kH, kW, I]) or depthwise_conv2d (filter [kH, kW, C·multiplier]) as Conv or QLinearConv in OIHW. */
    private void conv(Node n, boolean depthwise) throws OnnxExportException, ModelFormatException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        TensorData f = n.weight("filter");
        int inC = x.shape()[2], outC = y.shape()[2];
        int kH = depthwise ? f.dim(0) : f.dim(1), kW = depthwise ? f.dim(1) : f.dim(2);
        int[] stride = n.pair("stride");
        ConvGeometry g = ConvGeometry.of(n.string("padding", "same"), x.shape()[0], x.shape()[1], inC, outC, kH, kW, stride[0], stride[1]);
        long[] pads = {g.padTop(), g.padLeft(), (long) (g.outH() - 1) * stride[0] + kH - g.inH() - g.padTop(),
            (long) (g.outW() - 1) * stride[1] + kW - g.inW() - g.padLeft()};
        pads[2] = Math.max(0, pads[2]);
        pads[3] = Math.max(0, pads[3]);
        long[] wDims = {outC, depthwise ? 1 : inC, kH, kW};
        Object[] attrs = {"kernel_shape", new long[] {kH, kW}, "pads", pads, "strides", new long[] {stride[0], stride[1]},
            "group", depthwise ? inC : 1};
        Activation act = n.activation();
        String w = onnx.fresh(n.name + ".W"), b = onnx.fresh(n.name + ".B");
        String convOut = act == Activation.NONE ? y.name() : onnx.fresh(n.name + ".linear");
        if (!x.int8()) {
            float[] src = f.toFloatArray();
            onnx.floats(w, wDims, depthwise ? Layouts.depthwiseToOihw(src, kH, kW, outC) : Layouts.ohwiToOihw(src, outC, kH, kW, inC));
            onnx.floats(b, new long[] {outC}, n.hasWeight("bias") ? n.weight("bias").toFloatArray() : new float[outC]);
            onnx.node("Conv", n.name, new String[] {x.name(), w, b}, new String[] {convOut}, attrs);
            activationFloat(n, act, convOut, y.name());
            return;
        }
        byte[] src = f.toInt8Array();
        float[] scales = Layouts.channelScales(n.name, f, outC);
        onnx.int8s(w, wDims, depthwise ? Layouts.depthwiseToOihw(src, kH, kW, outC) : Layouts.ohwiToOihw(src, outC, kH, kW, inC));
        String ws = onnx.fresh(n.name + ".w_scale"), wzp = onnx.fresh(n.name + ".w_zero_point");
        onnx.floats(ws, new long[] {outC}, scales);
        onnx.int8s(wzp, new long[] {outC}, new byte[outC]);
        onnx.int32s(b, new long[] {outC}, n.int32Bias(outC, x.scale(), scales));
        onnx.node("QLinearConv", n.name, new String[] {x.name(), onnx.scalar("x_scale", x.scale()), onnx.scalarInt8("x_zero_point", x.zeroPoint()),
            w, ws, wzp, onnx.scalar("y_scale", y.scale()), onnx.scalarInt8("y_zero_point", y.zeroPoint()), b},
                new String[] {convOut}, attrs);
        clampInt8(n, act, y, convOut);
    }

    /**
     * Float add, sub, mul with NumPy broadcasting. Two HWC operands broadcast the same way in NCHW; a
     * constant per channel ([C], [1, 1, C]) or a scalar becomes [1, C, 1, 1] or a scalar. Other
     * mixes of layouts are refused.
     */
    private void arithmetic(Node n, String op) throws OnnxExportException, ModelFormatException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        if (x.int8()) throw new OnnxExportException("int8 " + n.op + " '" + n.name + "' has no ONNX export");
        String a = x.name(), b;
        if (n.hasWeight("b")) {
            TensorData c = n.weight("b");
            int count = c.elementCount();
            long[] dims;
            if (count == 1) dims = new long[0];
            else if (x.shape().length == 3 && count == x.shape()[2] && c.dim(c.rank() - 1) == count) dims = new long[] {1, count, 1, 1};
            else if (x.shape().length != 3 && c.rank() <= x.shape().length) dims = OnnxLayout.shape(c.shape());
            else throw new OnnxExportException(n.op + " '" + n.name + "': constant of shape " + java.util.Arrays.toString(c.shape()) + " has no NCHW form");
            b = onnx.fresh(n.name + ".b");
            onnx.floats(b, dims, c.toFloatArray());
            if (n.integer("reverse", 0) == 1) {
                String t = a;
                a = b;
                b = t;
            }
        } else {
            Tensor other = tensor(n.in(1));
            if (other.shape().length != x.shape().length) {
                throw new OnnxExportException(n.op + " '" + n.name + "' broadcasts operands of different ranks; no NCHW form");
            }
            b = other.name();
        }
        Activation act = n.activation();
        String res = act == Activation.NONE ? y.name() : onnx.fresh(n.name + ".linear");
        onnx.node(op, n.name, new String[] {a, b}, new String[] {res});
        activationFloat(n, act, res, y.name());
    }

    /** concat along Winnow's last axis: channels (ONNX axis 1) for HWC tensors. */
    private void concat(Node n) throws OnnxExportException {
        Tensor y = tensor(n.out(0));
        if (y.int8()) throw new OnnxExportException("int8 concat '" + n.name + "' has no ONNX export");
        String[] in = new String[n.inputCount()];
        for (int i = 0; i < in.length; i++) in[i] = n.in(i);
        onnx.node("Concat", n.name, in, new String[] {y.name()}, "axis", y.shape().length == 3 ? 1L : -1L);
    }

    /** mean over H and W of an HWC tensor (global average pooling) as ReduceMean over axes 2 and 3. */
    private void mean(Node n) throws OnnxExportException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        Object axes = n.attrs.get("axes");
        if (x.int8() || x.shape().length != 3 || !(axes instanceof List) || !List.of(0L, 1L).equals(axes)) {
            throw new OnnxExportException("mean '" + n.name + "' other than a float mean over H and W of an HWC tensor has no ONNX export");
        }
        onnx.node("ReduceMean", n.name, new String[] {x.name()}, new String[] {y.name()}, "axes", new long[] {2, 3}, "keepdims", (long) n.integer("keep_dims", 0));
    }

    /** hard_sigmoid: clip(x + 3, 0, 6) · scale; hard_swish: x · scale · clip(x + 3, 0, 6) (Winnow's order of operations). */
    private void hard(Node n) throws OnnxExportException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        if (x.int8()) throw new OnnxExportException("int8 " + n.op + " '" + n.name + "' has no ONNX export");
        String scale = onnx.scalar(n.name + ".scale", n.number("scale", 1f / 6));
        String shifted = onnx.fresh(n.name + ".plus3"), clipped = onnx.fresh(n.name + ".relu6");
        onnx.node("Add", shifted, new String[] {x.name(), onnx.scalar("three", 3f)}, new String[] {shifted});
        onnx.node("Clip", clipped, new String[] {shifted, onnx.scalar("zero", 0f), onnx.scalar("six", 6f)}, new String[] {clipped});
        if (n.op.equals("hard_sigmoid")) {
            onnx.node("Mul", n.name, new String[] {clipped, scale}, new String[] {y.name()});
            return;
        }
        String xs = onnx.fresh(n.name + ".x_scale");
        onnx.node("Mul", xs, new String[] {x.name(), scale}, new String[] {xs});
        onnx.node("Mul", n.name, new String[] {xs, clipped}, new String[] {y.name()});
    }

    /** TensorFlow's ResizeBilinear as Resize (linear) with the matching coordinate transformation. */
    private void resize(Node n) throws OnnxExportException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        if (x.int8()) throw new OnnxExportException("int8 resize_bilinear '" + n.name + "' has no ONNX export");
        boolean align = n.integer("align_corners", 0) == 1, half = n.integer("half_pixel_centers", 0) == 1;
        String sizes = onnx.fresh(n.name + ".sizes");
        onnx.int64s(sizes, new long[] {4}, y.onnxShape());
        onnx.node("Resize", n.name, new String[] {x.name(), "", "", sizes}, new String[] {y.name()}, "mode", "linear",
                "coordinate_transformation_mode", align ? "align_corners" : half ? "half_pixel" : "asymmetric");
    }

    private void add(Node n) throws OnnxExportException, ModelFormatException {
        Tensor y = tensor(n.out(0));
        if (n.inputCount() != 2) throw new OnnxExportException("add '" + n.name + "' with a constant operand has no ONNX export (layouts differ)");
        Tensor a = tensor(n.in(0)), c = tensor(n.in(1));
        if (!java.util.Arrays.equals(a.shape(), c.shape())) {
            throw new OnnxExportException("add '" + n.name + "' broadcasts " + java.util.Arrays.toString(a.shape()) + " and "
                    + java.util.Arrays.toString(c.shape()) + "; only same-shaped adds export");
        }
        Activation act = n.activation();
        if (!y.int8()) {
            String sum = act == Activation.NONE ? y.name() : onnx.fresh(n.name + ".linear");
            onnx.node("Add", n.name, new String[] {a.name(), c.name()}, new String[] {sum});
            activationFloat(n, act, sum, y.name());
            return;
        }
        String fa = dequantize(a, n.name + ".a"), fc = dequantize(c, n.name + ".b"), sum = onnx.fresh(n.name + ".sum");
        onnx.node("Add", n.name, new String[] {fa, fc}, new String[] {sum});
        String q = act == Activation.NONE ? y.name() : onnx.fresh(n.name + ".q");
        onnx.node("QuantizeLinear", onnx.fresh(n.name + ".quantize"), new String[] {sum, onnx.scalar("scale", y.scale()),
            onnx.scalarInt8("zero_point", y.zeroPoint())}, new String[] {q});
        clampInt8(n, act, y, q);
    }

    private String dequantize(Tensor t, String base) {
        String out = onnx.fresh(base + ".float");
        onnx.node("DequantizeLinear", onnx.fresh(base + ".dequantize"), new String[] {t.name(), onnx.scalar("scale", t.scale()),
            onnx.scalarInt8("zero_point", t.zeroPoint())}, new String[] {out});
        return out;
    }

    /** dense: weights [out, in] over the flattened input, as Gemm with transB; an HWC input is put back in HWC order first. */
    private void dense(Node n) throws OnnxExportException, ModelFormatException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        if (x.int8()) throw new OnnxExportException("int8 dense '" + n.name + "' has no ONNX export yet; export the float model");
        TensorData w = n.weight("weights");
        int outN = w.dim(0), inN = w.dim(1);
        String flat = onnx.fresh(n.name + ".flat"), src = x.name();
        if (x.shape().length == 3) {
            src = onnx.fresh(n.name + ".hwc");
            onnx.node("Transpose", onnx.fresh(n.name + ".to_hwc"), new String[] {x.name()}, new String[] {src}, "perm", new long[] {0, 2, 3, 1});
        }
        String shape = onnx.fresh(n.name + ".shape");
        onnx.int64s(shape, new long[] {2}, new long[] {1, inN});
        onnx.node("Reshape", onnx.fresh(n.name + ".flatten"), new String[] {src, shape}, new String[] {flat});
        String wn = onnx.fresh(n.name + ".W"), bn = onnx.fresh(n.name + ".B");
        onnx.floats(wn, new long[] {outN, inN}, w.toFloatArray());
        onnx.floats(bn, new long[] {outN}, n.hasWeight("bias") ? n.weight("bias").toFloatArray() : new float[outN]);
        Activation act = n.activation();
        String lin = act == Activation.NONE ? y.name() : onnx.fresh(n.name + ".linear");
        onnx.node("Gemm", n.name, new String[] {flat, wn, bn}, new String[] {lin}, "transB", 1);
        activationFloat(n, act, lin, y.name());
    }

    private void unary(Node n) throws OnnxExportException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        if (x.int8()) throw new OnnxExportException("int8 " + n.op + " '" + n.name + "' (a lookup table in Winnow) has no ONNX export");
        switch (n.op) {
            case "relu": activationFloat(n, Activation.RELU, x.name(), y.name()); break;
            case "relu6": activationFloat(n, Activation.RELU6, x.name(), y.name()); break;
            case "sigmoid": onnx.node("Sigmoid", n.name, new String[] {x.name()}, new String[] {y.name()}); break;
            default: onnx.node("Tanh", n.name, new String[] {x.name()}, new String[] {y.name()}); break;
        }
    }

    private void rnnPool(Node n) throws OnnxExportException, ModelFormatException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        int k = n.integer("patch", 0), stride = n.integer("stride", 0), c = x.shape()[2];
        RnnExport.Cell rnn1 = n.cell("rnn1.", c, n.integer("hidden1", 0)), rnn2 = n.cell("rnn2.", rnn1.hidden(), n.integer("hidden2", 0));
        String in = x.int8() ? dequantize(x, n.name + ".in") : x.name();
        String out = y.int8() ? onnx.fresh(n.name + ".float") : y.name();
        new RnnExport(onnx).rnnPool(n.name, in, out, x.shape()[0], x.shape()[1], k, stride, n.integer("pad_output", 0) == 1, rnn1, rnn2);
        if (y.int8()) {
            onnx.node("QuantizeLinear", onnx.fresh(n.name + ".quantize"), new String[] {out, onnx.scalar("scale", y.scale()),
                onnx.scalarInt8("zero_point", y.zeroPoint())}, new String[] {y.name()});
        }
    }

    /** fastgrnn: sequence [T, D] (normalized by mean and std when given) to the final state, then the optional dense layer. */
    private void fastGrnn(Node n) throws OnnxExportException, ModelFormatException {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        int steps = x.shape()[0], d = x.shape()[1], hidden = n.integer("hidden", 0);
        RnnExport rnn = new RnnExport(onnx);
        String seq = x.name();
        if (n.hasWeight("mean")) seq = binary("Sub", n.name, seq, n.name + ".mean", new long[] {1, steps, d}, n.weight("mean").toFloatArray());
        if (n.hasWeight("std")) {
            float[] inv = n.weight("std").toFloatArray();
            for (int i = 0; i < inv.length; i++) inv[i] = 1f / inv[i];
            seq = binary("Mul", n.name, seq, n.name + ".inv_std", new long[] {1, steps, d}, inv);
        }
        seq = rnn.reshape(n.name, seq, steps, 1, d);
        if (n.string("direction", "forward").equals("backward")) {
            String rev = onnx.fresh(n.name + ".reverse");
            long[] back = new long[steps];
            for (int t = 0; t < steps; t++) back[t] = steps - 1 - t;
            onnx.int64s(rev, new long[] {steps}, back);
            String r = onnx.fresh(n.name + ".reversed");
            onnx.node("Gather", r, new String[] {seq, rev}, new String[] {r}, "axis", 0L);
            seq = r;
        }
        String h = rnn.run(n.name, n.cell("", d, hidden), seq, steps);
        if (!n.hasWeight("fc")) {
            onnx.node("Identity", onnx.fresh(n.name + ".out"), new String[] {h}, new String[] {y.name()});
            return;
        }
        int classes = y.shape()[0];
        String w = onnx.fresh(n.name + ".fc"), b = onnx.fresh(n.name + ".fc_bias");
        onnx.floats(w, new long[] {classes, hidden}, n.weight("fc").toFloatArray());
        onnx.floats(b, new long[] {classes}, n.hasWeight("fc_bias") ? n.weight("fc_bias").toFloatArray() : new float[classes]);
        onnx.node("Gemm", n.name, new String[] {h, w, b}, new String[] {y.name()}, "transB", 1);
    }

    private void bonsai(Node n) throws OnnxExportException, ModelFormatException {
        String arithmetic = n.string("arithmetic", "float");
        if (!arithmetic.equals("float")) throw new OnnxExportException("bonsai '" + n.name + "' with " + arithmetic + " arithmetic has no ONNX export; export its float model");
        Tensor x = tensor(n.in(0));
        if (x.shape().length == 3) throw new OnnxExportException("bonsai '" + n.name + "' over an HWC tensor has no ONNX export; give it a flat input");
        int d = 1;
        for (int s : x.shape()) d *= s;
        String flat = x.shape().length == 1 ? x.name() : new RnnExport(onnx).reshape(n.name, x.name(), 1, d);
        new BonsaiExport(onnx).export(n.name, new BonsaiExport.Params(d, n.integer("projection", 0), n.integer("classes", 0), n.integer("depth", 0),
                n.number("sigma", 1f), n.weight("mean").toFloatArray(), n.weight("std").toFloatArray(), n.weight("Z").toFloatArray(),
                n.weight("W").toFloatArray(), n.weight("V").toFloatArray(), n.weight("theta").toFloatArray()), flat, n.out(0));
    }

    private String binary(String op, String base, String x, String constant, long[] dims, float[] v) {
        String c = onnx.fresh(constant), out = onnx.fresh(base + "." + op.toLowerCase());
        onnx.floats(c, dims, v);
        onnx.node(op, out, new String[] {x, c}, new String[] {out});
        return out;
    }

    private void quantize(Node n, boolean toInt8) {
        Tensor x = tensor(n.in(0)), y = tensor(n.out(0));
        Tensor q = toInt8 ? y : x;
        onnx.node(toInt8 ? "QuantizeLinear" : "DequantizeLinear", n.name, new String[] {x.name(), onnx.scalar("scale", q.scale()),
            onnx.scalarInt8("zero_point", q.zeroPoint())}, new String[] {y.name()});
    }

    private void activationFloat(Node n, Activation act, String in, String out) {
        if (act == Activation.NONE) return;
        if (act == Activation.RELU) {
            onnx.node("Relu", onnx.fresh(n.name + ".relu"), new String[] {in}, new String[] {out});
            return;
        }
        onnx.node("Clip", onnx.fresh(n.name + ".relu6"), new String[] {in, onnx.scalar("min", act.min), onnx.scalar("max", act.max)}, new String[] {out});
    }

    /** The activation as Winnow applies it to int8 outputs: a clamp to [qmin, qmax] (nothing when that is the whole range). */
    private void clampInt8(Node n, Activation act, Tensor y, String in) {
        if (in.equals(y.name())) return;
        int lo = act.qmin(y.params()), hi = act.qmax(y.params());
        if (lo == -128 && hi == 127) {
            onnx.node("Identity", onnx.fresh(n.name + ".act"), new String[] {in}, new String[] {y.name()});
            return;
        }
        onnx.node("Clip", onnx.fresh(n.name + ".act"), new String[] {in, onnx.scalarInt8("qmin", lo), onnx.scalarInt8("qmax", hi)}, new String[] {y.name()});
    }

    /** One node of the artifact's graph JSON, with typed access to what the translations read. */
    private final class Node {
        final String op, name;
        final Map<String, Object> attrs, weights;
        final List<Object> inputs, outputs;

        Node(Map<String, Object> node) throws OnnxExportException {
            this.op = (String) node.get("op");
            this.name = (String) node.getOrDefault("name", op);
            this.attrs = node.containsKey("attrs") ? map(node.get("attrs")) : Map.of();
            this.weights = node.containsKey("weights") ? map(node.get("weights")) : Map.of();
            this.inputs = list(node.get("inputs"));
            this.outputs = list(node.get("outputs"));
        }

        String in(int i) { return (String) inputs.get(i); }
        String out(int i) { return (String) outputs.get(i); }
        int inputCount() { return inputs.size(); }
        boolean hasWeight(String role) { return weights.containsKey(role); }

        TensorData weight(String role) throws ModelFormatException {
            return artifact.tensor((String) weights.get(role));
        }

        String string(String key, String dflt) {
            Object v = attrs.get(key);
            return v == null ? dflt : v.toString();
        }

        int[] pair(String key) {
            Object v = attrs.get(key);
            if (v == null) return new int[] {1, 1};
            if (v instanceof Number) return new int[] {((Number) v).intValue(), ((Number) v).intValue()};
            List<?> l = (List<?>) v;
            return new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
        }

        float number(String key, float dflt) {
            Object v = attrs.get(key);
            return v == null ? dflt : ((Number) v).floatValue();
        }

        int integer(String key, int dflt) {
            Object v = attrs.get(key);
            return v == null ? dflt : ((Number) v).intValue();
        }

        /** A FastGRNN cell from the weights under {@code prefix}, read as Winnow's loader reads them (ζ and ν through a sigmoid). */
        RnnExport.Cell cell(String prefix, int input, int hidden) throws ModelFormatException {
            boolean lowW = !hasWeight(prefix + "W"), lowU = !hasWeight(prefix + "U");
            float[] w1 = weight(prefix + (lowW ? "W1" : "W")).toFloatArray(), u1 = weight(prefix + (lowU ? "U1" : "U")).toFloatArray();
            float[] w2 = lowW ? weight(prefix + "W2").toFloatArray() : null, u2 = lowU ? weight(prefix + "U2").toFloatArray() : null;
            return new RnnExport.Cell(input, hidden, w1, w2, lowW ? w1.length / input : 0, u1, u2, lowU ? u1.length / hidden : 0,
                    weight(prefix + "bg").toFloatArray(), weight(prefix + "bh").toFloatArray(),
                    sigmoid(weight(prefix + "zeta").toFloatArray()[0]), sigmoid(weight(prefix + "nu").toFloatArray()[0]));
        }

        private float sigmoid(float x) {
            return (float) (1 / (1 + Math.exp(-x)));
        }

        Activation activation() {
            return Activation.parse(string("activation", "none"));
        }

        /** The int32 bias as stored, or a float bias quantized as Winnow's loader quantizes it. */
        int[] int32Bias(int n, float inScale, float[] scales) throws ModelFormatException {
            if (!hasWeight("bias")) return new int[n];
            TensorData b = weight("bias");
            if (b.dtype() == dev.winnow.runtime.format.DType.INT32) return b.toInt32Array();
            return QuantParams.quantizeBias(b.toFloatArray(), inScale, scales);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) throws OnnxExportException {
        if (!(o instanceof Map)) throw new OnnxExportException("graph: expected an object, found " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws OnnxExportException {
        if (!(o instanceof List)) throw new OnnxExportException("graph: expected an array, found " + o);
        return (List<Object>) o;
    }
}
