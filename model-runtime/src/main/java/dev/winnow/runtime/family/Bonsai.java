package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.FastMath;

/**
 * Bonsai (Kumar, Goyal, Varma, ICML 2017): a sparse projection x̂ = Z·[(x − μ)/σ, 1] / D̂, then one
 * root-to-leaf path of a shallow tree, taking the left child 2p+1 when θ_p·x̂ > 0; the score is the
 * sum over the path's nodes of (W_i x̂) ⊙ tanh(σ V_i x̂). Z is stored sparse (row-compressed), as the
 * model's size budget assumes. Immutable; {@link #predict} allocates nothing.
 */
public final class Bonsai {
    private final int features;      // D, before the appended bias feature
    private final int projection;    // D̂
    private final int classes;       // L (1 for binary)
    private final int depth;
    private final float sigma;
    private final float[] mean, invStd; // length D + 1
    private final int[] zRowStart, zCol;
    private final float[] zVal;
    private final float[] theta;
    // W and V per node transposed to [node][j][class]: the path step is then, for each projection
    // coordinate, a stride-1 multiply-add over all classes, which C2 vectorizes (SuperWord)
    private final float[] wT, vT;

    /**
     * @param z dense [D̂][D+1] (zeros are dropped), w and v [L·nodes][D̂], theta [internal][D̂],
     *          mean and std of length D+1 (the appended bias feature has mean 0, std 1)
     */
    public Bonsai(int features, int projection, int classes, int depth, float sigma,
                  float[] mean, float[] std, float[] z, float[] w, float[] v, float[] theta) {
        int dim = features + 1;
        int internal = (1 << depth) - 1, nodes = 2 * internal + 1;
        check(mean, dim, "mean");
        check(std, dim, "std");
        check(z, projection * dim, "Z");
        check(w, classes * nodes * projection, "W");
        check(v, classes * nodes * projection, "V");
        check(theta, Math.max(1, internal) * projection, "theta");
        if (depth < 0 || depth > 12) throw new IllegalArgumentException("Bonsai depth must be in [0, 12], is " + depth);
        this.features = features;
        this.projection = projection;
        this.classes = classes;
        this.depth = depth;
        this.sigma = sigma;
        this.mean = mean.clone();
        this.invStd = new float[dim];
        for (int i = 0; i < dim; i++) invStd[i] = 1f / (Math.abs(std[i]) < 1e-6f ? 1f : std[i]);
        int nnz = 0;
        for (float f : z) if (f != 0f) nnz++;
        zRowStart = new int[projection + 1];
        zCol = new int[nnz];
        zVal = new float[nnz];
        int k = 0;
        for (int r = 0; r < projection; r++) {
            zRowStart[r] = k;
            for (int c = 0; c < dim; c++) {
                float f = z[r * dim + c];
                if (f != 0f) {
                    zCol[k] = c;
                    zVal[k++] = f;
                }
            }
        }
        zRowStart[projection] = k;
        this.theta = theta.clone();
        this.wT = new float[w.length];
        this.vT = new float[v.length];
        for (int n = 0; n < nodes; n++) {
            for (int l = 0; l < classes; l++) {
                for (int j = 0; j < projection; j++) {
                    wT[(n * projection + j) * classes + l] = w[(n * classes + l) * projection + j];
                    vT[(n * projection + j) * classes + l] = v[(n * classes + l) * projection + j];
                }
            }
        }
    }

    private static void check(float[] a, int n, String what) {
        if (a == null || a.length != n) throw new IllegalArgumentException("Bonsai " + what + " must have " + n + " values, has " + (a == null ? "none" : a.length));
    }

    public int features() { return features; }
    public int classes() { return classes; }
    public int projection() { return projection; }
    public int depth() { return depth; }
    public int zNonZeros() { return zVal.length; }
    public float sigma() { return sigma; }

    /** Dense copies of the parameters, for the quantized variants. */
    public record Weights(float[] mean, float[] invStd, float[] z, float[] w, float[] v, float[] theta) {}

    public Weights weights() {
        int dim = features + 1;
        float[] z = new float[projection * dim];
        for (int r = 0; r < projection; r++) for (int k = zRowStart[r]; k < zRowStart[r + 1]; k++) z[r * dim + zCol[k]] = zVal[k];
        int nodes = wT.length / (classes * projection);
        float[] w = new float[wT.length], v = new float[vT.length];
        for (int n = 0; n < nodes; n++) {
            for (int l = 0; l < classes; l++) {
                for (int j = 0; j < projection; j++) {
                    w[(n * classes + l) * projection + j] = wT[(n * projection + j) * classes + l];
                    v[(n * classes + l) * projection + j] = vT[(n * projection + j) * classes + l];
                }
            }
        }
        return new Weights(mean.clone(), invStd.clone(), z, w, v, theta.clone());
    }

    /** Floats of scratch: the normalised input (D+1), the projection (D̂), and W·z and V·z of one node (2L). */
    public int scratchSize() {
        return features + 1 + projection + 2 * classes;
    }

    public long parameters() {
        return (long) zVal.length + wT.length + vT.length + theta.length + 2L * (features + 1);
    }

    public long macs() {
        long pathNodes = depth + 1;
        return (features + 1) + zVal.length + pathNodes * 2L * classes * projection + (long) depth * projection;
    }

    /** Writes the class scores (L values) of the raw features at {@code xOff}. */
    public void predict(float[] x, int xOff, float[] scores, int sOff, float[] s, int scratchOff) {
        final int dim = features + 1, xn = scratchOff, proj = scratchOff + dim;
        for (int i = 0; i < features; i++) s[xn + i] = (x[xOff + i] - mean[i]) * invStd[i];
        s[xn + features] = (1f - mean[features]) * invStd[features];
        float invProj = 1f / projection;
        for (int r = 0; r < projection; r++) {
            float acc = 0f;
            for (int k = zRowStart[r]; k < zRowStart[r + 1]; k++) acc += zVal[k] * s[xn + zCol[k]];
            s[proj + r] = acc * invProj;
        }
        java.util.Arrays.fill(scores, sOff, sOff + classes, 0f);
        final int wx = proj + projection, vx = wx + classes;
        int node = 0;
        for (int level = 0; ; level++) {
            java.util.Arrays.fill(s, wx, vx + classes, 0f);
            int base = node * projection * classes;
            for (int j = 0; j < projection; j++) {
                float p = s[proj + j];
                int row = base + j * classes;
                for (int l = 0; l < classes; l++) {
                    s[wx + l] += wT[row + l] * p;
                    s[vx + l] += vT[row + l] * p;
                }
            }
            for (int l = 0; l < classes; l++) scores[sOff + l] += s[wx + l] * FastMath.tanh(sigma * s[vx + l]);
            if (level == depth) break;
            float t = 0f;
            for (int j = 0; j < projection; j++) t += theta[node * projection + j] * s[proj + j];
            node = t > 0 ? 2 * node + 1 : 2 * node + 2;
        }
    }
}
