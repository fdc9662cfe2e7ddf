package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float to int8 on the Vector API, bit for bit {@code QuantParams.quantize(v, invScale, zeroPoint)}:
 * {@code clamp(Math.round(v · invScale) + zeroPoint, −128, 127)}, with lane-wise float and int
 * arithmetic and bit reinterpretation only: on JDK 17 C2 boxed both a float-to-int conversion and a
 * compare's mask here (2.4 to 4.8 MB a 320x240 frame).
 * <ul>
 * <li>NaN lanes become 0 (as {@code Math.round} makes them): a lane whose magnitude bits exceed
 * infinity's is cleared through an arithmetic shift of the difference.</li>
 * <li>The product is clamped to ±2^21 (the clamped result does not change) and 1.5·2^23 added: the
 * sum is the product rounded half to even, and its bits minus the constant's are that integer.</li>
 * <li>{@code Math.round} rounds half up, so a tie the sum sent down goes up by one: the product minus
 * its rounding lies in [−0.5, 0.5] and is exact there, and it is a tie sent down exactly when its
 * bits are 0.5's.</li>
 * </ul>
 * The ints go through scratch to bytes: a byte vector of another shape beside the kernels' would make
 * JDK 17's C2 box vectors.
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
        final FloatVector lo = FloatVector.broadcast(FS, -BOUND), hi = FloatVector.broadcast(FS, BOUND);
        final int magicBits = Float.floatToRawIntBits(MAGIC), halfBits = Float.floatToRawIntBits(0.5f);
        final IntVector qmin = IntVector.broadcast(IS, -128), qmax = IntVector.broadcast(IS, 127);
        for (int i = 0; i < bound; i += lanes) {
            IntVector bits = FloatVector.fromArray(FS, src, srcOff + i).mul(inv).reinterpretAsInts();
            IntVector nan = bits.and(0x7FFFFFFF).neg().add(0x7F800000).lanewise(VectorOperators.ASHR, 31);   // all ones where NaN
            FloatVector p = bits.and(nan.not()).reinterpretAsFloats().max(lo).min(hi);
            FloatVector t = p.add(magic);
            IntVector even = t.reinterpretAsInts().sub(magicBits);
            IntVector x = p.sub(t.sub(magic)).reinterpretAsInts().lanewise(VectorOperators.XOR, halfBits);
            IntVector notTie = x.or(x.neg()).lanewise(VectorOperators.LSHR, 31);
            IntVector q = even.add(1).sub(notTie).add(zeroPoint).max(qmin).min(qmax);
            q.intoArray(scratch, scratchOff);
            for (int k = 0; k < lanes; k++) dst[dstOff + i + k] = (byte) scratch[scratchOff + k];
        }
        return bound;
    }
}
