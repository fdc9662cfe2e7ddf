package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API depthwise convolution (multiplier 1): channels across the lanes; channels past the
 * last whole vector in a scalar loop (no masks, which allocate on JDK 17).
 */
public final class DepthwiseSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private DepthwiseSimd() {}

    public static void depthwise(ConvGeometry g, float[] w, float[] bias, float min, float max,
                                 float[] in, int inOff, float[] out, int outOff) {
        final int c = g.outC(), inW = g.inW(), kW = g.kW();
        final int vecC = S.loopBound(c);
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * g.strideH() - g.padTop();
            for (int ow = 0; ow < g.outW(); ow++) {
                int iw0 = ow * g.strideW() - g.padLeft();
                int o = outOff + (oh * g.outW() + ow) * c;
                for (int ch = 0; ch < vecC; ch += S.length()) {
                    FloatVector acc = FloatVector.fromArray(S, bias, ch);
                    for (int kh = 0; kh < g.kH(); kh++) {
                        int ih = ih0 + kh;
                        if (ih < 0 || ih >= g.inH()) continue;
                        for (int kw = 0; kw < kW; kw++) {
                            int iw = iw0 + kw;
                            if (iw < 0 || iw >= inW) continue;
                            FloatVector x = FloatVector.fromArray(S, in, inOff + (ih * inW + iw) * c + ch);
                            acc = x.fma(FloatVector.fromArray(S, w, (kh * kW + kw) * c + ch), acc);
                        }
                    }
                    acc.max(min).min(max).intoArray(out, o + ch);
                }
                for (int ch = vecC; ch < c; ch++) {
                    float acc = bias[ch];
                    for (int kh = 0; kh < g.kH(); kh++) {
                        int ih = ih0 + kh;
                        if (ih < 0 || ih >= g.inH()) continue;
                        for (int kw = 0; kw < kW; kw++) {
                            int iw = iw0 + kw;
                            if (iw < 0 || iw >= inW) continue;
                            acc += in[inOff + (ih * inW + iw) * c + ch] * w[(kh * kW + kw) * c + ch];
                        }
                    }
                    out[o + ch] = Math.min(max, Math.max(min, acc));
                }
            }
        }
    }
}
