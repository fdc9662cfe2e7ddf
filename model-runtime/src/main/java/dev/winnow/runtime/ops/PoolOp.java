package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.Pool2d;

/** {@code max_pool2d}, {@code avg_pool2d} and {@code global_avg_pool}. int8 pools keep the input's quantization. */
final class PoolOp extends Op {
    enum Kind { MAX, AVG, GLOBAL_AVG }

    private final Kind kind;
    private final ConvGeometry g;
    private final boolean int8;
    private final int h, w, c;

    private PoolOp(NodeContext n, TensorSpec in, TensorSpec out, Kind kind, ConvGeometry g) {
        super(n.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.kind = kind;
        this.g = g;
        this.int8 = in.type() == ElementType.INT8;
        this.h = in.dim(0);
        this.w = in.dim(1);
        this.c = in.dim(2);
    }

    static Op create(NodeContext n, Kind kind) throws ModelFormatException {
        TensorSpec in = n.inputs(1)[0];
        TensorSpec out = n.outputs(1)[0];
        if (in.rank() != 3) throw n.error("input must be HWC");
        n.expectType(out, in.type());
        if (in.type() == ElementType.INT8 && (in.scale() != out.scale() || in.zeroPoint() != out.zeroPoint())) {
            throw n.error("int8 pooling keeps the input's scale and zero point");
        }
        if (kind == Kind.GLOBAL_AVG) {
            n.expectShape(out, in.dim(2));
            return new PoolOp(n, in, out, kind, null);
        }
        int[] size = n.pair("size", 2, 1, 64);
        ConvGeometry g = ConvOp.geometry(n, in, in.dim(2), size[0], size[1]);
        n.expectShape(out, g.outH(), g.outW(), in.dim(2));
        return new PoolOp(n, in, out, kind, g);
    }

    @Override
    public String type() {
        return kind == Kind.MAX ? "max_pool2d" : kind == Kind.AVG ? "avg_pool2d" : "global_avg_pool";
    }

    @Override public long macs() { return kind == Kind.GLOBAL_AVG ? (long) h * w * c : Pool2d.macs(g); }
    @Override public long parameterCount() { return 0; }

    @Override
    public void invoke(Arena a) {
        switch (kind) {
            case MAX:
                if (int8) Pool2d.maxInt8(g, a.b, in[0], a.b, out[0]); else Pool2d.maxFloat32(g, a.f, in[0], a.f, out[0]);
                break;
            case AVG:
                if (int8) Pool2d.avgInt8(g, a.b, in[0], a.b, out[0]); else Pool2d.avgFloat32(g, a.f, in[0], a.f, out[0]);
                break;
            default:
                if (int8) Pool2d.globalAvgInt8(h, w, c, a.b, in[0], a.b, out[0]); else Pool2d.globalAvgFloat32(h, w, c, a.f, in[0], a.f, out[0]);
        }
    }
}
