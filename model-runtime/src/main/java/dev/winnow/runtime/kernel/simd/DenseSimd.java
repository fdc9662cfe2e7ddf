package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API dense layer: four output rows at a time share each load of the input vector; no masks (they allocate on JDK 17). */
public final class DenseSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DenseSimd() {}

    public static void dense(int in, int outN, float[] w, float[] bias, float min, float max,
                             float[] x, int xOff, float[] out, int outOff) {
        int o = 0;
        int bound = S.loopBound(in);
        for (; o + 4 <= outN; o += 4) {
            // separate values, not one shared: C2 on JDK 17 boxes vectors that alias at a loop phi
            FloatVector a0 = FloatVector.broadcast(S, 0f);
            FloatVector a1 = FloatVector.broadcast(S, 0f);
            FloatVector a2 = FloatVector.broadcast(S, 0f);
            FloatVector a3 = FloatVector.broadcast(S, 0f);
            int r0 = o * in, r1 = r0 + in, r2 = r1 + in, r3 = r2 + in;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                a0 = FloatVector.fromArray(S, w, r0 + i).fma(xv, a0);
                a1 = FloatVector.fromArray(S, w, r1 + i).fma(xv, a1);
                a2 = FloatVector.fromArray(S, w, r2 + i).fma(xv, a2);
                a3 = FloatVector.fromArray(S, w, r3 + i).fma(xv, a3);
            }
            float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (; i < in; i++) { // inputs past the last whole vector
                float xi = x[xOff + i];
                t0 += w[r0 + i] * xi;
                t1 += w[r1 + i] * xi;
                t2 += w[r2 + i] * xi;
                t3 += w[r3 + i] * xi;
            }
            out[outOff + o] = clamp(a0.reduceLanes(VectorOperators.ADD) + t0 + bias[o], min, max);
            out[outOff + o + 1] = clamp(a1.reduceLanes(VectorOperators.ADD) + t1 + bias[o + 1], min, max);
            out[outOff + o + 2] = clamp(a2.reduceLanes(VectorOperators.ADD) + t2 + bias[o + 2], min, max);
            out[outOff + o + 3] = clamp(a3.reduceLanes(VectorOperators.ADD) + t3 + bias[o + 3], min, max);
        }
        for (; o < outN; o++) {
            FloatVector a = FloatVector.broadcast(S, 0f);
            int r = o * in;
            int i = 0;
            for (; i < bound; i += L) a = FloatVector.fromArray(S, w, r + i).fma(FloatVector.fromArray(S, x, xOff + i), a);
            float t = 0;
            for (; i < in; i++) t += w[r + i] * x[xOff + i];
            out[outOff + o] = clamp(a.reduceLanes(VectorOperators.ADD) + t + bias[o], min, max);
        }
    }

    private static float clamp(float v, float min, float max) {
        return Math.min(max, Math.max(min, v));
    }
}
