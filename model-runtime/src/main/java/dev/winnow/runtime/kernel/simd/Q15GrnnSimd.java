package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API step of the 16-bit fixed-point FastGRNN cell ({@code Q15FastGrnnCell}, full rank, smooth
 * gates), hidden units across the lanes. The products accumulate in 64-bit lanes (a Q15 weight times a
 * Q12 or Q14 value needs 30 bits, a sum of them more than 32), the gates run in 32-bit lanes, and the
 * sigmoid table is read with gathers, so every lane computes what the scalar cell computes, bit for bit.
 */
public final class Q15GrnnSimd {
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, VectorShape.forBitSize(LL * 32));
    private static final VectorSpecies<Short> SS = VectorSpecies.of(short.class, VectorShape.forBitSize(LL * 16));
    private static final int PRE_FRAC = 11;

    private Q15GrnnSimd() {}

    /** Whether {@code hidden} units fill whole vectors of this JVM's preferred shape. */
    public static boolean fits(int hidden) {
        return hidden % LL == 0;
    }

    /** Int scratch {@link #gates} needs for its gather indices. */
    public static int scratchInts() {
        return LL;
    }

    /**
     * dst[r] (+)= round(Σ_c m[c·hidden + r] · v[vOff + c] · 2^−shift) for r < hidden: the matrix stored
     * column-major and widened to long, rounding half up as {@code Q15.shift}, a negative shift a left shift.
     */
    public static void project(long[] m, int hidden, int n, short[] v, int vOff, int shift, int[] dst, int dstOff, boolean accumulate) {
        for (int g = 0; g < hidden; g += LL) {
            LongVector acc = LongVector.zero(LS);
            for (int c = 0, k = g; c < n; c++, k += hidden) acc = LongVector.fromArray(LS, m, k).mul(v[vOff + c]).add(acc);
            acc = shift > 0 ? acc.add(1L << (shift - 1)).lanewise(VectorOperators.ASHR, shift) : acc.lanewise(VectorOperators.LSHL, -shift);
            IntVector r = (IntVector) acc.convertShape(VectorOperators.L2I, IS, 0);
            if (accumulate) r = r.add(IntVector.fromArray(IS, dst, dstOff + g));
            r.intoArray(dst, dstOff + g);
        }
    }

    /**
     * The gates and the state update, pre-activations (Q11) at {@code pre[preOff..]}, state (Q14) updated
     * in place: z = σ(pre + bg), c = tanh(pre + bh) = 2σ(2(pre + bh)) − 1, h = z·h + (ζ(1 − z) + ν)·c.
     * {@code sigmoid} is the Q15 table over [−8, 8] in steps of 1/16 with one repeated entry past its
     * end; {@code top} is σ's value at and beyond 8. The gate ζ(1 − z) + ν lies between ν and ζ + ν, so
     * max(|ν|, |ζ + ν|) ≤ 65534 keeps the update, gate times c, within 32 bits: every Q15 ζ and ν but the
     * most negative pair.
     */
    public static void gates(int[] pre, int preOff, int[] bg, int[] bh, int[] sigmoid, int top, int zeta, int nu,
                             short[] h, int hOff, int hidden, int[] idx, int idxOff) {
        for (int g = 0; g < hidden; g += LL) {
            IntVector p = IntVector.fromArray(IS, pre, preOff + g);
            IntVector z = sigmoid(p.add(IntVector.fromArray(IS, bg, g)), sigmoid, top, idx, idxOff);
            IntVector c = sigmoid(p.add(IntVector.fromArray(IS, bh, g)).mul(2), sigmoid, top, idx, idxOff).mul(2).sub(1 << 15);
            IntVector hv = (IntVector) ShortVector.fromArray(SS, h, hOff + g).convertShape(VectorOperators.S2I, IS, 0);
            IntVector keep = z.mul(hv);                                                        // Q15 · Q14 = Q29
            IntVector gate = z.neg().add(1 << 15).mul(zeta).add(1 << 14).lanewise(VectorOperators.ASHR, 15).add(nu); // Q15
            IntVector update = gate.mul(c);                                                    // Q30
            IntVector next = keep.add(1 << 14).lanewise(VectorOperators.ASHR, 15)
                    .add(update.add(1 << 15).lanewise(VectorOperators.ASHR, 16))
                    .max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            Vector<Short> s = next.convertShape(VectorOperators.I2S, SS, 0);
            ((ShortVector) s).intoArray(h, hOff + g);
        }
    }

    /** σ of Q11 lanes in Q15: the table interpolated linearly, as the scalar cell does. */
    private static IntVector sigmoid(IntVector x, int[] table, int top, int[] idx, int idxOff) {
        IntVector pos = x.max(-(8 << PRE_FRAC)).min(8 << PRE_FRAC).add(8 << PRE_FRAC).lanewise(VectorOperators.LSHL, 4);
        IntVector at = pos.lanewise(VectorOperators.ASHR, PRE_FRAC);
        IntVector frac = pos.and((1 << PRE_FRAC) - 1);
        at.intoArray(idx, idxOff);
        IntVector a = IntVector.fromArray(IS, table, 0, idx, idxOff);
        IntVector b = IntVector.fromArray(IS, table, 1, idx, idxOff);
        IntVector r = b.sub(a).mul(frac).add(1 << (PRE_FRAC - 1)).lanewise(VectorOperators.ASHR, PRE_FRAC).add(a);
        VectorMask<Integer> beyond = x.compare(VectorOperators.GE, 8 << PRE_FRAC);
        return r.blend(top, beyond);
    }
}
