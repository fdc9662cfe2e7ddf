package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
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
 * vector requantization on JDK 21+);</li>
 * <li>{@link DepthwiseInt8Bands}: multiplier 1 without vector kernels, exact float sums over bands of output
 * rows that C2's auto-vectorizer vectorizes on JDK 17.</li>
 * </ul>
 * Integer sums do not depend on their order, so every variant is bit-identical to the reference.
 * This class holds the widened filter and the definition (the reference loops); {@link Int8ConvKernel}
 * the bias and the requantization. Running allocates nothing; instances are immutable.
 */
public abstract sealed class DepthwiseConv2dInt8 extends Int8ConvKernel
        permits DepthwiseInt8Reference, DepthwiseInt8Channels, DepthwiseInt8Vector, DepthwiseInt8Bands {
    final int[] wInt;      // the filter widened once: every variant multiplies ints
    final int mult;

    DepthwiseConv2dInt8(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filterScales, bias, in, out, act);
        this.mult = DepthwiseConv2d.multiplier(g);
        if (filter.length != g.kH() * g.kW() * g.outC()) throw new IllegalArgumentException("depthwise filter size does not match the geometry");
        this.wInt = new int[filter.length];
        for (int i = 0; i < filter.length; i++) wInt[i] = filter[i];
    }

    /**
     * The kernel by shape: the vector one with multiplier 1, a whole vector of channels and the module
     * present (its accumulators are a fixed handful of registers in one counted loop, the shape JDK 17's
     * C2 keeps in registers: {@link VectorSupport#fixedRegisterKernels()}); else, without vector kernels, the
     * float bands; else the channel loops for multiplier 1; else the reference.
     */
    public static DepthwiseConv2dInt8 prepare(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        boolean one = g.outC() == g.inC();
        if (one && VectorSupport.fixedRegisterKernels() && g.outC() >= DepthwiseInt8Simd.lanes()) {
            return new DepthwiseInt8Vector(g, filter, filterScales, bias, in, out, act);
        }
        if (!VectorSupport.fixedRegisterKernels() && DepthwiseInt8Bands.fits(g)) return new DepthwiseInt8Bands(g, filter, filterScales, bias, in, out, act);
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
            if (DepthwiseInt8Bands.fits(g)) all.add(new DepthwiseInt8Bands(g, filter, filterScales, bias, in, out, act));
            if (VectorSupport.modulepresent() && g.outC() >= DepthwiseInt8Simd.lanes()) all.add(new DepthwiseInt8Vector(g, filter, filterScales, bias, in, out, act));
        }
        return KernelDispatch.chooseInt8(op, mode, prepare(g, filter, filterScales, bias, in, out, act), reference, all, g, g.outC() * 37L + g.kH());
    }

    /** TFLite's definition, any multiplier: output channel c sums input channel c / multiplier over its window. */
    @Override
    final void referenceRows(byte[] in, int inOff, byte[] out, int outOff, int from, int to) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW();
        for (int oh = from; oh < to; oh++) {
            int ih0 = oh * g.strideH() - g.padTop();
            for (int ow = 0; ow < g.outW(); ow++) {
                int iw0 = ow * g.strideW() - g.padLeft();
                int o = outOff + (oh * g.outW() + ow) * outC;
                for (int c = 0; c < outC; c++) {
                    int acc = bias[c];
                    int ic = c / mult;
                    for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                        int ih = ih0 + kh;
                        for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                            int iw = iw0 + kw;
                            acc += (in[inOff + (ih * inW + iw) * inC + ic] - inZp) * wInt[(kh * kW + kw) * outC + c];
                        }
                    }
                    out[o + c] = requantizer.apply(acc, c);
                }
            }
        }
    }
}
