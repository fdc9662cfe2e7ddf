package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.simd.ConvInt8Simd;
import dev.winnow.runtime.kernel.simd.RequantizePixelsSimd;
import dev.winnow.runtime.quant.QuantParams;

/**
 * The packed int8 convolution with blocks of four output pixels whose windows lie inside the input
 * accumulated on the Vector API ({@link ConvInt8Simd#interior4}); the border pixels go through the
 * packed kernel. Chosen when there is a whole vector of output channels.
 */
final class Conv2dInt8Interior4 extends Conv2dInt8Packed {
    @Override public String name() { return requantizesOnVectors() ? "int8-interior4-vector-rq" : "int8-interior4-vector"; }

    /** Whether a call now requantizes on vectors: chosen so, and not turned off since by {@link VectorGuard}. */
    boolean requantizesOnVectors() {
        return rq != null && VectorGuard.allows(guarded);
    }

    private final int[] wHwio;     // the filter widened to int, HWIO
    private final int[] taps;      // input offset of each filter tap from the window's first value
    private final RequantizePixelsSimd rq; // the four pixels' requantization on vectors, when the channels fill them
    private final boolean guarded; // chosen by default: scalar once VectorGuard trips

    Conv2dInt8Interior4(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        this(g, filterOhwi, filterScales, bias, in, out, act, VectorSupport.vectorRequantization(), true);
    }

    /**
     * {@code vectorRequantization}: the four pixels requantized on vectors where the channels fill them, whatever the JDK;
     * {@code guarded}: that was chosen by default, and turns scalar once {@link VectorGuard} trips.
     */
    Conv2dInt8Interior4(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                        boolean vectorRequantization, boolean guarded) {
        super(g, filterOhwi, filterScales, bias, in, out, act);
        this.guarded = guarded;
        int per = g.kH() * g.kW() * g.inC();
        this.taps = new int[per];
        for (int kh = 0, t = 0; kh < g.kH(); kh++)
            for (int kw = 0; kw < g.kW(); kw++)
                for (int ic = 0; ic < g.inC(); ic++) taps[t++] = (kh * g.inW() + kw) * g.inC() + ic;
        this.wHwio = new int[w.length];
        for (int oc = 0; oc < g.outC(); oc++) for (int i = 0; i < per; i++) wHwio[i * g.outC() + oc] = w[oc * per + i];
        this.rq = vectorRequantization && RequantizePixelsSimd.fits(g.outC()) ? new RequantizePixelsSimd(requantizer) : null;
    }

    /** One receptive field, or four pixels' accumulators. */
    @Override
    public int scratchInts() { return Math.max(super.scratchInts(), 4 * g.outC()); }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH(), outW = g.outW();
        final int sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft();
        final RequantizePixelsSimd rq = requantizesOnVectors() ? this.rq : null;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * sh - pt, ow = 0;
            if (ih0 >= 0 && ih0 + kH <= inH) {
                for (; ow + 4 <= outW; ow += 4) {
                    int iw0 = ow * sw - pl;
                    if (iw0 < 0 || (ow + 3) * sw - pl + kW > inW) {
                        for (int p = 0; p < 4; p++) pixel(in, inOff, out, outOff, oh, ow + p, s, sOff);
                        continue;
                    }
                    ConvInt8Simd.interior4(wHwio, bias, outC, inZp, in, inOff + (ih0 * inW + iw0) * inC, sw * inC, taps, s, sOff);
                    int o = outOff + (oh * outW + ow) * outC;
                    if (rq != null) {
                        rq.applyTo(s, sOff, 4, out, o);
                    } else {
                        for (int p = 0, k = 0; p < 4; p++) for (int oc = 0; oc < outC; oc++, k++) out[o + k] = requantize(s[sOff + k], oc);
                    }
                }
            }
            for (; ow < outW; ow++) pixel(in, inOff, out, outOff, oh, ow, s, sOff);
        }
    }
}
