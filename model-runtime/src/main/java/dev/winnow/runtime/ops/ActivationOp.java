package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Elementwise;
import dev.winnow.runtime.kernel.Softmax;
import dev.winnow.runtime.quant.QuantParams;

/** {@code relu}, {@code relu6}, {@code sigmoid}, {@code tanh} and {@code softmax} (over the last axis). */
final class ActivationOp extends Op {
    private final String type;
    private final Elementwise.Function fn;
    private final Elementwise.Int8 lut;
    private final Softmax.Int8 softmaxInt8;
    private final int n;
    private final int depth;

    private ActivationOp(NodeContext node, TensorSpec in, TensorSpec out, Elementwise.Function fn, Elementwise.Int8 lut, Softmax.Int8 softmaxInt8) {
        super(node.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.type = node.op();
        this.fn = fn;
        this.lut = lut;
        this.softmaxInt8 = softmaxInt8;
        this.n = in.elementCount();
        this.depth = in.dim(in.rank() - 1);
    }

    static Op create(NodeContext node) throws ModelFormatException {
        TensorSpec in = node.inputs(1)[0];
        TensorSpec out = node.outputs(1)[0];
        node.expectShape(out, in.shape());
        node.expectType(out, in.type());
        if (in.rank() == 0) throw node.error("input needs at least one axis");
        boolean int8 = in.type() == ElementType.INT8;
        if (node.op().equals("softmax")) {
            if (int8) requireOutput(node, out, Softmax.INT8_OUTPUT);
            return new ActivationOp(node, in, out, null, null, int8 ? new Softmax.Int8(Weights.params(in)) : null);
        }
        Elementwise.Function fn = Elementwise.parse(node.op());
        if (!int8) return new ActivationOp(node, in, out, fn, null, null);
        QuantParams expected = Elementwise.int8Output(fn, Weights.params(in));
        requireOutput(node, out, expected);
        return new ActivationOp(node, in, out, fn, new Elementwise.Int8(fn, Weights.params(in), expected), null);
    }

    private static void requireOutput(NodeContext node, TensorSpec out, QuantParams p) throws ModelFormatException {
        if (out.scale() != p.scale() || out.zeroPoint() != p.zeroPoint()) {
            throw node.error("int8 output must have scale " + p.scale() + " and zero point " + p.zeroPoint() + " (TFLite's fixed parameters)");
        }
    }

    @Override public String type() { return type; }
    @Override public long macs() { return n; }
    @Override public long parameterCount() { return 0; }

    @Override
    public void invoke(Arena a) {
        if (fn == null) {
            if (softmaxInt8 != null) softmaxInt8.run(n / depth, depth, a.b, in[0], a.b, out[0]);
            else Softmax.float32(n / depth, depth, a.f, in[0], a.f, out[0]);
        } else if (lut != null) {
            lut.run(n, a.b, in[0], a.b, out[0]);
        } else {
            Elementwise.float32(fn, n, a.f, in[0], a.f, out[0]);
        }
    }
}
