package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Q15 FastGRNN products and gates of many independent sequences at once, one sequence per int
 * lane (the int8 RNNPool runs a group of patches this way: lane l is patch l of the group). Every
 * array is lane-major: element i of sequence l at {@code [i · lanes() + l]}, so each value of a step is
 * one vector load and every weight one broadcast.
 *
 * <p>A Q15 weight times a 16-bit value needs 31 bits and a sum of them more than 32, so the products
 * split each 16-bit value v as 256·hi + lo in registers (hi = v >> 8 in [−128, 127], lo = v & 255): the
 * sums of w·hi and of w·lo over up to 256 terms both fit in 32 bits, and the rounding shift of
 * 256·ΣHi + ΣLo is taken exactly without 64-bit lanes ({@link #project}). The results are those of the cell's scalar
 * loops (64-bit sums, {@code Q15.shift}), bit for bit, with twice the lanes of a long vector.
 *
 * <p>Stateless; any thread. Vectors never cross a call here: each method is one loop nest over arrays
 * (on JDK 17 a vector passed to a call C2 did not inline is boxed).
 */
public final class Q15LanesSimd {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = I.length();
    private static final int PRE_FRAC = 11;

    private Q15LanesSimd() {}

    /** Sequences per vector: the lanes of the preferred int shape, the one every int kernel uses. */
    public static int lanes() {
        return L;
    }

    /**
     * dst[o] = add[o] + round(Σ_k m[o·n + k] · v[k] · 2^−shift) for o < rows, every lane, with v[k] at
     * {@code v[vOff + k·L ..]} (16-bit values held in ints), add[o] at {@code add[addOff + o·L ..]} (none
     * when {@code add} is null), and the rounding half up as {@code Q15.shift} (a shift ≤ 0 is a left
     * shift; the result is the low 32 bits, as the scalar cell's cast). Needs n ≤ 256 and shift ≤ 20 so
     * the split sums and the rounding fit in 32 bits. {@code dst} may be {@code add}, not {@code v}.
     */
    public static void project(int[] m, int rows, int n, int[] v, int vOff, int shift, int[] add, int addOff, int[] dst, int dstOff) {
        // one form for every shift, r = ((a << l1) + (((b + half) >> r1) << l2)) >> r2, so no vector merges at a branch:
        // s ≥ 8: floor((256a + b + half) / 2^s) = floor((a + floor((b + half) / 256)) / 2^(s−8));
        // 0 < s < 8: 256a / 2^s is whole, a·2^(8−s) + floor((b + half) / 2^s);
        // s ≤ 0: (256a + b)·2^−s. All modulo 2^32, as the scalar cell's cast of its 64-bit result.
        final int l1 = shift >= 8 ? 0 : 8 - shift, r1 = shift >= 8 ? 8 : Math.max(shift, 0);
        final int l2 = Math.max(-shift, 0), r2 = Math.max(shift - 8, 0);
        final IntVector half = IntVector.broadcast(I, shift > 0 ? 1 << (shift - 1) : 0);
        final IntVector l1v = IntVector.broadcast(I, l1), r1v = IntVector.broadcast(I, r1), l2v = IntVector.broadcast(I, l2), r2v = IntVector.broadcast(I, r2);
        final IntVector s8 = IntVector.broadcast(I, 8), byteMask = IntVector.broadcast(I, 255);
        for (int o = 0; o < rows; o++) {
            IntVector a = IntVector.zero(I);
            IntVector b = IntVector.zero(I);
            for (int k = 0, w = o * n; k < n; k++, w++) {
                IntVector weight = IntVector.broadcast(I, m[w]);
                IntVector x = IntVector.fromArray(I, v, vOff + k * L);
                a = a.lanewise(VectorOperators.ADD, weight.lanewise(VectorOperators.MUL, x.lanewise(VectorOperators.ASHR, s8)));
                b = b.lanewise(VectorOperators.ADD, weight.lanewise(VectorOperators.MUL, x.lanewise(VectorOperators.AND, byteMask)));
            }
            IntVector r = a.lanewise(VectorOperators.LSHL, l1v)
                    .add(b.add(half).lanewise(VectorOperators.ASHR, r1v).lanewise(VectorOperators.LSHL, l2v))
                    .lanewise(VectorOperators.ASHR, r2v);
            if (add != null) {
                r.add(IntVector.fromArray(I, add, addOff + o * L)).intoArray(dst, dstOff + o * L);
            } else {
                r.intoArray(dst, dstOff + o * L);
            }
        }
    }

    /**
     * The gates and state update of {@code seqs · hidden} units, unit u of sequence s at
     * {@code [(s·hidden + u)·L ..]}: pre-activations (Q11) at {@code pre}, states (Q14) at {@code h},
     * updated in place. z = σ(pre + bg[u]), c = 2σ(2(pre + bh[u])) − 1,
     * h = z·h + (ζ(1 − z) + ν)·c. σ is the cell's: its 257-point table over [−8, 8] in Q15, interpolated
     * linearly with rounding, here from {@code pairs}, entry i = σ_i | (σ_{i+1} − σ_i) << 16 (a table of
     * 1 KB stays in the first-level cache, where one of every Q11 value, 128 KB, did not, and one read
     * gives both ends), read lane by lane through {@code idx} (2·L ints from {@code idxOff}). The caller has checked max(|ν|, |ζ + ν|) ≤ 65534, so the update fits in 32 bits.
     */
    public static void gates(int[] pre, int preOff, int[] bg, int[] bh, int hidden, int seqs, int[] pairs, int zeta, int nu,
                             int[] h, int hOff, int[] idx, int idxOff) {
        final int sat = 8 << PRE_FRAC;
        final IntVector min = IntVector.broadcast(I, -sat), max = IntVector.broadcast(I, sat);
        final IntVector one = IntVector.broadcast(I, 1 << 15), halfQ15 = IntVector.broadcast(I, 1 << 14);
        final IntVector zetaV = IntVector.broadcast(I, zeta), nuV = IntVector.broadcast(I, nu);
        final IntVector low = IntVector.broadcast(I, Short.MIN_VALUE), high = IntVector.broadcast(I, Short.MAX_VALUE);
        final IntVector lowHalf = IntVector.broadcast(I, 0xFFFF), step = IntVector.broadcast(I, 127), round = IntVector.broadcast(I, 64);
        final IntVector s1 = IntVector.broadcast(I, 1), s7 = IntVector.broadcast(I, 7);
        final IntVector s15 = IntVector.broadcast(I, 15), s16 = IntVector.broadcast(I, 16);
        final int zAt = idxOff, cAt = idxOff + L;
        for (int s = 0, at = 0; s < seqs; s++) {
            for (int u = 0; u < hidden; u++, at += L) {
                IntVector p = IntVector.fromArray(I, pre, preOff + at);
                IntVector zx = p.add(IntVector.broadcast(I, bg[u])).max(min).min(max).add(max);
                IntVector cx = p.add(IntVector.broadcast(I, bh[u])).lanewise(VectorOperators.LSHL, s1).max(min).min(max).add(max);
                // the table is read lane by lane, not by a gather: on the AMD cores measured a 16-lane gather cost
                // about as much as its 16 scalar loads, and the scalar loop needs no Vector API call to stay unboxed
                zx.lanewise(VectorOperators.ASHR, s7).intoArray(idx, zAt);
                cx.lanewise(VectorOperators.ASHR, s7).intoArray(idx, cAt);
                for (int j = zAt; j < zAt + 2 * L; j++) idx[j] = pairs[idx[j]];
                IntVector zt = IntVector.fromArray(I, idx, zAt), ct = IntVector.fromArray(I, idx, cAt);
                IntVector z = zt.and(lowHalf).add(zt.lanewise(VectorOperators.ASHR, s16).mul(zx.and(step)).add(round).lanewise(VectorOperators.ASHR, s7));
                IntVector c = ct.and(lowHalf).add(ct.lanewise(VectorOperators.ASHR, s16).mul(cx.and(step)).add(round).lanewise(VectorOperators.ASHR, s7))
                        .lanewise(VectorOperators.LSHL, s1).sub(one);
                IntVector keep = z.mul(IntVector.fromArray(I, h, hOff + at));                             // Q15 · Q14 = Q29
                IntVector gate = one.sub(z).mul(zetaV).add(halfQ15).lanewise(VectorOperators.ASHR, s15).add(nuV); // Q15
                IntVector update = gate.mul(c);                                                            // Q30
                IntVector next = keep.add(halfQ15).lanewise(VectorOperators.ASHR, s15)
                        .add(update.add(one).lanewise(VectorOperators.ASHR, s16))
                        .max(low).min(high);
                next.intoArray(h, hOff + at);
            }
        }
    }
}
