package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API accumulation for the int8 convolution: the filter is widened to int32 and packed HWIO,
 * so output channels run across the lanes and each input value (its zero point subtracted) is
 * broadcast into one multiply-add per lane group. Four neighbouring output pixels of a row share
 * each filter vector (register blocking, as {@link ConvSimd}). The results are the int32
 * accumulators, bias included, exactly as the scalar loops compute them (integer lanes wrap the same
 * way); requantization stays with the caller.
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
     * Accumulators of four output pixels whose windows lie wholly inside the input: pixel p's tap t reads
     * {@code in[base + p * pixelStride + taps[t]]}. One counted loop over the taps carries the four
     * accumulators, the shape JDK 17's C2 keeps in registers (as {@code BonsaiSimd}), so this runs
     * without allocating there too; channels past the last whole vector go through plain loops.
     */
    public static void interior4(int[] w, int[] bias, int outC, int zp, byte[] in, int base, int pixelStride, int[] taps, int[] acc, int accOff) {
        final int vecC = S.loopBound(outC), per = taps.length;
        for (int oc = 0; oc < vecC; oc += L) {
            IntVector a0 = IntVector.fromArray(S, bias, oc);
            IntVector a1 = IntVector.fromArray(S, bias, oc);
            IntVector a2 = IntVector.fromArray(S, bias, oc);
            IntVector a3 = IntVector.fromArray(S, bias, oc);
            for (int t = 0, wb = oc; t < per; t++, wb += outC) {
                IntVector wv = IntVector.fromArray(S, w, wb);
                int x = base + taps[t];
                a0 = wv.mul(in[x] - zp).add(a0);
                a1 = wv.mul(in[x + pixelStride] - zp).add(a1);
                a2 = wv.mul(in[x + 2 * pixelStride] - zp).add(a2);
                a3 = wv.mul(in[x + 3 * pixelStride] - zp).add(a3);
            }
            a0.intoArray(acc, accOff + oc);
            a1.intoArray(acc, accOff + outC + oc);
            a2.intoArray(acc, accOff + 2 * outC + oc);
            a3.intoArray(acc, accOff + 3 * outC + oc);
        }
        for (int p = 0; p < 4; p++) {
            int b = base + p * pixelStride, o = accOff + p * outC;
            for (int oc = vecC; oc < outC; oc++) {
                int a = bias[oc];
                for (int t = 0, wb = oc; t < per; t++, wb += outC) a += (in[b + taps[t]] - zp) * w[wb];
                acc[o + oc] = a;
            }
        }
    }

    /** a[acc + j] += w · a[src + j] for j < n (ranges that do not overlap). Nothing is carried across iterations. */
    public static void multiplyAdd(int[] a, int acc, int src, int w, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            IntVector.fromArray(S, a, src + j).mul(w).add(IntVector.fromArray(S, a, acc + j)).intoArray(a, acc + j);
        }
        for (; j < n; j++) a[acc + j] += w * a[src + j];
    }
}
