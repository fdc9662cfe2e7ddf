package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Quantize;

/** {@code quantize} (float32 → int8 with the output's parameters) and {@code dequantize}. */
final class QuantizeOp extends Op {
    private final boolean toInt8;
    private final int n;
    private final float invScale;
    private final float scale;
    private final int zp;

    private QuantizeOp(NodeContext node, TensorSpec in, TensorSpec out, boolean toInt8) {
        super(node.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.toInt8 = toInt8;
        this.n = in.elementCount();
        TensorSpec q = toInt8 ? out : in;
        this.scale = q.scale();
        this.invScale = 1f / q.scale();
        this.zp = q.zeroPoint();
    }

    static Op create(NodeContext node, boolean toInt8) throws ModelFormatException {
        TensorSpec in = node.inputs(1)[0];
        TensorSpec out = node.outputs(1)[0];
        node.expectShape(out, in.shape());
        node.expectType(in, toInt8 ? ElementType.FLOAT32 : ElementType.INT8);
        node.expectType(out, toInt8 ? ElementType.INT8 : ElementType.FLOAT32);
        return new QuantizeOp(node, in, out, toInt8);
    }

    @Override public String type() { return toInt8 ? "quantize" : "dequantize"; }
    @Override public long macs() { return n; }
    @Override public long parameterCount() { return 0; }
    @Override public int scratchInts() { return toInt8 ? Quantize.scratchInts() : 0; }

    @Override
    public void invoke(Arena a) {
        if (toInt8) {
            Quantize.floats(a.f, in[0], n, invScale, zp, a.b, out[0], a.i, scratchI);
        } else {
            for (int i = 0; i < n; i++) a.f[out[0] + i] = (a.b[in[0] + i] - zp) * scale;
        }
    }
}
