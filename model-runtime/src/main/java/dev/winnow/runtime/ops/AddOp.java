package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Activation;
import dev.winnow.runtime.kernel.Add;

/** The {@code add} node (residual connections). */
final class AddOp extends Op {
    private final int n;
    private final Activation act;
    private final Add.Int8 i8;

    private AddOp(NodeContext node, TensorSpec[] ins, TensorSpec out, Activation act, Add.Int8 i8) {
        super(node.name(), ins, new TensorSpec[] {out});
        this.n = out.elementCount();
        this.act = act;
        this.i8 = i8;
    }

    static Op create(NodeContext node) throws ModelFormatException {
        TensorSpec[] ins = node.inputs(2);
        TensorSpec out = node.outputs(1)[0];
        if (!java.util.Arrays.equals(ins[0].shape(), ins[1].shape())) throw node.error("inputs differ in shape");
        node.expectShape(out, ins[0].shape());
        node.expectType(ins[1], ins[0].type());
        node.expectType(out, ins[0].type());
        Activation act = ConvOp.parseActivation(node);
        Add.Int8 i8 = ins[0].type() == ElementType.INT8
                ? new Add.Int8(Weights.params(ins[0]), Weights.params(ins[1]), Weights.params(out), act) : null;
        return new AddOp(node, ins, out, act, i8);
    }

    @Override public String type() { return "add"; }
    @Override public long macs() { return n; }
    @Override public long parameterCount() { return 0; }
    @Override public int scratchInts() { return i8 == null ? 0 : i8.scratchInts(); }

    @Override
    public void invoke(Arena a) {
        if (i8 == null) Add.float32(n, a.f, in[0], a.f, in[1], a.f, out[0], act);
        else i8.run(n, a.b, in[0], a.b, in[1], a.b, out[0], a.i, scratchI);
    }
}
