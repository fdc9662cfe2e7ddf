package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.ConvGeometry;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API accumulation for the int8 convolution: the filter is widened to int32 and packed HWIO,
 * so output channels run across the lanes and each input value (its zero point subtracted) is
 * broadcast into one multiply-add per lane group. Four neighbouring output pixels of a row share
 * each filter vector (register blocking, as {@link ConvSimd}). The results are the int32
 * accumulators, bias included, exactly as the scalar loops compute them (integer lanes wrap the same
 * way); requantization stays with the caller. Channels past the last whole vector are finished by a
 * scalar loop.
 */
public final class ConvInt8Simd {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ConvInt8Simd() {}

    /** True when at least one whole vector of output channels exists: below that the scalar path is faster. */
    public static boolean fits(int outC) {
        return outC >= L;
    }

    /**
     * Accumulators of output pixels {@code ow .. ow + 3} of row {@code oh} into
     * {@code acc[accOff + p * outC + oc]}. The four windows must lie inside the input across (rows may
     * overhang: those filter rows are skipped, as padding holds the zero point).
     */
    public static void block4(ConvGeometry g, int[] w, int[] bias, int zp, byte[] in, int inOff, int oh, int ow, int[] acc, int accOff) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW(), sw = g.strideW();
        final int pixelStride = sw * inC, run = kW * inC, vecC = S.loopBound(outC);
        int ih0 = oh * g.strideH() - g.padTop();
        int iw0 = ow * sw - g.padLeft();
        int khStart = Math.max(0, -ih0), khEnd = Math.min(g.kH(), g.inH() - ih0);
        for (int oc = 0; oc < vecC; oc += L) {
            // four separate loads, not one shared value: C2 boxes vectors that alias at a loop phi
            IntVector a0 = IntVector.fromArray(S, bias, oc);
            IntVector a1 = IntVector.fromArray(S, bias, oc);
            IntVector a2 = IntVector.fromArray(S, bias, oc);
            IntVector a3 = IntVector.fromArray(S, bias, oc);
            for (int kh = khStart; kh < khEnd; kh++) {
                // one filter row: kW pixels x inC channels of input, contiguous, and the matching filter slice
                int x0 = inOff + ((ih0 + kh) * inW + iw0) * inC;
                int wb = kh * run * outC + oc;
                for (int j = 0; j < run; j++) {
                    IntVector wv = IntVector.fromArray(S, w, wb + j * outC);
                    int x = x0 + j;
                    a0 = wv.mul(in[x] - zp).add(a0);
                    a1 = wv.mul(in[x + pixelStride] - zp).add(a1);
                    a2 = wv.mul(in[x + 2 * pixelStride] - zp).add(a2);
                    a3 = wv.mul(in[x + 3 * pixelStride] - zp).add(a3);
                }
            }
            a0.intoArray(acc, accOff + oc);
            a1.intoArray(acc, accOff + outC + oc);
            a2.intoArray(acc, accOff + 2 * outC + oc);
            a3.intoArray(acc, accOff + 3 * outC + oc);
        }
        for (int p = 0; p < 4; p++) tail(g, w, bias, zp, in, inOff, oh, ow + p, acc, accOff + p * outC, vecC);
    }

    /** Accumulators of one output pixel into {@code acc[accOff + oc]}; the window may overhang any edge. */
    public static void single(ConvGeometry g, int[] w, int[] bias, int zp, byte[] in, int inOff, int oh, int ow, int[] acc, int accOff) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW(), vecC = S.loopBound(outC);
        int ih0 = oh * g.strideH() - g.padTop();
        int iw0 = ow * g.strideW() - g.padLeft();
        int khStart = Math.max(0, -ih0), khEnd = Math.min(g.kH(), g.inH() - ih0);
        int jStart = Math.max(0, -iw0) * inC, jEnd = Math.min(kW, inW - iw0) * inC;
        for (int oc = 0; oc < vecC; oc += L) {
            IntVector a = IntVector.fromArray(S, bias, oc);
            for (int kh = khStart; kh < khEnd; kh++) {
                int x0 = inOff + ((ih0 + kh) * inW + iw0) * inC;
                int wb = kh * kW * inC * outC + oc;
                for (int j = jStart; j < jEnd; j++) a = IntVector.fromArray(S, w, wb + j * outC).mul(in[x0 + j] - zp).add(a);
            }
            a.intoArray(acc, accOff + oc);
        }
        tail(g, w, bias, zp, in, inOff, oh, ow, acc, accOff, vecC);
    }

    /** Output channels from {@code from} to the end, one pixel, plain loops. */
    private static void tail(ConvGeometry g, int[] w, int[] bias, int zp, byte[] in, int inOff, int oh, int ow, int[] acc, int accOff, int from) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW();
        if (from == outC) return;
        for (int oc = from; oc < outC; oc++) acc[accOff + oc] = bias[oc];
        int ih0 = oh * g.strideH() - g.padTop();
        int iw0 = ow * g.strideW() - g.padLeft();
        for (int kh = 0; kh < g.kH(); kh++) {
            int ih = ih0 + kh;
            if (ih < 0 || ih >= g.inH()) continue;
            for (int kw = 0; kw < kW; kw++) {
                int iw = iw0 + kw;
                if (iw < 0 || iw >= inW) continue;
                int x0 = inOff + (ih * inW + iw) * inC;
                int wb = (kh * kW + kw) * inC * outC;
                for (int ic = 0; ic < inC; ic++) {
                    int x = in[x0 + ic] - zp;
                    for (int oc = from; oc < outC; oc++) acc[accOff + oc] += x * w[wb + ic * outC + oc];
                }
            }
        }
    }
}
