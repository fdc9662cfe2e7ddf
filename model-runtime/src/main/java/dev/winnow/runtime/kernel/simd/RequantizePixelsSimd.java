package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.Requantizer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TFLite's per-channel requantization of whole pixels (every output channel of each, channels
 * innermost) on the Vector API, bit for bit {@link Requantizer#apply}: for a channel count that is a
 * multiple of the int lanes, each vector holds channels c0 .. c0 + lanes − 1 of one pixel, so the
 * channels' constants are vectors read from arrays laid out by lane. The arithmetic is
 * {@link RequantizeRunSimd}'s with per-lane constants: the Q31 product in long lanes (even and odd int
 * lanes apart), the rounding division, the offset and the clamp in int lanes, written out as
 * {@link RequantizeRunSimd}'s to stay under JDK 17's inlining limit.
 *
 * <p>Immutable after construction; {@link #apply} allocates nothing and any thread may call it.
 */
public final class RequantizePixelsSimd {
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int L = IS.length();

    private final int channels;
    private final int[] left, right, mask, halfMask;  // by channel
    private final long[] multEven, multOdd;            // by chunk of L channels, H each: the even and the odd channels' multipliers
    private final int zp, qmin, qmax;

    /** Whether whole pixels of {@code channels} channels fill whole vectors on this JVM (and long and int vectors share a shape). */
    public static boolean fits(int channels) {
        return LS.vectorShape() == IS.vectorShape() && channels % L == 0;
    }

    public RequantizePixelsSimd(Requantizer r) {
        int n = r.channels();
        if (!fits(n)) throw new IllegalArgumentException(n + " channels do not fill whole vectors of " + L + " lanes");
        this.channels = n;
        this.left = new int[n];
        this.right = new int[n];
        this.mask = new int[n];
        this.halfMask = new int[n];
        this.multEven = new long[n / 2];
        this.multOdd = new long[n / 2];
        for (int c = 0; c < n; c++) {
            int s = r.shift(c), rs = s > 0 ? 0 : -s;
            left[c] = s > 0 ? s : 0;
            right[c] = rs;
            mask[c] = (1 << rs) - 1;
            halfMask[c] = mask[c] >> 1;
            // chunk c / L: its even lanes are channels c0, c0 + 2, …, stored at c0 / 2 + (c - c0) / 2
            (c % 2 == 0 ? multEven : multOdd)[c / 2] = r.multiplier(c);
        }
        this.zp = r.outZeroPoint();
        this.qmin = r.qmin();
        this.qmax = r.qmax();
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
