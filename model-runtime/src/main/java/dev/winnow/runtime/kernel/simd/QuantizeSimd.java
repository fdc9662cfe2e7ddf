package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float to int8 on the Vector API, bit for bit {@code QuantParams.quantize(v, invScale, zeroPoint)}:
 * {@code clamp(Math.round(v · invScale) + zeroPoint, −128, 127)}. {@code Math.round} rounds half up;
 * floats round to nearest even, so the product is rounded to an integer by adding and subtracting
 * 1.5·2^23 (exact below 2^22, which a clamp of the product to ±2^21 guarantees without changing the
 * clamped result), and the ties that went down to even (the product minus its rounding is exactly
 * 0.5, which the subtraction gives exactly at that distance) go up by one. NaN becomes 0 as
 * {@code Math.round} makes it. The ints go through scratch to bytes: a byte vector of another shape
 * beside the kernels' would make JDK 17's C2 box vectors.
 *
 * <p>Stateless; any thread may call it with scratch of its own.
 */
public final class QuantizeSimd {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final float MAGIC = 1.5f * (1 << 23);
    private static final float BOUND = 1 << 21;

    private QuantizeSimd() {}

    /** Ints of scratch {@link #quantize} needs. */
    public static int scratchInts() {
        return FS.length();
    }

    /** True when a float vector and an int vector have the same lane count here (the preferred shapes do). */
    public static boolean fits() {
        return FS.length() == IS.length();
    }

    /**
     * {@code dst[dstOff + k] = quantize(src[srcOff + k])} for k below the largest multiple of the lane
     * count not over {@code n}; returns that count (the caller quantizes the rest).
     */
    public static int quantize(float[] src, int srcOff, int n, float invScale, int zeroPoint, byte[] dst, int dstOff, int[] scratch, int scratchOff) {
        final int lanes = FS.length(), bound = FS.loopBound(n);
        final FloatVector inv = FloatVector.broadcast(FS, invScale), magic = FloatVector.broadcast(FS, MAGIC);
        final FloatVector lo = FloatVector.broadcast(FS, -BOUND), hi = FloatVector.broadcast(FS, BOUND), half = FloatVector.broadcast(FS, 0.5f);
        final IntVector zp = IntVector.broadcast(IS, zeroPoint), one = IntVector.broadcast(IS, 1);
        final IntVector qmin = IntVector.broadcast(IS, -128), qmax = IntVector.broadcast(IS, 127);
        for (int i = 0; i < bound; i += lanes) {
            FloatVector p = FloatVector.fromArray(FS, src, srcOff + i).mul(inv).max(lo).min(hi);
            FloatVector even = p.add(magic).sub(magic);
            VectorMask<Float> tieDown = p.sub(even).compare(VectorOperators.EQ, half);
            IntVector q = (IntVector) even.convert(VectorOperators.F2I, 0);
            q = q.add(one, tieDown.cast(IS)).add(zp).max(qmin).min(qmax);
            q.intoArray(scratch, scratchOff);
            for (int k = 0; k < lanes; k++) dst[dstOff + i + k] = (byte) scratch[scratchOff + k];
        }
        return bound;
    }
}
