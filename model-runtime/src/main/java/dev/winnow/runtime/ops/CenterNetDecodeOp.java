package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.CenterNetDecode;

/**
 * {@code centernet_decode}: heat [H,W,K] (class scores after the sigmoid) and box offsets [H,W,4] →
 * detections [k,6] = x1, y1, x2, y2, score, class. Attributes {@code max_detections} (k),
 * {@code pool_size} (odd, default 3), {@code stride} (input pixels per heat cell).
 */
final class CenterNetDecodeOp extends Op {
    private final CenterNetDecode kernel;
    private final long macs;

    private CenterNetDecodeOp(NodeContext n, TensorSpec[] ins, TensorSpec out, CenterNetDecode kernel, long macs) {
        super(n.name(), ins, new TensorSpec[] {out});
        this.kernel = kernel;
        this.macs = macs;
    }

    static Op create(NodeContext n) throws ModelFormatException {
        TensorSpec[] ins = n.inputs(2);
        TensorSpec out = n.outputs(1)[0];
        TensorSpec heat = ins[0], wh = ins[1];
        for (TensorSpec t : new TensorSpec[] {heat, wh, out}) n.expectType(t, ElementType.FLOAT32);
        if (heat.rank() != 3) throw n.error("heat must be [H,W,K], is " + heat);
        if (wh.rank() != 3 || wh.dim(0) != heat.dim(0) || wh.dim(1) != heat.dim(1) || wh.dim(2) != 4) throw n.error("box map must be [H,W,4] beside heat " + heat + ", is " + wh);
        int k = n.integer("max_detections", 100, 1, 100_000);
        int pool = n.integer("pool_size", 3, 1, 31);
        if (pool % 2 == 0) throw n.error("pool_size must be odd");
        float stride = n.number("stride", 4f);
        if (!(stride > 0)) throw n.error("stride must be positive");
        if ((long) k > heat.elementCount()) throw n.error("max_detections " + k + " exceeds the heatmap's " + heat.elementCount() + " values");
        n.expectShape(out, k, 6);
        return new CenterNetDecodeOp(n, ins, out, new CenterNetDecode(heat.dim(0), heat.dim(1), heat.dim(2), k, pool, stride), heat.elementCount());
    }

    @Override public String type() { return "centernet_decode"; }
    @Override public long macs() { return macs; }
    @Override public long parameterCount() { return 0; }
    @Override public int scratchFloats() { return kernel.scratchFloats(); }
    @Override public int scratchInts() { return kernel.scratchInts(); }

    @Override
    public void invoke(Arena a) {
        kernel.run(a.f, in[0], a.f, in[1], a.f, out[0], a.f, scratchF, a.i, scratchI);
    }
}
