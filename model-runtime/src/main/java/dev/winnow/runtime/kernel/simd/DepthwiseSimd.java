package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.DepthwiseTaps;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API depthwise convolution (multiplier 1, at least one vector of channels): channels across
 * the lanes, four neighbouring output pixels of a row together where their windows lie inside the
 * input (each filter vector loaded feeds four fused multiply-adds), single pixels at the edges.
 *
 * <p>The taps a pixel reads are one contiguous run of a {@link DepthwiseTaps} table, so every
 * accumulator runs through one counted loop without branches, the shape C2 keeps in registers on
 * JDK 17 too (no allocation, KernelAllocationTest). Channels past the last whole vector are the vector
 * at {@code channels − L}, recomputed with the same sums (the same values stored twice). Stateless.
 */
public final class DepthwiseSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseSimd() {}

    public static int lanes() {
        return L;
    }

    /** The whole convolution; {@code taps} tabulated for {@code g}. */
    public static void depthwise(ConvGeometry g, float[] w, float[] bias, float min, float max, DepthwiseTaps taps,
                                 float[] in, int inOff, float[] out, int outOff) {
        final int c = g.outC(), inW = g.inW(), inH = g.inH(), kH = g.kH(), outW = g.outW();
        final int nv = (c + L - 1) / L, ps = g.strideW() * c, fullFrom = taps.fullFrom, fullTo = taps.fullTo;
        final int[] tapIn = taps.in, tapW = taps.filter;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * g.strideH() - g.padTop();
            int kh0 = Math.max(0, -ih0), kh1 = Math.min(kH, inH - ih0);
            int rowBase = inOff + ih0 * inW * c, o = outOff + oh * outW * c;
            int ow = 0;
            for (; ow < outW; ow++) {
                if (ow >= fullFrom && ow + 4 <= fullTo) break;
                pixel(w, bias, min, max, tapIn, tapW, taps.first(ow, kh0), taps.first(ow, kh1),
                        in, rowBase + (ow * g.strideW() - g.padLeft()) * c, out, o + ow * c, nv, c);
            }
            for (; ow + 4 <= fullTo; ow += 4) {
                int t0 = taps.first(ow, kh0), t1 = taps.first(ow, kh1);
                int base = rowBase + (ow * g.strideW() - g.padLeft()) * c, oo = o + ow * c;
                for (int v = 0; v < nv; v++) {
                    int ch = Math.min(v * L, c - L);
                    block4(w, bias, min, max, tapIn, tapW, t0, t1, in, base + ch, ps, out, oo + ch, c, ch);
                }
            }
            for (; ow < outW; ow++) {
                pixel(w, bias, min, max, tapIn, tapW, taps.first(ow, kh0), taps.first(ow, kh1),
                        in, rowBase + (ow * g.strideW() - g.padLeft()) * c, out, o + ow * c, nv, c);
            }
        }
    }

    private static void pixel(float[] w, float[] bias, float min, float max, int[] tapIn, int[] tapW, int t0, int t1,
                              float[] in, int base, float[] out, int o, int nv, int c) {
        for (int v = 0; v < nv; v++) {
            int ch = Math.min(v * L, c - L);
            FloatVector a = FloatVector.fromArray(S, bias, ch);
            for (int t = t0; t < t1; t++) {
                a = FloatVector.fromArray(S, in, base + tapIn[t] + ch).fma(FloatVector.fromArray(S, w, tapW[t] + ch), a);
            }
            a.max(min).min(max).intoArray(out, o + ch);
        }
    }

    /** Four pixels ps apart from x (their windows' first values, channel ch), stored c apart from o. */
    private static void block4(float[] w, float[] bias, float min, float max, int[] tapIn, int[] tapW, int t0, int t1,
                               float[] in, int x, int ps, float[] out, int o, int c, int ch) {
        // separate loads, not one shared value: C2 on JDK 17 boxes vectors that alias at a loop phi
        FloatVector a0 = FloatVector.fromArray(S, bias, ch), a1 = FloatVector.fromArray(S, bias, ch);
        FloatVector a2 = FloatVector.fromArray(S, bias, ch), a3 = FloatVector.fromArray(S, bias, ch);
        for (int t = t0; t < t1; t++) {
            FloatVector wv = FloatVector.fromArray(S, w, tapW[t] + ch);
            int xi = x + tapIn[t];
            a0 = FloatVector.fromArray(S, in, xi).fma(wv, a0);
            a1 = FloatVector.fromArray(S, in, xi + ps).fma(wv, a1);
            a2 = FloatVector.fromArray(S, in, xi + 2 * ps).fma(wv, a2);
            a3 = FloatVector.fromArray(S, in, xi + 3 * ps).fma(wv, a3);
        }
        a0.max(min).min(max).intoArray(out, o);
        a1.max(min).min(max).intoArray(out, o + c);
        a2.max(min).min(max).intoArray(out, o + 2 * c);
        a3.max(min).min(max).intoArray(out, o + 3 * c);
    }
}
