package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.DepthwiseTaps;
import dev.winnow.runtime.kernel.simd.DepthwiseInt8Simd;
import dev.winnow.runtime.kernel.simd.RequantizeSimd;
import dev.winnow.runtime.quant.QuantParams;

/**
 * The int8 depthwise convolution on the Vector API ({@link DepthwiseInt8Simd}: channels across the
 * lanes, four interior pixels per filter vector), with vector requantization ({@link RequantizeSimd})
 * where {@link VectorSupport#available()} says the deeper vector code is safe (JDK 21+): on JDK 17,
 * C2 compiled it inside this kernel to code that boxed vectors (345 kB per call at 15x20x64), while
 * the accumulation alone allocates nothing there. Multiplier 1 and at least one vector of channels.
 */
final class DepthwiseInt8Vector extends DepthwiseConv2dInt8 {
    @Override public String name() { return rq == null ? "int8-dw-vector" : "int8-dw-vector-rq"; }

    private final DepthwiseTaps taps;
    private final RequantizeSimd rq;

    DepthwiseInt8Vector(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        this(g, filter, filterScales, bias, in, out, act, VectorSupport.available());
    }

    /** With {@code vectorRequantization} set or not, whatever the JDK (the tests run both). */
    DepthwiseInt8Vector(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                        boolean vectorRequantization) {
        super(g, filter, filterScales, bias, in, out, act);
        if (mult != 1 || g.outC() < DepthwiseInt8Simd.lanes()) {
            throw new IllegalArgumentException("the vector kernel needs multiplier 1 and at least " + DepthwiseInt8Simd.lanes() + " channels");
        }
        this.taps = new DepthwiseTaps(g);
        this.rq = vectorRequantization ? new RequantizeSimd(requantizer) : null;
    }

    /** Four pixels' accumulators. */
    @Override
    public int scratchInts() { return DepthwiseInt8Simd.scratchInts(g); }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        DepthwiseInt8Simd.depthwise(g, wInt, bias, inZp, requantizer, rq, taps, in, inOff, out, outOff, s, sOff);
    }
}
