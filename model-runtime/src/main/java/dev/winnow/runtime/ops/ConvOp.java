package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Activation;
import dev.winnow.runtime.kernel.Conv2d;
import dev.winnow.runtime.kernel.Conv2dInt8;
import dev.winnow.runtime.kernel.KernelDispatch;
import dev.winnow.runtime.kernel.base.ConvGeometry;

/** The {@code conv2d} node: float32 or int8 by its input's type. */
final class ConvOp extends WindowOp {
    private final Conv2d.Float32 f32;
    private final Conv2dInt8 i8;

    private ConvOp(NodeContext n, TensorSpec in, TensorSpec out, ConvGeometry g, Conv2d.Float32 f32, Conv2dInt8 i8, KernelDispatch.Choice choice, long params) {
        super(n, in, out, g, choice, params);
        this.f32 = f32;
        this.i8 = i8;
    }

    /** Geometry of a conv-like node over an HWC input; attrs stride, padding and kernel size. */
    static ConvGeometry geometry(NodeContext n, TensorSpec in, int outC, int kH, int kW) throws ModelFormatException {
        if (in.rank() != 3) throw n.error("input must be HWC, is " + in);
        int[] stride = n.pair("stride", 1, 1, 64);
        String padding = n.string("padding", "same");
        if (!padding.equals("same") && !padding.equals("valid")) throw n.error("padding must be 'same' or 'valid'");
        if (padding.equals("valid") && (kH > in.dim(0) || kW > in.dim(1))) throw n.error("kernel larger than the input with valid padding");
        return ConvGeometry.of(padding, in.dim(0), in.dim(1), in.dim(2), outC, kH, kW, stride[0], stride[1]);
    }

    static Op create(NodeContext n) throws ModelFormatException {
        TensorSpec in = n.inputs(1)[0];
        TensorSpec out = n.outputs(1)[0];
        TensorData filter = n.weight("filter");
        if (filter.rank() != 4) throw n.error("filter must be [O, kH, kW, I]");
        int oc = filter.dim(0), kH = filter.dim(1), kW = filter.dim(2);
        if (in.rank() == 3 && filter.dim(3) != in.dim(2)) throw n.error("filter has " + filter.dim(3) + " input channels, input has " + in.dim(2));
        ConvGeometry g = geometry(n, in, oc, kH, kW);
        n.expectShape(out, g.outH(), g.outW(), oc);
        n.expectType(out, in.type());
        Activation act = parseActivation(n);
        KernelDispatch.Mode mode = dispatchMode(n);
        if (in.type() == ElementType.FLOAT32) {
            var chosen = Conv2d.Float32.dispatch(n.name(), mode, g, filter.toFloatArray(), Weights.floatBias(n, oc), act);
            return new ConvOp(n, in, out, g, chosen.variant(), null, chosen.choice(), filter.elementCount() + oc);
        }
        float[] scales = Weights.channelScales(n, filter, oc);
        int[] bias = Weights.int32Bias(n, oc, in.scale(), scales);
        var chosen = Conv2dInt8.dispatch(n.name(), mode, g, filter.toInt8Array(), scales, bias, Weights.params(in), Weights.params(out), act);
        return new ConvOp(n, in, out, g, null, chosen.variant(), chosen.choice(), filter.elementCount() + oc);
    }

    /** The JVM's {@code winnow.kernels} mode; a bad value is the node's load error, one line. */
    static KernelDispatch.Mode dispatchMode(NodeContext n) throws ModelFormatException {
        try {
            return KernelDispatch.mode();
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    static Activation parseActivation(NodeContext n) throws ModelFormatException {
        try {
            return Activation.parse(n.string("activation", "none"));
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    @Override public String type() { return "conv2d"; }
    @Override public long macs() { return Conv2d.macs(g); }
    @Override public int scratchInts() { return i8 == null ? 0 : i8.scratchInts(); }
    @Override public int scratchFloats() { return f32 == null ? 0 : f32.scratchFloats(); }
    @Override public int scratchPlanes() { return i8 == null ? 0 : i8.planes(); }
    @Override public int scratchPlaneFloats() { return i8 == null ? 0 : i8.planeFloats(); }

    @Override
    public void invoke(Arena a) {
        if (f32 != null) f32.run(a.f, in[0], a.f, out[0], a.f, scratchF);
        else i8.run(a.b, in[0], a.b, out[0], a.i, scratchI, a.planes);
    }
}
