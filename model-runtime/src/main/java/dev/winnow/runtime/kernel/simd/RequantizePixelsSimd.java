package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.Requantizer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TFLite's per-channel requantization ({@link Requantizer#apply}: the fixed-point multiply, the rounding
 * shift, the zero point and the clamp) on the Vector API, bit for bit, over whole pixels whose channels
 * (innermost) fill whole vectors: each vector holds channels c0 .. c0 + lanes − 1 of one pixel, so the
 * channels' constants are vectors read from arrays laid out by lane. The Q31 product runs in long lanes
 * (the even and the odd int lanes apart, sign-extended by shifts), the rounding division, the offset and
 * the clamp in int lanes. {@link #uniform} gives every lane one channel's constants, for a run of values
 * that share them (a row of one output channel; the int8 add's rescalings).
 *
 * <p>Every constant is a vector made before the loop and every step a {@code lanewise} with a vector
 * operand, written out in one method: on JDK 17 each shorthand (an {@code add(long)}, a helper taking
 * vectors) is more levels of inlining, and past C2's limit the vectors are boxed (measured: 2.4 MB a
 * frame in the detector). Immutable after construction; {@link #apply} allocates nothing and any thread
 * may call it.
 */
public final class RequantizePixelsSimd {
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int L = IS.length();

    private final int channels;
    private final int[] left, right, mask, halfMask;  // by channel
    private final long[] multEven, multOdd;            // the even and the odd channels' multipliers, c / 2 each
    private final int zp, qmin, qmax;

    /** Whether whole pixels of {@code channels} channels fill whole vectors on this JVM (and long and int vectors share a shape). */
    public static boolean fits(int channels) {
        return LS.vectorShape() == IS.vectorShape() && channels % L == 0;
    }

    /** Int lanes per vector: a {@link #uniform} requantizer's pixel. */
    public static int lanes() {
        return L;
    }

    public RequantizePixelsSimd(Requantizer r) {
        this(multipliers(r), shifts(r), r.outZeroPoint(), r.qmin(), r.qmax());
    }

    /**
     * One channel's constants in every lane, for {@link #applyRun}: multiplier {@code mult} (not
     * {@code Integer.MIN_VALUE}) and power-of-two {@code shift} as {@link Requantizer#multiplier} and
     * {@link Requantizer#shift} give them.
     */
    public static RequantizePixelsSimd uniform(int mult, int shift, int zp, int qmin, int qmax) {
        int[] m = new int[L], sh = new int[L];
        java.util.Arrays.fill(m, mult);
        java.util.Arrays.fill(sh, shift);
        return new RequantizePixelsSimd(m, sh, zp, qmin, qmax);
    }

    private static int[] multipliers(Requantizer r) {
        int[] m = new int[r.channels()];
        for (int c = 0; c < m.length; c++) m[c] = r.multiplier(c);
        return m;
    }

    private static int[] shifts(Requantizer r) {
        int[] s = new int[r.channels()];
        for (int c = 0; c < s.length; c++) s[c] = r.shift(c);
        return s;
    }

    private RequantizePixelsSimd(int[] mult, int[] shift, int zp, int qmin, int qmax) {
        int n = mult.length;
        if (!fits(n)) throw new IllegalArgumentException(n + " channels do not fill whole vectors of " + L + " lanes");
        this.channels = n;
        this.left = new int[n];
        this.right = new int[n];
        this.mask = new int[n];
        this.halfMask = new int[n];
        this.multEven = new long[n / 2];
        this.multOdd = new long[n / 2];
        for (int c = 0; c < n; c++) {
            int s = shift[c], rs = s > 0 ? 0 : -s;
            left[c] = s > 0 ? s : 0;
            right[c] = rs;
            mask[c] = (1 << rs) - 1;
            halfMask[c] = mask[c] >> 1;
            // the chunk from c0 (a multiple of L) takes its even lanes' multipliers from c0 / 2 of multEven, its odd lanes' from multOdd
            (c % 2 == 0 ? multEven : multOdd)[c / 2] = mult[c];
        }
        this.zp = zp;
        this.qmin = qmin;
        this.qmax = qmax;
    }

    /**
     * A {@link #uniform} requantizer over a run: the first {@code n} values at {@code acc[off ..]}, whole
     * vectors only, in place. Returns how many it did (n rounded down to the lanes); the caller finishes
     * the rest with the scalar formula.
     */
    public int applyRun(int[] acc, int off, int n) {
        apply(acc, off, n / L);
        return n - n % L;
    }

    /** {@link #apply}, then the int8 values written to {@code out[outOff ..]}, pixels in order (the accumulators are overwritten). */
    public void applyTo(int[] acc, int off, int pixels, byte[] out, int outOff) {
        apply(acc, off, pixels);
        for (int k = 0, n = pixels * channels; k < n; k++) out[outOff + k] = (byte) acc[off + k];
    }

    /** Requantizes {@code pixels} whole pixels of accumulators at {@code acc[off ..]} in place: each then holds its int8 value. */
    public void apply(int[] acc, int off, int pixels) {
        final LongVector s32 = LongVector.broadcast(LS, 32), s63 = LongVector.broadcast(LS, 63);
        final LongVector s33 = LongVector.broadcast(LS, 33), s31 = LongVector.broadcast(LS, 31);
        final LongVector nudge = LongVector.broadcast(LS, 1L << 30), neg = LongVector.broadcast(LS, (1L << 31) - 1);
        final LongVector low = LongVector.broadcast(LS, 0xFFFF_FFFFL);
        final IntVector i31 = IntVector.broadcast(IS, 31), zpV = IntVector.broadcast(IS, zp);
        final IntVector lo = IntVector.broadcast(IS, qmin), hi = IntVector.broadcast(IS, qmax);
        for (int c0 = 0; c0 < channels; c0 += L) {
            final IntVector leftV = IntVector.fromArray(IS, left, c0), rightV = IntVector.fromArray(IS, right, c0);
            final IntVector maskV = IntVector.fromArray(IS, mask, c0), halfV = IntVector.fromArray(IS, halfMask, c0);
            final LongVector mE = LongVector.fromArray(LS, multEven, c0 / 2), mO = LongVector.fromArray(LS, multOdd, c0 / 2);
            for (int p = 0, at = off + c0; p < pixels; p++, at += channels) {
                // written out, no helper and no shorthand (add, sub, and): each level saved keeps JDK 17's C2
                // under its inlining limit, past which it boxes every vector here
                LongVector pairs = IntVector.fromArray(IS, acc, at).lanewise(VectorOperators.LSHL, leftV).reinterpretAsLongs();
                LongVector e = pairs.lanewise(VectorOperators.LSHL, s32).lanewise(VectorOperators.ASHR, s32).lanewise(VectorOperators.MUL, mE);
                e = e.lanewise(VectorOperators.ADD, nudge).lanewise(VectorOperators.SUB, e.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.AND, neg));
                e = e.lanewise(VectorOperators.ADD, e.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.LSHR, s33)).lanewise(VectorOperators.ASHR, s31);
                LongVector o = pairs.lanewise(VectorOperators.ASHR, s32).lanewise(VectorOperators.MUL, mO);
                o = o.lanewise(VectorOperators.ADD, nudge).lanewise(VectorOperators.SUB, o.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.AND, neg));
                o = o.lanewise(VectorOperators.ADD, o.lanewise(VectorOperators.ASHR, s63).lanewise(VectorOperators.LSHR, s33)).lanewise(VectorOperators.ASHR, s31);
                IntVector h = e.lanewise(VectorOperators.AND, low).lanewise(VectorOperators.OR, o.lanewise(VectorOperators.LSHL, s32)).reinterpretAsInts();
                IntVector up = halfV.lanewise(VectorOperators.ADD, h.lanewise(VectorOperators.LSHR, i31))
                        .lanewise(VectorOperators.SUB, h.lanewise(VectorOperators.AND, maskV)).lanewise(VectorOperators.LSHR, i31);
                h.lanewise(VectorOperators.ASHR, rightV).lanewise(VectorOperators.ADD, up).lanewise(VectorOperators.ADD, zpV)
                        .lanewise(VectorOperators.MAX, lo).lanewise(VectorOperators.MIN, hi).intoArray(acc, at);
            }
        }
    }

}
