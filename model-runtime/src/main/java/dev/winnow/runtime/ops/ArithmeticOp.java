package dev.winnow.runtime.ops;

import dev.winnow.runtime.kernel.base.Arithmetic;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Activation;
import dev.winnow.runtime.kernel.Broadcast;

/**
 * {@code add}, {@code sub} and {@code mul} on float32 with NumPy broadcasting: two activation inputs,
 * or one input and a constant weight {@code b} ({@code reverse} = 1 computes {@code b op x}). The int8
 * {@code add} of two same-shaped tensors is {@link AddOp}.
 */
final class ArithmeticOp extends Op {
    private final String type;
    private final Broadcast kernel;
    private final float[] constant;
    private final boolean reverse;

    private ArithmeticOp(NodeContext n, TensorSpec[] ins, TensorSpec out, Broadcast kernel, float[] constant, boolean reverse) {
        super(n.name(), ins, new TensorSpec[] {out});
        this.type = n.op();
        this.kernel = kernel;
        this.constant = constant;
        this.reverse = reverse;
    }

    static Op create(NodeContext n) throws ModelFormatException {
        Arithmetic kind;
        switch (n.op()) {
            case "add": kind = Arithmetic.ADD; break;
            case "sub": kind = Arithmetic.SUB; break;
            case "mul": kind = Arithmetic.MUL; break;
            default: throw n.error("not an arithmetic op");
        }
        TensorSpec[] ins = n.inputsAtLeast(1);
        if (ins[0].type() == ElementType.INT8) {
            if (kind != Arithmetic.ADD) throw n.error("int8 " + n.op() + " is not supported");
            return AddOp.create(n);
        }
        TensorSpec out = n.outputs(1)[0];
        Activation act = ConvOp.parseActivation(n);
        boolean reverse = n.integer("reverse", 0, 0, 1) == 1;
        for (TensorSpec t : ins) n.expectType(t, ElementType.FLOAT32);
        n.expectType(out, ElementType.FLOAT32);
        int[] a, b;
        float[] constant = null;
        if (n.hasWeight("b")) {
            if (ins.length != 1) throw n.error("takes one input with a constant 'b', has " + ins.length + " inputs");
            var w = n.weight("b");
            constant = w.toFloatArray();
            a = reverse ? w.shape() : ins[0].shape();
            b = reverse ? ins[0].shape() : w.shape();
        } else {
            if (ins.length != 2) throw n.error("expects two inputs, or one and a weight 'b'");
            if (reverse) throw n.error("'reverse' needs a constant 'b'");
            a = ins[0].shape();
            b = ins[1].shape();
        }
        int[] shape = Broadcast.shape(a, b);
        if (shape == null) throw n.error("shapes " + java.util.Arrays.toString(a) + " and " + java.util.Arrays.toString(b) + " do not broadcast");
        if (out.elementCount() != count(shape)) n.expectShape(out, shape);
        if (!java.util.Arrays.equals(trimmed(out.shape()), trimmed(shape))) n.expectShape(out, shape);
        return new ArithmeticOp(n, ins, out, new Broadcast(kind, a, b, act), constant, reverse);
    }

    private static int count(int[] s) {
        int c = 1;
        for (int d : s) c *= d;
        return c;
    }

    /** A shape without leading 1s: [1,1,C] output of rank-3 inputs equals [1,1,C] declared. */
    private static int[] trimmed(int[] s) {
        int k = 0;
        while (k < s.length - 1 && s[k] == 1) k++;
        return java.util.Arrays.copyOfRange(s, k, s.length);
    }

    @Override public String type() { return type; }
    @Override public long macs() { return kernel.size(); }
    @Override public long parameterCount() { return constant == null ? 0 : constant.length; }

    @Override
    public void invoke(Arena a) {
        if (constant == null) kernel.run(a.f, in[0], a.f, in[1], a.f, out[0]);
        else if (reverse) kernel.run(constant, 0, a.f, in[0], a.f, out[0]);
        else kernel.run(a.f, in[0], constant, 0, a.f, out[0]);
    }
}
