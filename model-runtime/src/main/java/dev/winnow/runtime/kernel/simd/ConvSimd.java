package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API convolution over HWIO-packed filters. Output channels run across the vector lanes;
 * in the interior of each output row four neighbouring output pixels are computed together, so each
 * filter vector loaded from memory feeds four fused multiply-adds (register blocking). Channels past
 * the last whole vector are finished by a scalar loop: masked loads are not intrinsified on JDK 17
 * and would allocate on every call.
 */
public final class ConvSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();


    private ConvSimd() {}

    public static void conv(ConvGeometry g, float[] w, float[] bias, float min, float max,
                            float[] in, int inOff, float[] out, int outOff) {
        final int outC = g.outC(), outW = g.outW(), sw = g.strideW(), kW = g.kW(), inW = g.inW();
        final int vecC = S.loopBound(outC);
        for (int oh = 0; oh < g.outH(); oh++) {
            int ow = 0;
            for (; ow + 4 <= outW; ow += 4) {
                int iwFirst = ow * sw - g.padLeft();
                int iwLast = (ow + 3) * sw - g.padLeft() + kW;
                if (iwFirst >= 0 && iwLast <= inW) {
                    for (int oc = 0; oc < vecC; oc += L) block4(g, w, bias, min, max, in, inOff, out, outOff, oh, ow, oc);
                    for (int p = 0; p < 4; p++) tail(g, w, bias, min, max, in, inOff, out, outOff, oh, ow + p, vecC);
                } else {
                    for (int p = 0; p < 4; p++) pixel(g, w, bias, min, max, in, inOff, out, outOff, oh, ow + p, vecC);
                }
            }
            for (; ow < outW; ow++) pixel(g, w, bias, min, max, in, inOff, out, outOff, oh, ow, vecC);
        }
    }

    private static void pixel(ConvGeometry g, float[] w, float[] bias, float min, float max,
                              float[] in, int inOff, float[] out, int outOff, int oh, int ow, int vecC) {
        for (int oc = 0; oc < vecC; oc += L) single(g, w, bias, min, max, in, inOff, out, outOff, oh, ow, oc);
        tail(g, w, bias, min, max, in, inOff, out, outOff, oh, ow, vecC);
    }

    private static void block4(ConvGeometry g, float[] w, float[] bias, float min, float max,
                               float[] in, int inOff, float[] out, int outOff, int oh, int ow, int oc) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW(), sw = g.strideW();
        final int pixelStride = sw * inC;
        // four separate loads, not one shared value: C2 on JDK 17 boxes vectors that alias at a loop phi
        FloatVector a0 = FloatVector.fromArray(S, bias, oc);
        FloatVector a1 = FloatVector.fromArray(S, bias, oc);
        FloatVector a2 = FloatVector.fromArray(S, bias, oc);
        FloatVector a3 = FloatVector.fromArray(S, bias, oc);
        int ih0 = oh * g.strideH() - g.padTop();
        int iw0 = ow * sw - g.padLeft();
        // counted loops over the valid window only: no branches around the vector accumulators,
        // which lets C2 keep them in registers instead of boxing them
        // For one filter row the window's input (kW pixels x inC channels) is contiguous, as is the
        // matching filter slice, so two counted loops cover the window. Deeper nests with the
        // accumulators carried through them make C2 on JDK 17 box the vectors.
        int khEnd = Math.min(g.kH(), g.inH() - ih0);
        int run = kW * inC;
        for (int kh = Math.max(0, -ih0); kh < khEnd; kh++) {
            int x0 = inOff + ((ih0 + kh) * inW + iw0) * inC;
            int wb = kh * run * outC + oc;
            for (int j = 0; j < run; j++) {
                FloatVector wv = FloatVector.fromArray(S, w, wb + j * outC);
                int x = x0 + j;
                a0 = FloatVector.broadcast(S, in[x]).fma(wv, a0);
                a1 = FloatVector.broadcast(S, in[x + pixelStride]).fma(wv, a1);
                a2 = FloatVector.broadcast(S, in[x + 2 * pixelStride]).fma(wv, a2);
                a3 = FloatVector.broadcast(S, in[x + 3 * pixelStride]).fma(wv, a3);
            }
        }
        int o = outOff + (oh * g.outW() + ow) * outC + oc;
        a0.max(min).min(max).intoArray(out, o);
        a1.max(min).min(max).intoArray(out, o + outC);
        a2.max(min).min(max).intoArray(out, o + 2 * outC);
        a3.max(min).min(max).intoArray(out, o + 3 * outC);
    }

    private static void single(ConvGeometry g, float[] w, float[] bias, float min, float max,
                               float[] in, int inOff, float[] out, int outOff, int oh, int ow, int oc) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW();
        FloatVector acc = FloatVector.fromArray(S, bias, oc);
        int ih0 = oh * g.strideH() - g.padTop();
        int iw0 = ow * g.strideW() - g.padLeft();
        int khEnd = Math.min(g.kH(), g.inH() - ih0);
        int kwStart = Math.max(0, -iw0);
        int kwEnd = Math.min(kW, inW - iw0);
        int jStart = kwStart * inC, jEnd = kwEnd * inC;
        for (int kh = Math.max(0, -ih0); kh < khEnd; kh++) {
            int x0 = inOff + ((ih0 + kh) * inW + iw0) * inC;
            int wb = kh * kW * inC * outC + oc;
            for (int j = jStart; j < jEnd; j++) {
                acc = FloatVector.broadcast(S, in[x0 + j]).fma(FloatVector.fromArray(S, w, wb + j * outC), acc);
            }
        }
        acc.max(min).min(max).intoArray(out, outOff + (oh * g.outW() + ow) * outC + oc);
    }

    /** Output channels from {@code from} to the end, one pixel, plain loops. */
    private static void tail(ConvGeometry g, float[] w, float[] bias, float min, float max,
                             float[] in, int inOff, float[] out, int outOff, int oh, int ow, int from) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW();
        if (from == outC) return;
        int o = outOff + (oh * g.outW() + ow) * outC;
        for (int oc = from; oc < outC; oc++) out[o + oc] = bias[oc];
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
                    float x = in[x0 + ic];
                    for (int oc = from; oc < outC; oc++) out[o + oc] += x * w[wb + ic * outC + oc];
                }
            }
        }
        for (int oc = from; oc < outC; oc++) out[o + oc] = Math.min(max, Math.max(min, out[o + oc]));
    }
}
