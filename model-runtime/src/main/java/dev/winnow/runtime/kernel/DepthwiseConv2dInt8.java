package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.Requantizer;
import dev.winnow.runtime.kernel.simd.DepthwiseInt8Simd;
import dev.winnow.runtime.quant.QuantParams;
import java.util.ArrayList;
import java.util.List;

/**
 * TFLite int8 depthwise convolution: int8 input/output per tensor, int8 filter per output channel
 * ({@code [kH][kW][inC·multiplier]}, output channel {@code c·multiplier + j}), int32 bias. As
 * {@link Conv2dInt8}: one reference kernel ({@link DepthwiseInt8Reference}, the definition) and fast
 * variants, each its own class, chosen once by {@link #dispatch}:
 * <ul>
 * <li>{@link DepthwiseInt8Channels}: multiplier 1, the channel loop innermost over an accumulator per
 * channel, plain Java;</li>
 * <li>{@link DepthwiseInt8Vector}: multiplier 1 and a whole vector of channels, on the Vector API (with
 * vector requantization on JDK 21+).</li>
 * </ul>
 * Integer sums do not depend on their order, so every variant is bit-identical to the reference.
 * This class holds what they share, computed once. Running allocates nothing; instances are immutable.
 */
public abstract sealed class DepthwiseConv2dInt8 implements KernelDispatch.Variant<byte[]>
        permits DepthwiseInt8Reference, DepthwiseInt8Channels, DepthwiseInt8Vector {
    final ConvGeometry g;
    final int[] wInt;      // the filter widened once: every variant multiplies ints
    final int[] bias;
    final int inZp;
    final int mult;
    final Requantizer requantizer;

    DepthwiseConv2dInt8(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        this.g = g;
        this.mult = DepthwiseConv2d.multiplier(g);
        if (filter.length != g.kH() * g.kW() * g.outC()) throw new IllegalArgumentException("depthwise filter size does not match the geometry");
        this.wInt = new int[filter.length];
        for (int i = 0; i < filter.length; i++) wInt[i] = filter[i];
        this.bias = bias == null ? new int[g.outC()] : bias.clone();
        if (this.bias.length != g.outC()) throw new IllegalArgumentException("bias has " + this.bias.length + " values for " + g.outC() + " channels");
        this.requantizer = new Requantizer(g.outC(), in.scale(), filterScales, out.scale(), out.zeroPoint(), act.qmin(out), act.qmax(out));
        this.inZp = in.zeroPoint();
    }

    /**
     * The kernel by shape: the vector one with multiplier 1, a whole vector of channels and the module
     * present (its accumulators are a fixed handful of registers in one counted loop, the shape JDK 17's
     * C2 keeps in registers: {@link VectorSupport#fixedRegisterKernels()}); else the channel loops for
     * multiplier 1; else the reference.
     */
    public static DepthwiseConv2dInt8 prepare(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        boolean one = g.outC() == g.inC();
        if (one && VectorSupport.fixedRegisterKernels() && g.outC() >= DepthwiseInt8Simd.lanes()) {
            return new DepthwiseInt8Vector(g, filter, filterScales, bias, in, out, act);
        }
        if (one) return new DepthwiseInt8Channels(g, filter, filterScales, bias, in, out, act);
        return reference(g, filter, filterScales, bias, in, out, act);
    }

    /** The reference kernel alone: what the variants must equal bit for bit. */
    public static DepthwiseConv2dInt8 reference(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        return new DepthwiseInt8Reference(g, filter, filterScales, bias, in, out, act);
    }

    /**
     * The kernel {@link KernelDispatch} chooses for op {@code op} in {@code mode}: {@link #prepare}'s
     * pick (by shape), or the fastest of every variant that fits (timed), each self-checked against the
     * reference on a pseudo-random input first.
     */
    public static KernelDispatch.Chosen<DepthwiseConv2dInt8> dispatch(String op, KernelDispatch.Mode mode, ConvGeometry g, byte[] filter, float[] filterScales,
                                                                      int[] bias, QuantParams in, QuantParams out, Activation act) {
        DepthwiseConv2dInt8 reference = reference(g, filter, filterScales, bias, in, out, act);
        List<DepthwiseConv2dInt8> all = new ArrayList<>(List.of(reference));
        if (mode == KernelDispatch.Mode.TIMED && g.outC() == g.inC()) {
            all.add(new DepthwiseInt8Channels(g, filter, filterScales, bias, in, out, act));
            if (VectorSupport.modulepresent() && g.outC() >= DepthwiseInt8Simd.lanes()) all.add(new DepthwiseInt8Vector(g, filter, filterScales, bias, in, out, act));
        }
        return KernelDispatch.chooseInt8(op, mode, prepare(g, filter, filterScales, bias, in, out, act), reference, all, g, g.outC() * 37L + g.kH());
    }

    @Override
    public final void runOnce(byte[] in, byte[] out) {
        run(in, 0, out, 0);
    }

    public ConvGeometry geometry() { return g; }

    /** int32 scratch {@link #run(byte[], int, byte[], int, int[], int)} needs. */
    public abstract int scratchInts();

    /** Runs over the caller's scratch (the arena's), allocating nothing. */
    public abstract void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff);

    /** Runs with scratch of its own, allocated here when the kernel needs any: for tests and one-off calls. */
    public final void run(byte[] in, int inOff, byte[] out, int outOff) {
        int n = scratchInts();
        run(in, inOff, out, outOff, new int[n], 0);
    }
}
