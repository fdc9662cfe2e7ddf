package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.DepthwiseTaps;
import dev.winnow.runtime.kernel.base.Requantizer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 depthwise convolution (multiplier 1, at least one vector of channels), the int8
 * twin of {@link DepthwiseSimd}: channels across int lanes, each tap's input bytes widened by one
 * conversion with the zero point subtracted, and four neighbouring output pixels of a row sharing
 * each filter vector where their windows lie inside the input. The int32 sums land in the scratch,
 * and each pixel's channels become int8 through {@link RequantizeSimd} or, where the caller passes
 * none, the scalar {@link Requantizer}. Integer lanes wrap as Java's int arithmetic does, so the
 * results are the reference loops' bit for bit. Channels past the last whole vector are the vector at
 * {@code channels − L}, recomputed with the same sums. Stateless.
 */
public final class DepthwiseInt8Simd {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * Byte.SIZE));
    private static final int L = S.length();

    private DepthwiseInt8Simd() {}

    public static int lanes() {
        return L;
    }

    /** Scratch ints {@link #depthwise} needs: four pixels' sums. */
    public static int scratchInts(ConvGeometry g) {
        return 4 * g.outC();
    }

    /**
     * The whole convolution; {@code w} is the filter widened to int, {@code taps} tabulated for
     * {@code g}; {@code rq} the general vector requantizer or null, {@code rqPixels} the whole-pixel one or null (used
     * first); {@code s} needs {@link #scratchInts} ints from {@code sOff}.
     */
    public static void depthwise(ConvGeometry g, int[] w, int[] bias, int zp, Requantizer scalar, RequantizeSimd rq, RequantizePixelsSimd rqPixels,
                                 DepthwiseTaps taps,
                                 byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        final int c = g.outC(), inW = g.inW(), inH = g.inH(), kH = g.kH(), outW = g.outW(), rowLen = inW * c;
        final int nv = (c + L - 1) / L, ps = g.strideW() * c, fullTo = taps.fullTo;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * g.strideH() - g.padTop();
            int kh0 = Math.max(0, -ih0), kh1 = Math.min(kH, inH - ih0), rows = inOff + ih0 * rowLen;
            // scratch row kh holds input row ih0 + kh, so the tap offsets apply unchanged
            int o = outOff + oh * outW * c;
            int ow = 0;
            for (; ow < outW && !(ow >= taps.fullFrom && ow + 4 <= fullTo); ow++) {
                pixel(w, bias, zp, taps, taps.first(ow, kh0), taps.first(ow, kh1), in, s, rows + (ow * g.strideW() - g.padLeft()) * c, sOff, nv, c);
                requantize(scalar, rq, rqPixels, s, sOff, 1, c, out, o + ow * c);
            }
            for (; ow + 4 <= fullTo; ow += 4) {
                int t0 = taps.first(ow, kh0), t1 = taps.first(ow, kh1);
                int base = rows + (ow * g.strideW() - g.padLeft()) * c;
                for (int v = 0; v < nv; v++) {
                    int ch = Math.min(v * L, c - L);
                    block4(w, bias, zp, taps.in, taps.filter, t0, t1, in, s, base + ch, ps, sOff + ch, c, ch);
                }
                requantize(scalar, rq, rqPixels, s, sOff, 4, c, out, o + ow * c);
            }
            for (; ow < outW; ow++) {
                pixel(w, bias, zp, taps, taps.first(ow, kh0), taps.first(ow, kh1), in, s, rows + (ow * g.strideW() - g.padLeft()) * c, sOff, nv, c);
                requantize(scalar, rq, rqPixels, s, sOff, 1, c, out, o + ow * c);
            }
        }
    }

    /** {@code pixels} pixels' c sums each from {@code s[a]} as int8 at {@code out[o]}: on a vector requantizer when there is one. */
    private static void requantize(Requantizer scalar, RequantizeSimd rq, RequantizePixelsSimd rqPixels, int[] s, int a, int pixels, int c,
                                   byte[] out, int o) {
        if (rqPixels != null) {
            rqPixels.applyTo(s, a, pixels, out, o);
            return;
        }
        for (int p = 0; p < pixels; p++) {
            if (rq != null) {
                rq.apply(s, a + p * c, 0, c, out, o + p * c);
            } else {
                for (int k = 0; k < c; k++) out[o + p * c + k] = scalar.apply(s[a + p * c + k], k);
            }
        }
    }

    /**
     * One pixel's sums (a pixel whose window crosses the border), summed in the scratch tap by tap: no vector is
     * carried round the tap loop inside the channel loop, and no helper returns one. On JDK 17 C2 compiled that
     * nest to boxing code in about one JVM in three (1.07 MB a frame of the detector, all of it here).
     */
    private static void pixel(int[] w, int[] bias, int zp, DepthwiseTaps taps, int t0, int t1, byte[] in, int[] s, int base, int sOff, int nv, int c) {
        final int[] tapIn = taps.in, tapW = taps.filter;
        // a last vector that overlaps the one before (c not a multiple of L) sums apart, just past the c sums
        // (the scratch holds four pixels' worth), then overwrites the overlap with the same values
        final int tail = c % L == 0 ? -1 : nv - 1;
        for (int v = 0; v < nv; v++) {
            int ch = Math.min(v * L, c - L);
            System.arraycopy(bias, ch, s, v == tail ? sOff + c : sOff + ch, L);
        }
        for (int t = t0; t < t1; t++) {
            int x = base + tapIn[t], k = tapW[t];
            for (int v = 0; v < nv; v++) {
                int ch = Math.min(v * L, c - L), d = v == tail ? sOff + c : sOff + ch;
                IntVector xv = (IntVector) ByteVector.fromArray(B, in, x + ch).convertShape(VectorOperators.B2I, S, 0);
                xv.sub(zp).mul(IntVector.fromArray(S, w, k + ch)).add(IntVector.fromArray(S, s, d)).intoArray(s, d);
            }
        }
        if (tail >= 0) System.arraycopy(s, sOff + c, s, sOff + c - L, L);
    }

    private static void block4(int[] w, int[] bias, int zp, int[] tapIn, int[] tapW, int t0, int t1, byte[] in, int[] s, int xb, int ps, int o, int c, int ch) {
        IntVector a0 = IntVector.fromArray(S, bias, ch), a1 = IntVector.fromArray(S, bias, ch);
        IntVector a2 = IntVector.fromArray(S, bias, ch), a3 = IntVector.fromArray(S, bias, ch);
        for (int t = t0; t < t1; t++) {
            IntVector wv = IntVector.fromArray(S, w, tapW[t] + ch);
            int xi = xb + tapIn[t];
            // the widening written out, not a helper returning a vector: one C2 did not inline would box it
            a0 = ((IntVector) ByteVector.fromArray(B, in, xi).convertShape(VectorOperators.B2I, S, 0)).sub(zp).mul(wv).add(a0);
            a1 = ((IntVector) ByteVector.fromArray(B, in, xi + ps).convertShape(VectorOperators.B2I, S, 0)).sub(zp).mul(wv).add(a1);
            a2 = ((IntVector) ByteVector.fromArray(B, in, xi + 2 * ps).convertShape(VectorOperators.B2I, S, 0)).sub(zp).mul(wv).add(a2);
            a3 = ((IntVector) ByteVector.fromArray(B, in, xi + 3 * ps).convertShape(VectorOperators.B2I, S, 0)).sub(zp).mul(wv).add(a3);
        }
        a0.intoArray(s, o);
        a1.intoArray(s, o + c);
        a2.intoArray(s, o + 2 * c);
        a3.intoArray(s, o + 3 * c);
    }
}
