package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API float convolution of a single-channel input into a few output channels (a grayscale
 * stem: 1 → 4), output pixels across the lanes instead of output channels, which would fill a
 * quarter of a vector. For each output row the caller lays out the input values every tap reads
 * for every output pixel of the row (zeros in the padding) so that each tap's values are contiguous
 * from its own offset. Then each output channel is a sum over the taps of a broadcast weight times
 * those values, one fused multiply-add per tap and vector of pixels, four channels at a time with their
 * accumulators in registers (the channels after the last four one at a time); the channels are interleaved into HWC at the end. Stateless.
 */
public final class ConvPixelsSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ConvPixelsSimd() {}

    /** True when the output channels would fill less than a vector: then pixels across the lanes pay. */
    public static boolean fits(int inC, int outC) {
        return inC == 1 && outC < L;
    }

    /**
     * One output row: tap t's values for the row's {@code outW} pixels at {@code x[xOff + tapAt[t] ..]}, filter
     * {@code w[t·outC + oc]} (HWIO with one input channel), clamped to [min, max], written HWC at
     * {@code out[o]}. {@code planar} holds {@code outC·outW} floats of scratch.
     */
    public static void row(float[] x, int xOff, int[] tapAt, int outW, float[] w, float[] bias, int outC, float min, float max,
                           float[] planar, int pOff, float[] out, int o) {
        final int whole = S.loopBound(outW), taps = tapAt.length, quads = outC & ~3;
        for (int ow = 0; ow < whole; ow += L) {
            for (int oc = 0; oc < quads; oc += 4) accumulate4(x, xOff + ow, tapAt, w, oc, outC, bias, min, max, planar, pOff + oc * outW + ow, outW);
            for (int oc = quads; oc < outC; oc++) accumulate(x, xOff + ow, tapAt, w, oc, outC, bias[oc], min, max, planar, pOff + oc * outW + ow);
        }
        for (int oc = 0; oc < outC; oc++) {
            int p = pOff + oc * outW;
            for (int ow = whole; ow < outW; ow++) {
                float a = bias[oc];
                for (int t = 0; t < taps; t++) a += x[xOff + tapAt[t] + ow] * w[t * outC + oc];
                planar[p + ow] = Math.min(max, Math.max(min, a));
            }
        }
        for (int ow = 0; ow < outW; ow++) {
            for (int oc = 0; oc < outC; oc++) out[o + ow * outC + oc] = planar[pOff + oc * outW + ow];
        }
    }

    /**
     * Output channels [oc, oc + 4) of one vector of pixels: four accumulators, so the fused multiply-adds of
     * four channels overlap instead of each waiting on the one before, and each tap's values are loaded once
     * for the four. Each channel's sum is {@link #accumulate}'s, the same operations in the same order.
     */
    private static void accumulate4(float[] x, int xb, int[] tapAt, float[] w, int oc, int outC, float[] bias, float min, float max,
                                    float[] planar, int at, int planeStride) {
        FloatVector a0 = FloatVector.broadcast(S, bias[oc]), a1 = FloatVector.broadcast(S, bias[oc + 1]);
        FloatVector a2 = FloatVector.broadcast(S, bias[oc + 2]), a3 = FloatVector.broadcast(S, bias[oc + 3]);
        for (int t = 0; t < tapAt.length; t++) {
            FloatVector v = FloatVector.fromArray(S, x, xb + tapAt[t]);
            int wt = t * outC + oc;
            a0 = v.fma(FloatVector.broadcast(S, w[wt]), a0);
            a1 = v.fma(FloatVector.broadcast(S, w[wt + 1]), a1);
            a2 = v.fma(FloatVector.broadcast(S, w[wt + 2]), a2);
            a3 = v.fma(FloatVector.broadcast(S, w[wt + 3]), a3);
        }
        a0.max(min).min(max).intoArray(planar, at);
        a1.max(min).min(max).intoArray(planar, at + planeStride);
        a2.max(min).min(max).intoArray(planar, at + 2 * planeStride);
        a3.max(min).min(max).intoArray(planar, at + 3 * planeStride);
    }

    private static void accumulate(float[] x, int xb, int[] tapAt, float[] w, int oc, int outC, float bias, float min, float max,
                                   float[] planar, int at) {
        FloatVector a = FloatVector.broadcast(S, bias);
        for (int t = 0; t < tapAt.length; t++) a = FloatVector.fromArray(S, x, xb + tapAt[t]).fma(FloatVector.broadcast(S, w[t * outC + oc]), a);
        a.max(min).min(max).intoArray(planar, at);
    }
}
