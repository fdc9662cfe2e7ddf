package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Dense;

/** The {@code dense} node; reads its input flat, whatever its shape. */
final class DenseOp extends Op {
    private final int inN;
    private final int outN;
    private final Dense.Float32 f32;
    private final Dense.Int8 i8;

    private DenseOp(NodeContext n, TensorSpec in, TensorSpec out, Dense.Float32 f32, Dense.Int8 i8) {
        super(n.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.inN = in.elementCount();
        this.outN = out.elementCount();
        this.f32 = f32;
        this.i8 = i8;
    }

    static Op create(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.inputs(1)[0];
        TensorSpec out = n.outputs(1)[0];
        TensorData w = n.weight("weights");
        if (w.rank() != 2 || w.dim(1) != in.elementCount()) throw n.error("weights must be [out, " + in.elementCount() + "]");
        int o = w.dim(0);
        n.expectShape(out, o);
        n.expectType(out, in.type());
        if (in.type() == ElementType.FLOAT32) {
            return new DenseOp(n, in, out, new Dense.Float32(in.elementCount(), o, w.toFloatArray(), Weights.floatBias(n, o), ConvOp.parseActivation(n)), null);
        }
        float[] scales = Weights.channelScales(n, w, o);
        return new DenseOp(n, in, out, null, new Dense.Int8(in.elementCount(), o, w.toInt8Array(), scales,
                Weights.int32Bias(n, o, in.scale(), scales), Weights.params(in), Weights.params(out), ConvOp.parseActivation(n)));
    }

    @Override public String type() { return "dense"; }
    @Override public long macs() { return Dense.macs(inN, outN); }
    @Override public long parameterCount() { return (long) inN * outN + outN; }

    @Override
    public void invoke(Arena a) {
        if (f32 != null) f32.run(a.f, in[0], a.f, out[0]);
        else i8.run(a.b, in[0], a.b, out[0]);
    }
}
