package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizedBonsaiTest {
    static final int D = 16, PROJ = 16, L = 26, DEPTH = 3, NODES = 15, INTERNAL = 7;

    static Bonsai letterSized(Random r) {
        float[] mean = Tensors.gaussian(r, D + 1, 1), std = Tensors.uniform(r, D + 1, 0.5, 2);
        mean[D] = 0;
        std[D] = 1;
        float[] z = Tensors.gaussian(r, PROJ * (D + 1), 1);
        for (int i = 0; i < z.length; i++) if (r.nextDouble() < 0.5) z[i] = 0;
        return new Bonsai(D, PROJ, L, DEPTH, 1f, mean, std, z, Tensors.gaussian(r, L * NODES * PROJ, 1),
                Tensors.gaussian(r, L * NODES * PROJ, 1), Tensors.gaussian(r, INTERNAL * PROJ, 1));
    }

    static int argmax(float[] a) {
        int b = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[b]) b = i;
        return b;
    }

    @Test
    void int8AgreesWithFloatOnNearlyEveryInput() {
        Random r = new Random(111);
        Bonsai b = letterSized(r);
        Int8Bonsai q = new Int8Bonsai(b);
        float[] f = new float[b.scratchSize()], qf = new float[q.scratchFloats()];
        short[] qs = new short[q.scratchInts()];
        int agree = 0, close = 0, n = 1000;
        for (int k = 0; k < n; k++) {
            float[] x = Tensors.gaussian(r, D, 1.5), a = new float[L], c = new float[L];
            b.predict(x, 0, a, 0, f, 0);
            q.predict(x, 0, c, 0, qf, 0, qs, 0);
            if (argmax(a) == argmax(c)) agree++;
            double scale = Tensors.maxAbs(Tensors.toDouble(a));
            if (Tensors.maxAbsDiff(c, 0, Tensors.toDouble(a)) < 0.05 * Math.max(scale, 1e-3)) close++;
        }
        assertTrue(agree >= 0.95 * n, "int8 agrees on " + agree + "/" + n);
        // where θ·x̂ is near 0, rounding can send the input down the other branch and every score
        // changes; elsewhere the scores stay within a few percent
        assertTrue(close >= 0.95 * n, "scores within 5% on " + close + "/" + n);
        assertTrue(q.weightBytes() < 4 * (long) (2 * L * NODES * PROJ) / 3, "int8 weights are about a quarter of float's");
    }

    @Test
    void q15MatchesTheDevicesClippedTanhBonsai() {
        Random r = new Random(112);
        Bonsai b = letterSized(r);
        Bonsai.Weights w = b.weights();
        Q15Bonsai q = new Q15Bonsai(b);
        float[] qf = new float[q.scratchFloats()];
        short[] qs = new short[q.scratchInts()];
        double worst = 0;
        for (int k = 0; k < 300; k++) {
            float[] x = Tensors.gaussian(r, D, 1), c = new float[L];
            q.predict(x, 0, c, 0, qf, 0, qs, 0);
            // double-precision Bonsai with tanh replaced by clip(x, -1, 1), the paper's device approximation
            double[] xn = new double[D + 1];
            for (int i = 0; i < D; i++) xn[i] = (x[i] - w.mean()[i]) * w.invStd()[i];
            xn[D] = (1 - w.mean()[D]) * w.invStd()[D];
            double[] p = new double[PROJ];
            for (int j = 0; j < PROJ; j++) {
                for (int i = 0; i <= D; i++) p[j] += w.z()[j * (D + 1) + i] * xn[i];
                p[j] /= PROJ;
            }
            double[] ref = new double[L];
            int node = 0;
            for (int level = 0; ; level++) {
                for (int l = 0; l < L; l++) {
                    double wx = 0, vx = 0;
                    for (int j = 0; j < PROJ; j++) {
                        wx += w.w()[(node * L + l) * PROJ + j] * p[j];
                        vx += w.v()[(node * L + l) * PROJ + j] * p[j];
                    }
                    ref[l] += wx * Math.max(-1, Math.min(1, vx));
                }
                if (level == DEPTH) break;
                double t = 0;
                for (int j = 0; j < PROJ; j++) t += w.theta()[node * PROJ + j] * p[j];
                node = t > 0 ? 2 * node + 1 : 2 * node + 2;
            }
            worst = Math.max(worst, Tensors.maxAbsDiff(c, 0, ref));
        }
        // Q12 projection (2.4e-4 per step) through four nodes of 16-term dot products with |w| ≲ 4
        assertTrue(worst < 0.02, "largest score error " + worst);
    }

    /** Symmetric int8 of a vector as the kernel does it per prediction: scale max|v|/127, round half up. */
    static float quantize(float[] v, int off, int n, int[] q) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(v[off + i]));
        float s = m > 0 ? m / 127 : 1, inv = 1 / s;
        for (int i = 0; i < n; i++) q[i] = Math.round(v[off + i] * inv);
        return s;
    }

    @Test
    void int8PathOnBothKernelsEqualsTheIntegerPipelineInDouble() {
        Random r = new Random(113);
        int proj = 28, classes = 40; // two padded 16-class blocks per half, and a partial one
        float[] mean = Tensors.gaussian(r, D + 1, 1), std = Tensors.uniform(r, D + 1, 0.5, 2);
        mean[D] = 0;
        std[D] = 1;
        float[] zf = Tensors.gaussian(r, proj * (D + 1), 1);
        for (int i = 0; i < zf.length; i++) if (r.nextDouble() < 0.5) zf[i] = 0;
        Bonsai b = new Bonsai(D, proj, classes, DEPTH, 0.7f, mean, std, zf, Tensors.gaussian(r, classes * NODES * proj, 1),
                Tensors.gaussian(r, classes * NODES * proj, 1), Tensors.gaussian(r, INTERNAL * proj, 1));
        Bonsai.Weights w = b.weights();
        Int8Rows z = Int8Rows.quantize(w.z(), proj, D + 1), wq = Int8Rows.quantize(w.w(), classes * NODES, proj),
                vq = Int8Rows.quantize(w.v(), classes * NODES, proj), tq = Int8Rows.quantize(w.theta(), INTERNAL, proj);
        for (boolean vector : new boolean[] {false, true}) {
            Int8Bonsai q = new Int8Bonsai(b, vector);
            float[] qf = new float[q.scratchFloats() + 2];
            short[] qs = new short[q.scratchInts() + 1];
            java.util.Arrays.fill(qf, Float.NaN);
            for (int k = 0; k < 200; k++) {
                float[] x = Tensors.gaussian(r, D, 1.5), got = new float[classes + 1];
                q.predict(x, 0, got, 1, qf, 2, qs, 1);
                // the same integers, summed exactly, scaled and squashed in double
                float[] xn = new float[D + 1];
                for (int i = 0; i < D; i++) xn[i] = (x[i] - w.mean()[i]) * w.invStd()[i];
                xn[D] = (1 - w.mean()[D]) * w.invStd()[D];
                int[] xq = new int[D + 1], pq = new int[proj];
                float sx = quantize(xn, 0, D + 1, xq);
                float[] p = new float[proj];
                for (int j = 0; j < proj; j++) {
                    int acc = 0;
                    for (int i = 0; i <= D; i++) acc += z.values()[j * (D + 1) + i] * xq[i];
                    p[j] = acc * z.scales()[j] * sx / proj;
                }
                float sp = quantize(p, 0, proj, pq);
                double[] ref = new double[classes];
                int node = 0;
                for (int level = 0; ; level++) {
                    for (int l = 0; l < classes; l++) {
                        int row = node * classes + l;
                        long wx = 0, vx = 0;
                        for (int j = 0; j < proj; j++) {
                            wx += wq.values()[row * proj + j] * pq[j];
                            vx += vq.values()[row * proj + j] * pq[j];
                        }
                        ref[l] += wx * (double) wq.scales()[row] * sp * Math.tanh(0.7 * vx * (double) vq.scales()[row] * sp);
                    }
                    if (level == DEPTH) break;
                    long t = 0;
                    for (int j = 0; j < proj; j++) t += tq.values()[node * proj + j] * pq[j];
                    node = t > 0 ? 2 * node + 1 : 2 * node + 2;
                }
                double scale = Math.max(1, Tensors.maxAbs(ref));
                for (int l = 0; l < classes; l++) assertEquals(ref[l], got[1 + l], 2e-5 * scale, "vector " + q.vectorized() + ", input " + k + ", class " + l);
            }
        }
    }
}
