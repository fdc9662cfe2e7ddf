package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.ResizeBilinear;

/** {@code resize_bilinear}: float32 [H,W,C] → [size[0], size[1], C], TensorFlow's semantics ({@link ResizeBilinear}). */
final class ResizeBilinearOp extends Op {
    private final ResizeBilinear kernel;
    private final long macs;

    private ResizeBilinearOp(NodeContext n, TensorSpec in, TensorSpec out, ResizeBilinear kernel) {
        super(n.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.kernel = kernel;
        this.macs = ResizeBilinear.macs(out.dim(0), out.dim(1), out.dim(2));
    }

    static Op create(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.floatInput(), out = n.floatOutput();
        if (in.rank() != 3) throw n.error("input must be HWC, is " + in);
        int[] size = n.pair("size", 0, 1, 16384);
        if (size[0] < 1) throw n.error("attribute 'size' [height, width] is required");
        n.expectShape(out, size[0], size[1], in.dim(2));
        boolean align = n.integer("align_corners", 0, 0, 1) == 1, half = n.integer("half_pixel_centers", 0, 0, 1) == 1;
        if (align && half) throw n.error("align_corners and half_pixel_centers cannot both be set (TensorFlow refuses it too)");
        return new ResizeBilinearOp(n, in, out, new ResizeBilinear(in.dim(0), in.dim(1), in.dim(2), size[0], size[1], align, half));
    }

    @Override public String type() { return "resize_bilinear"; }
    @Override public long macs() { return macs; }
    @Override public long parameterCount() { return 0; }

    @Override
    public void invoke(Arena a) {
        kernel.run(a.f, in[0], a.f, out[0]);
    }
}
