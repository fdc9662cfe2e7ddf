package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BonsaiProtoNnTest {

    /** The soft Bonsai of the paper in double precision: every node weighted by its path probability. */
    static double[] softBonsai(int d, int proj, int classes, int depth, double sigma, double sigmaI,
                               float[] mean, float[] std, float[] z, float[] w, float[] v, float[] theta, float[] x) {
        int dim = d + 1, internal = (1 << depth) - 1, nodes = 2 * internal + 1;
        double[] xn = new double[dim];
        for (int i = 0; i < d; i++) xn[i] = (x[i] - mean[i]) / std[i];
        xn[d] = (1 - mean[d]) / std[d];
        double[] p = new double[proj];
        for (int r = 0; r < proj; r++) {
            for (int c = 0; c < dim; c++) p[r] += z[r * dim + c] * xn[c];
            p[r] /= proj;
        }
        double[] prob = new double[nodes];
        prob[0] = 1;
        double[] y = new double[classes];
        for (int i = 0; i < nodes; i++) {
            if (i > 0) {
                int parent = (int) Math.ceil(i / 2.0) - 1;
                double t = 0;
                for (int j = 0; j < proj; j++) t += theta[parent * proj + j] * p[j];
                prob[i] = prob[parent] * (1 + Math.pow(-1, i + 1) * Math.tanh(sigmaI * t)) / 2;
            }
            for (int l = 0; l < classes; l++) {
                double wx = 0, vx = 0;
                for (int j = 0; j < proj; j++) {
                    wx += w[(i * classes + l) * proj + j] * p[j];
                    vx += v[(i * classes + l) * proj + j] * p[j];
                }
                y[l] += prob[i] * wx * Math.tanh(sigma * vx);
            }
        }
        return y;
    }

    @Test
    void hardPathEqualsTheSoftFormulaAtInfiniteSigmaI() {
        Random r = new Random(61);
        for (int trial = 0; trial < 300; trial++) {
            // up to 70 classes: one, two and several padded blocks of W|V rows
            int d = 1 + r.nextInt(20), proj = 1 + r.nextInt(30), classes = trial % 3 == 0 ? 1 + r.nextInt(70) : 1 + r.nextInt(5), depth = r.nextInt(4);
            int internal = (1 << depth) - 1, nodes = 2 * internal + 1;
            float[] mean = Tensors.gaussian(r, d + 1, 1), std = Tensors.uniform(r, d + 1, 0.5, 2);
            mean[d] = 0;
            std[d] = 1;
            float[] z = Tensors.gaussian(r, proj * (d + 1), 1);
            for (int i = 0; i < z.length; i++) if (r.nextDouble() < 0.6) z[i] = 0; // sparse Z
            float[] w = Tensors.gaussian(r, classes * nodes * proj, 1), v = Tensors.gaussian(r, classes * nodes * proj, 1);
            float[] theta = Tensors.gaussian(r, Math.max(1, internal) * proj, 1);
            float sigma = (float) (0.5 + r.nextDouble() * 2);
            float[] x = Tensors.gaussian(r, d, 2);
            double[] soft = softBonsai(d, proj, classes, depth, sigma, 1e9, mean, std, z, w, v, theta, x);
            for (boolean vector : new boolean[] {false, true}) { // the plain loop, and the Vector API kernel where this JVM has it
                Bonsai b = new Bonsai(d, proj, classes, depth, sigma, mean, std, z, w, v, theta, vector);
                float[] y = new float[classes + 3];
                float[] scratch = new float[b.scratchSize() + 5];
                java.util.Arrays.fill(scratch, Float.NaN); // scratch from a previous op must not leak into the scores
                b.predict(x, 0, y, 3, scratch, 5);
                for (int l = 0; l < classes; l++) {
                    assertEquals(soft[l], y[3 + l], 1e-4 * Math.max(1, Math.abs(soft[l])), "trial " + trial + ", vector " + b.vectorized());
                }
            }
        }
    }

    @Test
    void protoNnMatchesItsFormula() {
        Random r = new Random(62);
        int d = 16, proj = 8, m = 30, classes = 26;
        float[] w = Tensors.gaussian(r, proj * d, 0.3), b = Tensors.gaussian(r, m * proj, 1), z = Tensors.uniform(r, m * classes, 0, 1);
        ProtoNn p = new ProtoNn(d, proj, m, classes, w, b, z, 0.7f);
        for (int trial = 0; trial < 50; trial++) {
            float[] x = Tensors.gaussian(r, d, 1), y = new float[classes];
            p.predict(x, 0, y, 0, new float[p.scratchSize()], 0);
            double[] wx = new double[proj];
            for (int i = 0; i < proj; i++) for (int c = 0; c < d; c++) wx[i] += w[i * d + c] * x[c];
            for (int l = 0; l < classes; l++) {
                double ref = 0;
                for (int j = 0; j < m; j++) {
                    double d2 = 0;
                    for (int i = 0; i < proj; i++) d2 += Math.pow(b[j * proj + i] - wx[i], 2);
                    ref += z[j * classes + l] * Math.exp(-0.49 * d2);
                }
                assertEquals(ref, y[l], 1e-5 * Math.max(1, ref));
            }
        }
    }
}
