package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.Requantizer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Requantizer#apply} on the Vector API, bit for bit: a run of channels' int32 accumulators
 * is shifted left in int lanes (wrapping as Java's {@code <<}), widened to long lanes for the Q31
 * product, nudged and divided by 2^31 toward zero, divided by the channel's power of two with
 * rounding half away from zero, offset by the zero point and clamped, each step the branch-free
 * formula of {@code FixedPoint.multiplyByQuantizedMultiplier} lane by lane. The one case that
 * formula treats apart (both factors {@code Integer.MIN_VALUE}) cannot arise: multipliers stay
 * below 2^31. Each int vector of accumulators is two long vectors on the way, its even and its odd lanes.
 *
 * <p>Immutable after construction; {@link #apply} allocates nothing and any thread may call it.
 */
public final class RequantizeSimd {
    // the preferred int species, the one every other int kernel uses: on JDK 17 a second int shape in
    // the same JVM makes C2 box the vectors of both (measured: 1 MB per call of the int8 depthwise)
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = VectorSpecies.of(long.class, IS.vectorShape());
    private static final int L = IS.length(), H = LS.length();

    private final Requantizer scalar;
    private final int[] left;
    // per-channel constants split by channel parity (E: channels 2i, O: channels 2i + 1), since the even
    // and odd int lanes of a vector become two long vectors
    private final long[] multE, multO, rightE, rightO, maskE, maskO, halfE, halfO;
    private final long zp, qmin, qmax;

    public RequantizeSimd(Requantizer r) {
        int n = r.channels(), e = (n + 1) / 2 + 1, o = n / 2 + 1;
        this.scalar = r;
        this.left = new int[n];
        multE = new long[e];
        rightE = new long[e];
        maskE = new long[e];
        halfE = new long[e];
        multO = new long[o];
        rightO = new long[o];
        maskO = new long[o];
        halfO = new long[o];
        for (int c = 0; c < n; c++) {
            int s = r.shift(c), rs = s > 0 ? 0 : -s, i = c / 2;
            left[c] = s > 0 ? s : 0;
            long[] mult = c % 2 == 0 ? multE : multO, right = c % 2 == 0 ? rightE : rightO;
            long[] mask = c % 2 == 0 ? maskE : maskO, half = c % 2 == 0 ? halfE : halfO;
            mult[i] = r.multiplier(c);
            right[i] = rs;
            mask[i] = (1L << rs) - 1;
            half[i] = mask[i] >> 1;
        }
        this.zp = r.outZeroPoint();
        this.qmin = r.qmin();
        this.qmax = r.qmax();
    }

    /** Accumulators per vector. */
    public static int lanes() {
        return L;
    }

    /**
     * Requantizes {@code acc[accOff + k]}, channel {@code c0 + k}, for k below {@code n} into
     * {@code out[outOff + k]}. The accumulators of whole vectors are overwritten on the way.
     */
    public void apply(int[] acc, int accOff, int c0, int n, byte[] out, int outOff) {
        int k = 0;
        // vectors start on even channels, so even lanes take the E constants (an odd start runs scalar: a
        // choice between constants inside the loop would merge vectors at a branch, which JDK 17 boxes)
        int whole = (c0 & 1) == 0 ? n - n % L : 0;
        for (; k < whole; k += L) {
            int c = c0 + k, e = c >> 1;
            IntVector x = IntVector.fromArray(IS, acc, accOff + k).lanewise(VectorOperators.LSHL, IntVector.fromArray(IS, left, c));
            // even and odd int lanes sign-extended in long lanes by shifts: no shape-changing conversion,
            // which JDK 17 or JDK 25 compiled to allocating code in this method
            LongVector pairs = x.reinterpretAsLongs();
            LongVector even = scale(pairs.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32), multE, rightE, maskE, halfE, e);
            LongVector odd = scale(pairs.lanewise(VectorOperators.ASHR, 32), multO, rightO, maskO, halfO, e);
            even.and(0xFFFF_FFFFL).or(odd.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts().intoArray(acc, accOff + k);
            for (int j = 0; j < L; j++) out[outOff + k + j] = (byte) acc[accOff + k + j];
        }
        for (; k < n; k++) out[outOff + k] = scalar.apply(acc[accOff + k], c0 + k);
    }

    /** Shifted accumulators a (one per long lane) times the multipliers from {@code i}, rounded, offset and clamped. */
    private LongVector scale(LongVector a, long[] mult, long[] right, long[] mask, long[] half, int i) {
        LongVector ab = a.mul(LongVector.fromArray(LS, mult, i));
        // nudge 2^30, or 1 − 2^30 below zero; then the sum over 2^31 rounded toward zero
        LongVector t = ab.add(ab.lanewise(VectorOperators.ASHR, 63).and((1L << 31) - 1).neg().add(1L << 30));
        LongVector high = t.add(t.lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.LSHR, 33)).lanewise(VectorOperators.ASHR, 31);
        // the rounding division by 2^right: one more when the remainder passes half (half + 1 below zero)
        LongVector threshold = LongVector.fromArray(LS, half, i).add(high.lanewise(VectorOperators.LSHR, 63));
        LongVector up = threshold.sub(high.and(LongVector.fromArray(LS, mask, i))).lanewise(VectorOperators.LSHR, 63);
        return high.lanewise(VectorOperators.ASHR, LongVector.fromArray(LS, right, i)).add(up).add(zp).max(qmin).min(qmax);
    }
}
