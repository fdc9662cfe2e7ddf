package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.FastMath;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels of one Bonsai path step. A node's W and V rows are stored per projection
 * coordinate as one padded row [W classes | V classes] (see {@code Bonsai}), so W·x̂ and V·x̂ together
 * are a sum over j of a broadcast x̂_j times that row: four vector accumulators held in registers
 * across the whole sum, no horizontal reduction, no mask. Unlike the convolution, these accumulators
 * stay in registers on JDK 17 too (no allocation; KernelAllocationTest).
 */
public final class BonsaiSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    // as many int8 lanes as int32 lanes: one load widens into one accumulator. With 128-bit vectors that would
    // be a 32-bit byte shape, which does not exist: there the Bonsai step stays on plain loops (fits is false)
    private static final VectorSpecies<Byte> B = I.length() >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(I.length() * 8)) : null;

    private BonsaiSimd() {}

    /** Whether rows of {@code width} floats split into whole vectors of this JVM's preferred shape. */
    public static boolean fits(int width) {
        return B != null && width % L == 0;
    }

    /** acc[c] = Σ_j rows[base + j·width + c] · x[xOff + j] for c < width; width a multiple of the lane count. */
    public static void rowSums(float[] rows, int base, int width, int n, float[] x, int xOff, float[] acc, int accOff) {
        int c = 0;
        for (; c + 4 * L <= width; c += 4 * L) {
            // four separate values, not an array of them: C2 on JDK 17 boxes vectors that alias at a loop phi
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            for (int j = 0, row = base + c; j < n; j++, row += width) {
                FloatVector p = FloatVector.broadcast(S, x[xOff + j]);
                a0 = FloatVector.fromArray(S, rows, row).fma(p, a0);
                a1 = FloatVector.fromArray(S, rows, row + L).fma(p, a1);
                a2 = FloatVector.fromArray(S, rows, row + 2 * L).fma(p, a2);
                a3 = FloatVector.fromArray(S, rows, row + 3 * L).fma(p, a3);
            }
            a0.intoArray(acc, accOff + c);
            a1.intoArray(acc, accOff + c + L);
            a2.intoArray(acc, accOff + c + 2 * L);
            a3.intoArray(acc, accOff + c + 3 * L);
        }
        for (; c < width; c += L) {
            FloatVector a = FloatVector.zero(S);
            for (int j = 0, row = base + c; j < n; j++, row += width) a = FloatVector.fromArray(S, rows, row).fma(FloatVector.broadcast(S, x[xOff + j]), a);
            a.intoArray(acc, accOff + c);
        }
    }

    /**
     * The int8 form of {@link #rowSums}: acc[c] = (Σ_j rows[base + j·width + c] · x[xOff + j]) · scale[scaleOff + c] · xScale,
     * the sum in int32 (int8 weights times int8-range inputs held in shorts), scaled back to float once.
     */
    public static void int8RowSums(byte[] rows, int base, int width, int n, short[] x, int xOff,
                                   float[] scale, int scaleOff, float xScale, float[] acc, int accOff) {
        int c = 0;
        for (; c + 4 * L <= width; c += 4 * L) {
            IntVector a0 = IntVector.zero(I), a1 = IntVector.zero(I), a2 = IntVector.zero(I), a3 = IntVector.zero(I);
            for (int j = 0, row = base + c; j < n; j++, row += width) {
                IntVector p = IntVector.broadcast(I, x[xOff + j]);
                // widened here, not in a helper: a vector passed across a call that C2 did not inline is boxed
                a0 = ((IntVector) ByteVector.fromArray(B, rows, row).convertShape(VectorOperators.B2I, I, 0)).mul(p).add(a0);
                a1 = ((IntVector) ByteVector.fromArray(B, rows, row + L).convertShape(VectorOperators.B2I, I, 0)).mul(p).add(a1);
                a2 = ((IntVector) ByteVector.fromArray(B, rows, row + 2 * L).convertShape(VectorOperators.B2I, I, 0)).mul(p).add(a2);
                a3 = ((IntVector) ByteVector.fromArray(B, rows, row + 3 * L).convertShape(VectorOperators.B2I, I, 0)).mul(p).add(a3);
            }
            // the int32 sums as floats; scaled in one pass below
            ((FloatVector) a0.convertShape(VectorOperators.I2F, S, 0)).intoArray(acc, accOff + c);
            ((FloatVector) a1.convertShape(VectorOperators.I2F, S, 0)).intoArray(acc, accOff + c + L);
            ((FloatVector) a2.convertShape(VectorOperators.I2F, S, 0)).intoArray(acc, accOff + c + 2 * L);
            ((FloatVector) a3.convertShape(VectorOperators.I2F, S, 0)).intoArray(acc, accOff + c + 3 * L);
        }
        for (; c < width; c += L) {
            IntVector a = IntVector.zero(I);
            for (int j = 0, row = base + c; j < n; j++, row += width) {
                a = ((IntVector) ByteVector.fromArray(B, rows, row).convertShape(VectorOperators.B2I, I, 0)).mul(IntVector.broadcast(I, x[xOff + j])).add(a);
            }
            ((FloatVector) a.convertShape(VectorOperators.I2F, S, 0)).intoArray(acc, accOff + c);
        }
        for (c = 0; c < width; c += L) {
            FloatVector.fromArray(S, acc, accOff + c).mul(FloatVector.fromArray(S, scale, scaleOff + c)).mul(xScale).intoArray(acc, accOff + c);
        }
    }

    /**
     * sum[l] += acc[l] · tanh(sigma · acc[half + l]) for l < half, with {@link FastMath#tanhRational}'s
     * arithmetic lane by lane; half a multiple of the lane count.
     */
    public static void addPathTerm(float[] acc, int accOff, int half, float sigma, float[] sum, int sumOff) {
        for (int l = 0; l < half; l += L) {
            FloatVector y = FloatVector.fromArray(S, acc, accOff + half + l).mul(sigma).max(-9f).min(9f).mul(0.5f);
            FloatVector y2 = y.mul(y);
            FloatVector p = y.mul(y2.add(FastMath.TANH_P2).fma(y2, FloatVector.broadcast(S, FastMath.TANH_P1)).fma(y2, FloatVector.broadcast(S, FastMath.TANH_P0)));
            FloatVector q = y2.mul(FastMath.TANH_Q3).add(FastMath.TANH_Q2).fma(y2, FloatVector.broadcast(S, FastMath.TANH_Q1)).fma(y2, FloatVector.broadcast(S, FastMath.TANH_P0));
            FloatVector t = p.mul(q).mul(2f).div(q.fma(q, p.mul(p)));
            FloatVector.fromArray(S, acc, accOff + l).fma(t, FloatVector.fromArray(S, sum, sumOff + l)).intoArray(sum, sumOff + l);
        }
    }
}
