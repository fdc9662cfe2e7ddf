package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.Arithmetic;
import dev.winnow.runtime.kernel.base.FastMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API element-wise kernels: add, subtract and multiply (two runs, or a run and a scalar),
 * hard_swish, hard_sigmoid and sigmoid. Each loop iteration loads, computes and stores; nothing is
 * carried from one to the next, so C2 keeps every vector in registers on JDK 17 too. Elements past
 * the last whole vector are done lane by lane with the same arithmetic. The operands may share an
 * array (the arena) and an output may be an input at the same offset. Stateless.
 */
public final class ElementwiseSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ElementwiseSimd() {}

    /** out[i] = clamp(a[i] op b[i]) for i < n. */
    public static void binary(Arithmetic kind, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n, float min, float max) {
        int v = S.loopBound(n), i = 0;
        switch (kind) {
            case ADD:
                for (; i < v; i += L) FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).max(min).min(max).intoArray(out, oo + i);
                for (; i < n; i++) out[oo + i] = Math.min(max, Math.max(min, a[ao + i] + b[bo + i]));
                break;
            case SUB:
                for (; i < v; i += L) FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).max(min).min(max).intoArray(out, oo + i);
                for (; i < n; i++) out[oo + i] = Math.min(max, Math.max(min, a[ao + i] - b[bo + i]));
                break;
            default:
                for (; i < v; i += L) FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).max(min).min(max).intoArray(out, oo + i);
                for (; i < n; i++) out[oo + i] = Math.min(max, Math.max(min, a[ao + i] * b[bo + i]));
        }
    }

    /** out[i] = clamp(a[i] op y), or clamp(y op a[i]) when {@code scalarFirst}, for i < n. */
    public static void scalar(Arithmetic kind, float[] a, int ao, float y, boolean scalarFirst, float[] out, int oo, int n, float min, float max) {
        int v = S.loopBound(n), i = 0;
        switch (kind) {
            case ADD:
                for (; i < v; i += L) FloatVector.fromArray(S, a, ao + i).add(y).max(min).min(max).intoArray(out, oo + i);
                for (; i < n; i++) out[oo + i] = Math.min(max, Math.max(min, a[ao + i] + y));
                break;
            case SUB:
                if (scalarFirst) {
                    for (; i < v; i += L) FloatVector.broadcast(S, y).sub(FloatVector.fromArray(S, a, ao + i)).max(min).min(max).intoArray(out, oo + i);
                    for (; i < n; i++) out[oo + i] = Math.min(max, Math.max(min, y - a[ao + i]));
                } else {
                    for (; i < v; i += L) FloatVector.fromArray(S, a, ao + i).sub(y).max(min).min(max).intoArray(out, oo + i);
                    for (; i < n; i++) out[oo + i] = Math.min(max, Math.max(min, a[ao + i] - y));
                }
                break;
            default:
                for (; i < v; i += L) FloatVector.fromArray(S, a, ao + i).mul(y).max(min).min(max).intoArray(out, oo + i);
                for (; i < n; i++) out[oo + i] = Math.min(max, Math.max(min, a[ao + i] * y));
        }
    }

    /** out[i] = x·scale·min(max(x + 3, 0), 6), or without the leading x (hard_sigmoid), for i < n. */
    public static void hardSwish(boolean swish, float scale, float[] in, int io, float[] out, int oo, int n) {
        int v = S.loopBound(n), i = 0;
        if (swish) {
            for (; i < v; i += L) {
                FloatVector x = FloatVector.fromArray(S, in, io + i);
                x.mul(scale).mul(x.add(3f).max(0f).min(6f)).intoArray(out, oo + i);
            }
            for (; i < n; i++) {
                float x = in[io + i];
                out[oo + i] = x * scale * Math.min(Math.max(x + 3f, 0f), 6f);
            }
        } else {
            for (; i < v; i += L) FloatVector.fromArray(S, in, io + i).add(3f).max(0f).min(6f).mul(scale).intoArray(out, oo + i);
            for (; i < n; i++) out[oo + i] = scale * Math.min(Math.max(in[io + i] + 3f, 0f), 6f);
        }
    }

    /**
     * out[i] = sigmoid(in[i]) as ½ + ½·tanh(in[i]/2), with {@link FastMath#tanhRational}'s arithmetic
     * lane by lane (the same operations in the same order, no fused multiply-add), so its 2e-7 bound
     * gives at most 1.5e-7 here (FloatKernelsTest asserts 3e-7). Float operations only: the exp form's
     * integer exponent trick (IntVector) made JDK 17 and 25 box Q15GrnnSimd's vectors in the same JVM
     * afterwards (KernelAllocationTest after FloatKernelsTest), which this shape, BonsaiSimd's, does not.
     */
    public static void sigmoid(float[] in, int io, float[] out, int oo, int n) {
        int v = S.loopBound(n), i = 0;
        for (; i < v; i += L) {
            FloatVector y = FloatVector.fromArray(S, in, io + i).mul(0.5f).max(-9f).min(9f).mul(0.5f);
            FloatVector y2 = y.mul(y);
            FloatVector p = y.mul(y2.add(FastMath.TANH_P2).mul(y2).add(FastMath.TANH_P1).mul(y2).add(FastMath.TANH_P0));
            FloatVector q = y2.mul(FastMath.TANH_Q3).add(FastMath.TANH_Q2).mul(y2).add(FastMath.TANH_Q1).mul(y2).add(FastMath.TANH_P0);
            FloatVector t = p.mul(2f).mul(q).div(q.mul(q).add(p.mul(p)));
            t.mul(0.5f).add(0.5f).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = FastMath.tanhRational(in[io + i] * 0.5f) * 0.5f + 0.5f;
    }
}
