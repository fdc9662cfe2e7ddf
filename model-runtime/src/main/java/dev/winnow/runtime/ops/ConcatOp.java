package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Concat;

/** The {@code concat} node: along the last axis. */
final class ConcatOp extends Op {
    private final int pixels;
    private final int[] channels;
    private final boolean int8;

    private ConcatOp(NodeContext node, TensorSpec[] ins, TensorSpec out, int pixels, int[] channels) {
        super(node.name(), ins, new TensorSpec[] {out});
        this.pixels = pixels;
        this.channels = channels;
        this.int8 = out.type() == ElementType.INT8;
    }

    static Op create(NodeContext node) throws ModelFormatException {
        TensorSpec[] ins = node.inputsAtLeast(2);
        TensorSpec out = node.outputs(1)[0];
        int[] ch = new int[ins.length];
        int rank = ins[0].rank();
        int pixels = ins[0].elementCount() / ins[0].dim(rank - 1);
        int total = 0;
        for (int k = 0; k < ins.length; k++) {
            TensorSpec t = ins[k];
            node.expectType(t, out.type());
            if (t.rank() != rank) throw node.error("inputs differ in rank");
            for (int d = 0; d < rank - 1; d++) if (t.dim(d) != ins[0].dim(d)) throw node.error("inputs differ outside the last axis");
            if (t.type() == ElementType.INT8 && (t.scale() != out.scale() || t.zeroPoint() != out.zeroPoint())) {
                throw node.error("int8 concat needs every input to share the output's scale and zero point");
            }
            ch[k] = t.dim(rank - 1);
            total += ch[k];
        }
        int[] shape = ins[0].shape();
        shape[rank - 1] = total;
        node.expectShape(out, shape);
        return new ConcatOp(node, ins, out, pixels, ch);
    }

    @Override public String type() { return "concat"; }
    @Override public long macs() { return 0; }
    @Override public long parameterCount() { return 0; }

    @Override
    public void invoke(Arena a) {
        if (int8) Concat.int8(pixels, channels, a.b, in, a.b, out[0]);
        else Concat.float32(pixels, channels, a.f, in, a.f, out[0]);
    }
}
