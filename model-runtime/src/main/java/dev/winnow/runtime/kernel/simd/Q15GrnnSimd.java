package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
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
    // 128-bit vectors (2 longs) leave the cell on plain loops (fits is false)
    private static final boolean USABLE = LL >= 4;
    // the gates' int and short lanes: the preferred int shape (see gates)
    private static final VectorSpecies<Integer> BI = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> BS = VectorSpecies.of(short.class, VectorShape.forBitSize(BI.length() * 16));
    private static final int BL = BI.length();
    private static final int PRE_FRAC = 11;

    private Q15GrnnSimd() {}

    /** Whether {@code hidden} units fill whole vectors of this JVM's preferred shape (of at least four longs). */
    public static boolean fits(int hidden) {
        return USABLE && hidden % LL == 0;
    }

    /** Int scratch {@link #project} needs: one long vector's worth. */
    public static int productScratchInts() {
        return 2 * LL;
    }

    /**
     * dst[r] (+)= round(Σ_c m[c·hidden + r] · v[vOff + c] · 2^−shift) for r < hidden: the matrix stored
     * column-major and widened to long, rounding half up as {@code Q15.shift}, a negative shift a left shift.
     * {@code tmp} holds {@link #productScratchInts} ints from {@code tmpOff}.
     */
    public static void project(long[] m, int hidden, int n, short[] v, int vOff, int shift, int[] dst, int dstOff, boolean accumulate,
                               int[] tmp, int tmpOff) {
        final long half = shift > 0 ? 1L << (shift - 1) : 0;
        final int right = Math.max(shift, 0), left = Math.max(-shift, 0);
        for (int g = 0; g < hidden; g += LL) {
            sums(m, hidden, n, v, vOff, g, half, right, left, tmp, tmpOff);
            evenLanes(tmp, tmpOff, dst, dstOff + g, accumulate);
        }
    }

    /**
     * {@link #project} of {@code batch} vectors at once, vector b at {@code v[vOff + b·vStride ..]} and its
     * sums at {@code dst[dstOff + b·hidden ..]}, for a matrix of exactly one vector's rows
     * ({@code hidden == } the long lanes; else each vector alone): four sequences share each column's
     * load and keep four accumulators in registers, and one call replaces a call per sequence.
     */
    public static void projectBatch(long[] m, int hidden, int n, short[] v, int vOff, int vStride, int batch, int shift,
                                    int[] dst, int dstOff, boolean accumulate, int[] tmp, int tmpOff) {
        int b = 0;
        if (hidden == LL) {
            final long half = shift > 0 ? 1L << (shift - 1) : 0;
            final int right = Math.max(shift, 0), left = Math.max(-shift, 0);
            for (; b + 4 <= batch; b += 4) {
                int v0 = vOff + b * vStride;
                // four accumulators made apart, every step a lanewise with a vector operand, and the epilogue
                // written out here rather than in a helper taking a vector: in a Flink TaskManager's JVM on
                // JDK 17 the shorter form (one zero shared by four names, mul(long), a finish(vector, ..)
                // helper) compiled to boxing code, 60 KB a frame of the person detector
                LongVector a0 = LongVector.zero(LS), a1 = LongVector.zero(LS), a2 = LongVector.zero(LS), a3 = LongVector.zero(LS);
                for (int c = 0; c < n; c++) {
                    LongVector col = LongVector.fromArray(LS, m, c * LL);
                    a0 = a0.lanewise(VectorOperators.ADD, col.lanewise(VectorOperators.MUL, LongVector.broadcast(LS, v[v0 + c])));
                    a1 = a1.lanewise(VectorOperators.ADD, col.lanewise(VectorOperators.MUL, LongVector.broadcast(LS, v[v0 + vStride + c])));
                    a2 = a2.lanewise(VectorOperators.ADD, col.lanewise(VectorOperators.MUL, LongVector.broadcast(LS, v[v0 + 2 * vStride + c])));
                    a3 = a3.lanewise(VectorOperators.ADD, col.lanewise(VectorOperators.MUL, LongVector.broadcast(LS, v[v0 + 3 * vStride + c])));
                }
                LongVector h = LongVector.broadcast(LS, half);
                a0.lanewise(VectorOperators.ADD, h).lanewise(VectorOperators.ASHR, right).lanewise(VectorOperators.LSHL, left).reinterpretAsInts().intoArray(tmp, tmpOff);
                evenLanes(tmp, tmpOff, dst, dstOff + b * LL, accumulate);
                a1.lanewise(VectorOperators.ADD, h).lanewise(VectorOperators.ASHR, right).lanewise(VectorOperators.LSHL, left).reinterpretAsInts().intoArray(tmp, tmpOff);
                evenLanes(tmp, tmpOff, dst, dstOff + (b + 1) * LL, accumulate);
                a2.lanewise(VectorOperators.ADD, h).lanewise(VectorOperators.ASHR, right).lanewise(VectorOperators.LSHL, left).reinterpretAsInts().intoArray(tmp, tmpOff);
                evenLanes(tmp, tmpOff, dst, dstOff + (b + 2) * LL, accumulate);
                a3.lanewise(VectorOperators.ADD, h).lanewise(VectorOperators.ASHR, right).lanewise(VectorOperators.LSHL, left).reinterpretAsInts().intoArray(tmp, tmpOff);
                evenLanes(tmp, tmpOff, dst, dstOff + (b + 3) * LL, accumulate);
            }
        }
        for (; b < batch; b++) project(m, hidden, n, v, vOff + b * vStride, shift, dst, dstOff + b * hidden, accumulate, tmp, tmpOff);
    }

    /**
     * One long vector's sums, stored at {@code tmp[tmpOff ..]} as the int reinterpretation of its lanes,
     * written (or added) to {@code dst[dstOff .. + LL)}: the sums fit in 32 bits, and each long lane's low
     * half is the even int lane.
     */
    private static void evenLanes(int[] tmp, int tmpOff, int[] dst, int dstOff, boolean accumulate) {
        if (accumulate) {
            for (int j = 0; j < LL; j++) dst[dstOff + j] += tmp[tmpOff + 2 * j];
        } else {
            for (int j = 0; j < LL; j++) dst[dstOff + j] = tmp[tmpOff + 2 * j];
        }
    }

    /**
     * Rows g.. of the product, rounded and shifted, stored as the int reinterpretation of their long
     * lanes. No narrowing conversion: on JDK 17 one to an int vector of another shape made C2 box every
     * int kernel's vectors in the JVM, and one to the preferred shape ran on the slow fallback.
     */
    private static void sums(long[] m, int hidden, int n, short[] v, int vOff, int g, long half, int right, int left, int[] tmp, int tmpOff) {
        // the form of projectBatch's loop (lanewise with vector operands), which JDK 17 keeps unboxed where the shorthand was not
        LongVector acc = LongVector.zero(LS);
        for (int c = 0, k = g; c < n; c++, k += hidden) {
            acc = acc.lanewise(VectorOperators.ADD, LongVector.fromArray(LS, m, k).lanewise(VectorOperators.MUL, LongVector.broadcast(LS, v[vOff + c])));
        }
        acc.lanewise(VectorOperators.ADD, LongVector.broadcast(LS, half)).lanewise(VectorOperators.ASHR, right).lanewise(VectorOperators.LSHL, left)
                .reinterpretAsInts().intoArray(tmp, tmpOff);
    }

    /** Units per vector of {@link #gates}: {@code n} must be a multiple of it. */
    public static int gateLanes() {
        return BL;
    }

    /** Int scratch {@link #gates} needs: the two gates' gather indices. */
    public static int gateScratchInts() {
        return 2 * BL;
    }

    /**
     * The gates and the state update of {@code n} units (n a multiple of {@link #gateLanes}), one
     * sequence's or several sequences' side by side: pre-activations (Q11) at {@code pre[preOff..]},
     * states (Q14) updated in place: z = σ(pre + bg), c = tanh(pre + bh) = 2σ(2(pre + bh)) − 1,
     * h = z·h + (ζ(1 − z) + ν)·c. Unit i takes the biases at {@code i % reps} of {@code bg} and
     * {@code bh}, which hold the cell's biases repeated to {@code reps} entries, a multiple of both the
     * hidden size and the lanes. {@code sigmoid} is σ in Q15 of every Q11 value in [−8, 8], from
     * index 0 for −8 (the cell's full table), so a gate is a clamp and one gather. The gate ζ(1 − z) + ν
     * lies between ν and ζ + ν, so max(|ν|, |ζ + ν|) ≤ 65534 keeps the update within 32 bits. On the
     * preferred int shape, the one every int kernel uses: on JDK 17 a second int shape in the JVM made
     * C2 box the vectors of both. The constants are vectors made once, before the loop.
     */
    public static void gates(int[] pre, int preOff, int[] bg, int[] bh, int reps, int[] sigmoid, int zeta, int nu,
                             short[] h, int hOff, int n, int[] idx, int idxOff) {
        final int sat = 8 << PRE_FRAC;
        final IntVector lo = IntVector.broadcast(BI, -sat), hi = IntVector.broadcast(BI, sat);
        final IntVector one = IntVector.broadcast(BI, 1 << 15), halfQ15 = IntVector.broadcast(BI, 1 << 14);
        final IntVector zetaV = IntVector.broadcast(BI, zeta), nuV = IntVector.broadcast(BI, nu);
        final IntVector s15 = IntVector.broadcast(BI, 15), s16 = IntVector.broadcast(BI, 16), s1 = IntVector.broadcast(BI, 1);
        final IntVector min = IntVector.broadcast(BI, Short.MIN_VALUE), max = IntVector.broadcast(BI, Short.MAX_VALUE);
        final int zAt = idxOff, cAt = idxOff + BL;
        for (int i = 0; i < n; i += BL) {
            int b = i % reps;
            IntVector p = IntVector.fromArray(BI, pre, preOff + i);
            // the gather's indices go through int scratch: a vector that crosses a call C2 did not inline is boxed
            p.add(IntVector.fromArray(BI, bg, b)).max(lo).min(hi).add(hi).intoArray(idx, zAt);
            p.add(IntVector.fromArray(BI, bh, b)).lanewise(VectorOperators.LSHL, s1).max(lo).min(hi).add(hi).intoArray(idx, cAt);
            IntVector z = IntVector.fromArray(BI, sigmoid, 0, idx, zAt);
            IntVector c = IntVector.fromArray(BI, sigmoid, 0, idx, cAt).lanewise(VectorOperators.LSHL, s1).sub(one);
            IntVector hv = (IntVector) ShortVector.fromArray(BS, h, hOff + i).convertShape(VectorOperators.S2I, BI, 0);
            IntVector keep = z.mul(hv);                                                        // Q15 · Q14 = Q29
            IntVector gate = one.sub(z).mul(zetaV).add(halfQ15).lanewise(VectorOperators.ASHR, s15).add(nuV); // Q15
            IntVector update = gate.mul(c);                                                    // Q30
            IntVector next = keep.add(halfQ15).lanewise(VectorOperators.ASHR, s15)
                    .add(update.add(one).lanewise(VectorOperators.ASHR, s16))
                    .max(min).min(max);
            ((ShortVector) next.convertShape(VectorOperators.I2S, BS, 0)).intoArray(h, hOff + i);
        }
    }
}
