package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TFLite's requantization ({@code FixedPoint.multiplyByQuantizedMultiplier}, then the zero point and
 * the clamp) of a run of accumulators that share one channel's multiplier and shift: a row of one
 * output channel, as the by-rows convolution produces. Bit for bit the scalar formula, lane by lane:
 * the Q31 product in long lanes (the even and the odd int lanes apart, sign-extended by shifts), the
 * rounding division by the power of two, the offset and the clamp in int lanes.
 *
 * <p>Every constant is a vector made once per call, before the loop, and every step is a
 * {@code lanewise} with a vector operand, written out in one method: on JDK 17 each shorthand (an
 * {@code add(long)}, a helper taking vectors) is more levels of inlining, and past C2's limit the
 * vectors are boxed (measured: 2.4 MB a frame in the detector). Stateless; any thread may call it.
 */
public final class RequantizeRunSimd {
    // the preferred int shape, the one every int kernel uses (JDK 17 boxes the vectors of a JVM that runs two)
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int L = IS.length();
    private static final boolean USABLE = LS.vectorShape() == IS.vectorShape();

    private RequantizeRunSimd() {}

    /** Int lanes per vector: {@link #apply} does whole multiples of it. */
    public static int lanes() {
        return L;
    }

    /** Whether this JVM's preferred long and int vectors have one shape (the even/odd split needs it). */
    public static boolean usable() {
        return USABLE;
    }

    /**
     * Requantizes {@code acc[off ..]} in place, whole vectors only, up to {@code n} values: each becomes
     * clamp(multiplyByQuantizedMultiplier(acc, mult, shift) + zp, qmin, qmax). Returns how many it did
     * (a multiple of the lanes); the caller finishes the rest with the scalar formula. {@code mult}
     * must not be {@code Integer.MIN_VALUE} (the one case the scalar formula treats apart).
     */
    public static int apply(int[] acc, int off, int n, int mult, int shift, int zp, int qmin, int qmax) {
        final int whole = IS.loopBound(n), right = shift > 0 ? 0 : -shift;
        final IntVector left = IntVector.broadcast(IS, shift > 0 ? shift : 0);
        final LongVector m = LongVector.broadcast(LS, mult), s32 = LongVector.broadcast(LS, 32), s63 = LongVector.broadcast(LS, 63);
        final LongVector s33 = LongVector.broadcast(LS, 33), s31 = LongVector.broadcast(LS, 31);
        final LongVector nudge = LongVector.broadcast(LS, 1L << 30), neg = LongVector.broadcast(LS, (1L << 31) - 1);
        final LongVector low = LongVector.broadcast(LS, 0xFFFF_FFFFL);
        final IntVector rightV = IntVector.broadcast(IS, right), mask = IntVector.broadcast(IS, (1 << right) - 1);
        final IntVector halfMask = IntVector.broadcast(IS, ((1 << right) - 1) >> 1), i31 = IntVector.broadcast(IS, 31);
        final IntVector zpV = IntVector.broadcast(IS, zp), lo = IntVector.broadcast(IS, qmin), hi = IntVector.broadcast(IS, qmax);
        for (int k = 0; k < whole; k += L) {
            // written out as RequantizePixelsSimd's: no helper and no shorthand, to stay under JDK 17's inlining limit
            LongVector pairs = IntVector.fromArray(IS, acc, off + k).lanewise(VectorOperators.LSHL, left).reinterpretAsLongs();
            LongVector e = pairs.lanewise(VectorOperators.LSHL, s32).lanewise(VectorOperators.ASHR, s32).lanewise(VectorOperators.MUL, m);
            e = e.lanewise(VectorOperators.ADD, nudge).lanewise(VectorOperators.SUB, e.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.AND, neg));
            e = e.lanewise(VectorOperators.ADD, e.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.LSHR, s33)).lanewise(VectorOperators.ASHR, s31);
            LongVector o = pairs.lanewise(VectorOperators.ASHR, s32).lanewise(VectorOperators.MUL, m);
            o = o.lanewise(VectorOperators.ADD, nudge).lanewise(VectorOperators.SUB, o.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.AND, neg));
            o = o.lanewise(VectorOperators.ADD, o.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.LSHR, s33)).lanewise(VectorOperators.ASHR, s31);
            IntVector h = e.lanewise(VectorOperators.AND, low).lanewise(VectorOperators.OR, o.lanewise(VectorOperators.LSHL, s32)).reinterpretAsInts();
            // the rounding division by 2^right: one more when the remainder passes half (half + 1 below zero)
            IntVector up = halfMask.lanewise(VectorOperators.ADD, h.lanewise(VectorOperators.LSHR, i31))
                    .lanewise(VectorOperators.SUB, h.lanewise(VectorOperators.AND, mask)).lanewise(VectorOperators.LSHR, i31);
            h.lanewise(VectorOperators.ASHR, rightV).lanewise(VectorOperators.ADD, up).lanewise(VectorOperators.ADD, zpV)
                    .lanewise(VectorOperators.MAX, lo).lanewise(VectorOperators.MIN, hi).intoArray(acc, off + k);
        }
        return whole;
    }
}
