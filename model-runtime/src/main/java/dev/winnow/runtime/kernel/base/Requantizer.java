package dev.winnow.runtime.kernel.base;

import dev.winnow.runtime.quant.FixedPoint;

/**
 * TFLite's per-channel requantization of int32 accumulators to int8: for channel c, the real
 * multiplier inScale · weightScale[c] / outScale as a fixed-point multiplier and shift, then the
 * output zero point and the activation's clamp. What the int8 conv, depthwise and dense kernels
 * share; computed once when a kernel is prepared. Immutable.
 */
public final class Requantizer {
    private final int[] mult;
    private final int[] shift;
    private final int outZp;
    private final int qmin;
    private final int qmax;

    /**
     * @param weightScales one scale per channel, or a single scale for all {@code channels}
     * @param qmin        the lowest output value the activation allows (e.g. the zero point for relu)
     * @param qmax        the highest
     */
    public Requantizer(int channels, float inScale, float[] weightScales, float outScale, int outZeroPoint, int qmin, int qmax) {
        if (weightScales.length != channels && weightScales.length != 1) {
            throw new IllegalArgumentException("weights have " + weightScales.length + " scales for " + channels + " channels");
        }
        this.mult = new int[channels];
        this.shift = new int[channels];
        for (int c = 0; c < channels; c++) {
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier((double) inScale * weightScales[weightScales.length == 1 ? 0 : c] / outScale);
            mult[c] = m.multiplier();
            shift[c] = m.shift();
        }
        this.outZp = outZeroPoint;
        this.qmin = qmin;
        this.qmax = qmax;
    }

    public int channels() { return mult.length; }

    /** Channel {@code c}'s Q31 multiplier (never {@code Integer.MIN_VALUE}: {@link FixedPoint#quantizeMultiplier} stays below 2^31). */
    public int multiplier(int c) { return mult[c]; }

    /** Channel {@code c}'s power-of-two exponent: a left shift when positive, a rounding right shift when negative. */
    public int shift(int c) { return shift[c]; }

    public int outZeroPoint() { return outZp; }

    public int qmin() { return qmin; }

    public int qmax() { return qmax; }

    /** Channel {@code c}'s int32 accumulator as the output's int8. */
    public byte apply(int acc, int c) {
        int v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[c], shift[c]) + outZp;
        return (byte) (v < qmin ? qmin : (v > qmax ? qmax : v));
    }
}
