package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.DepthwiseTaps;
import dev.winnow.runtime.kernel.simd.DepthwiseInt8Simd;
import dev.winnow.runtime.kernel.simd.RequantizePixelsSimd;
import dev.winnow.runtime.kernel.simd.RequantizeSimd;
import dev.winnow.runtime.quant.QuantParams;

/**
 * The int8 depthwise convolution on the Vector API ({@link DepthwiseInt8Simd}: channels across the
 * lanes, four interior pixels per filter vector), with vector requantization when asked: whole pixels
 * at once ({@link RequantizePixelsSimd}) where the channels fill whole vectors, the general
 * {@link RequantizeSimd} elsewhere. By default the first where {@link VectorSupport#vectorRequantization()}
 * says so, the second where {@link VectorSupport#available()} does (both JDK 21+): on JDK 17 C2 compiled
 * the second inside this kernel to code that boxed vectors (345 kB per call at 15x20x64), and the first
 * in some JVMs. Multiplier 1 and at least one vector of channels.
 */
final class DepthwiseInt8Vector extends DepthwiseConv2dInt8 {
    @Override public String name() { return requantizesOnVectors() ? "int8-dw-vector-rq" : "int8-dw-vector"; }

    /** Whether a call now requantizes on vectors: chosen so, and not turned off since by {@link VectorGuard}. */
    boolean requantizesOnVectors() {
        return (rq != null || rqPixels != null) && VectorGuard.allows(guarded);
    }

    private final DepthwiseTaps taps;
    private final RequantizeSimd rq;
    private final RequantizePixelsSimd rqPixels;
    private final boolean guarded; // chosen by default: scalar once VectorGuard trips

    DepthwiseInt8Vector(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        this(g, filter, filterScales, bias, in, out, act, RequantizePixelsSimd.fits(g.outC()) ? VectorSupport.vectorRequantization() : VectorSupport.available(), true);
    }

    /** With {@code vectorRequantization} set or not, whatever the JDK (the tests run both). */
    DepthwiseInt8Vector(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                        boolean vectorRequantization) {
        this(g, filter, filterScales, bias, in, out, act, vectorRequantization, false);
    }

    private DepthwiseInt8Vector(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                                boolean vectorRequantization, boolean guarded) {
        super(g, filter, filterScales, bias, in, out, act);
        this.guarded = guarded;
        if (mult != 1 || g.outC() < DepthwiseInt8Simd.lanes()) {
            throw new IllegalArgumentException("the vector kernel needs multiplier 1 and at least " + DepthwiseInt8Simd.lanes() + " channels");
        }
        this.taps = new DepthwiseTaps(g);
        boolean pixels = vectorRequantization && RequantizePixelsSimd.fits(g.outC());
        this.rqPixels = pixels ? new RequantizePixelsSimd(requantizer) : null;
        this.rq = vectorRequantization && !pixels ? new RequantizeSimd(requantizer) : null;
    }

    /** Four pixels' accumulators. */
    @Override
    public int scratchInts() { return DepthwiseInt8Simd.scratchInts(g); }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        boolean vectors = requantizesOnVectors();
        DepthwiseInt8Simd.depthwise(g, wInt, bias, inZp, requantizer, vectors ? rq : null, vectors ? rqPixels : null, taps, in, inOff, out, outOff, s, sOff);
    }
}
