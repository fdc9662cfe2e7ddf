package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.DepthwiseConv2d;
import dev.winnow.runtime.kernel.DepthwiseConv2dInt8;
import dev.winnow.runtime.kernel.KernelDispatch;

/** The {@code depthwise_conv2d} node. */
final class DepthwiseOp extends WindowOp {
    private final DepthwiseConv2d.Float32 f32;
    private final DepthwiseConv2dInt8 i8;

    private DepthwiseOp(NodeContext n, TensorSpec in, TensorSpec out, ConvGeometry g, DepthwiseConv2d.Float32 f32, DepthwiseConv2dInt8 i8,
                        KernelDispatch.Choice choice, long params) {
        super(n, in, out, g, choice, params);
        this.f32 = f32;
        this.i8 = i8;
    }

    static Op create(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.inputs(1)[0];
        TensorSpec out = n.outputs(1)[0];
        if (in.rank() != 3) throw n.error("input must be HWC");
        TensorData filter = n.weight("filter");
        int mult = n.integer("multiplier", 1, 1, 64);
        int oc = in.dim(2) * mult;
        if (filter.rank() != 3 || filter.dim(2) != oc) throw n.error("filter must be [kH, kW, " + oc + "]");
        ConvGeometry g = ConvOp.geometry(n, in, oc, filter.dim(0), filter.dim(1));
        n.expectShape(out, g.outH(), g.outW(), oc);
        n.expectType(out, in.type());
        long params = filter.elementCount() + oc;
        if (in.type() == ElementType.FLOAT32) {
            return new DepthwiseOp(n, in, out, g, new DepthwiseConv2d.Float32(g, filter.toFloatArray(), Weights.floatBias(n, oc), ConvOp.parseActivation(n)), null,
                    null, params);
        }
        float[] scales = Weights.channelScales(n, filter, oc);
        var chosen = DepthwiseConv2dInt8.dispatch(n.name(), ConvOp.dispatchMode(n), g, filter.toInt8Array(), scales,
                Weights.int32Bias(n, oc, in.scale(), scales), Weights.params(in), Weights.params(out), ConvOp.parseActivation(n));
        return new DepthwiseOp(n, in, out, g, null, chosen.variant(), chosen.choice(), params);
    }

    @Override public String type() { return "depthwise_conv2d"; }
    @Override public long macs() { return DepthwiseConv2d.macs(g); }
    @Override public int scratchInts() { return i8 == null ? 0 : i8.scratchInts(); }
    @Override public int scratchPlanes() { return i8 == null ? 0 : i8.planes(); }
    @Override public int scratchPlaneFloats() { return i8 == null ? 0 : i8.planeFloats(); }

    @Override
    public void invoke(Arena a) {
        if (f32 != null) f32.run(a.f, in[0], a.f, out[0]);
        else i8.run(a.b, in[0], a.b, out[0], a.i, scratchI, a.planes);
    }
}
