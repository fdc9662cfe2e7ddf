package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.base.FastMath;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.kernel.simd.BonsaiSimd;

/**
 * Bonsai (Kumar, Goyal, Varma, ICML 2017): a sparse projection x̂ = Z·[(x − μ)/σ, 1] / D̂, then one
 * root-to-leaf path of a shallow tree, taking the left child 2p+1 when θ_p·x̂ > 0; the score is the
 * sum over the path's nodes of (W_i x̂) ⊙ tanh(σ V_i x̂). Z is stored sparse (row-compressed), as the
 * model's size budget assumes. Immutable; {@link #predict} allocates nothing.
 *
 * <p>W and V of a node are stored together per projection coordinate j as one row
 * [W_i[·][j] | V_i[·][j]], each half padded to a multiple of 16 classes: a path step is then a sum
 * over j of x̂_j times a row, with no reduction, which both the Vector API kernel
 * ({@link BonsaiSimd}, whenever the JVM has the module) and the plain loop (eight accumulators in
 * registers) keep in registers. The padding lanes hold zeros and are never read back.
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
    private final int half;          // classes padded to a multiple of PAD: W's share of a row, and V's
    private final float[] wv;        // [node][j][2·half]
    private final boolean vector;

    private static final int PAD = 16;

    /**
     * @param z dense [D̂][D+1] (zeros are dropped), w and v [L·nodes][D̂], theta [internal][D̂],
     *          mean and std of length D+1 (the appended bias feature has mean 0, std 1)
     */
    public Bonsai(int features, int projection, int classes, int depth, float sigma,
                  float[] mean, float[] std, float[] z, float[] w, float[] v, float[] theta) {
        this(features, projection, classes, depth, sigma, mean, std, z, w, v, theta, VectorSupport.fixedRegisterKernels());
    }

    /** As above, with the Vector API path chosen explicitly (for tests of both paths). */
    public Bonsai(int features, int projection, int classes, int depth, float sigma,
                  float[] mean, float[] std, float[] z, float[] w, float[] v, float[] theta, boolean vector) {
        int dim = features + 1;
        int internal = (1 << depth) - 1, nodes = nodes(depth);
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
        Csr cz = Csr.of(z, projection, dim);
        zRowStart = cz.start();
        zCol = cz.col();
        zVal = cz.val();
        this.theta = theta.clone();
        this.half = padded(classes);
        this.wv = new float[nodes * projection * 2 * half];
        for (int n = 0; n < nodes; n++) {
            for (int j = 0; j < projection; j++) {
                int row = (n * projection + j) * 2 * half;
                for (int l = 0; l < classes; l++) {
                    wv[row + l] = w[(n * classes + l) * projection + j];
                    wv[row + half + l] = v[(n * classes + l) * projection + j];
                }
            }
        }
        this.vector = vectorPath(vector, half);
    }

    /** Nodes of a complete tree of this depth. */
    static int nodes(int depth) {
        return 2 * ((1 << depth) - 1) + 1;
    }

    /** Classes padded to a multiple of {@value #PAD}: W's share of a stored row, and V's. */
    static int padded(int classes) {
        return (classes + PAD - 1) / PAD * PAD;
    }

    /** Whether rows of W | V with halves of {@code half} classes run on the Vector API kernel when asked to. */
    static boolean vectorPath(boolean requested, int half) {
        return requested && VectorSupport.modulepresent() && BonsaiSimd.fits(2 * half);
    }

    /**
     * f[sum + l] += f[acc + l] · tanh(σ · f[acc + half + l]): one node's term of the score, from its
     * W·x̂ | V·x̂ in f[acc..] (float and int8 Bonsai alike).
     */
    static void addPathTerm(boolean vector, float[] f, int acc, int half, int classes, float sigma, int sum) {
        if (vector) BonsaiSimd.addPathTerm(f, acc, half, sigma, f, sum);
        else for (int l = 0; l < classes; l++) f[sum + l] += f[acc + l] * FastMath.tanhRational(sigma * f[acc + half + l]);
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
        int nodes = nodes(depth);
        float[] w = new float[nodes * classes * projection], v = new float[w.length];
        for (int n = 0; n < nodes; n++) {
            for (int j = 0; j < projection; j++) {
                int row = (n * projection + j) * 2 * half;
                for (int l = 0; l < classes; l++) {
                    w[(n * classes + l) * projection + j] = wv[row + l];
                    v[(n * classes + l) * projection + j] = wv[row + half + l];
                }
            }
        }
        return new Weights(mean.clone(), invStd.clone(), z, w, v, theta.clone());
    }

    /** True when predictions run on the Vector API kernel. */
    public boolean vectorized() {
        return vector;
    }

    /**
     * Floats of scratch: the normalised input (D+1), the projection (D̂), W·x̂ | V·x̂ of one node and the
     * running class scores (classes padded to a multiple of 16).
     */
    public int scratchSize() {
        return features + 1 + projection + 3 * half;
    }

    public long parameters() {
        return (long) zVal.length + 2L * nodes(depth) * classes * projection + theta.length + 2L * (features + 1);
    }

    public long macs() {
        long pathNodes = depth + 1;
        return (features + 1) + zVal.length + pathNodes * 2L * classes * projection + (long) depth * projection;
    }

    /** Writes the class scores (L values) of the raw features at {@code xOff}. */
    public void predict(float[] x, int xOff, float[] scores, int sOff, float[] s, int scratchOff) {
        final int dim = features + 1, xn = scratchOff, proj = scratchOff + dim, acc = proj + projection, sum = acc + 2 * half;
        for (int i = 0; i < features; i++) s[xn + i] = (x[xOff + i] - mean[i]) * invStd[i];
        s[xn + features] = (1f - mean[features]) * invStd[features];
        float invProj = 1f / projection;
        for (int r = 0; r < projection; r++) {
            float a = 0f;
            for (int k = zRowStart[r]; k < zRowStart[r + 1]; k++) a += zVal[k] * s[xn + zCol[k]];
            s[proj + r] = a * invProj;
        }
        java.util.Arrays.fill(s, sum, sum + half, 0f);
        final int width = 2 * half;
        int node = 0;
        for (int level = 0; ; level++) {
            int base = node * projection * width;
            if (vector) BonsaiSimd.rowSums(wv, base, width, projection, s, proj, s, acc);
            else rowSums(base, width, s, proj, acc);
            addPathTerm(vector, s, acc, half, classes, sigma, sum);
            if (level == depth) break;
            float t = 0f;
            for (int j = 0; j < projection; j++) t += theta[node * projection + j] * s[proj + j];
            node = t > 0 ? 2 * node + 1 : 2 * node + 2;
        }
        System.arraycopy(s, sum, scores, sOff, classes);
    }

    /** acc[c] = Σ_j wv[base + j·width + c] · x̂_j, eight columns at a time in registers (width is a multiple of 16). */
    private void rowSums(int base, int width, float[] s, int proj, int acc) {
        for (int c = 0; c < width; c += 8) {
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            for (int j = 0, q = base + c; j < projection; j++, q += width) {
                float p = s[proj + j];
                a0 += wv[q] * p;
                a1 += wv[q + 1] * p;
                a2 += wv[q + 2] * p;
                a3 += wv[q + 3] * p;
                a4 += wv[q + 4] * p;
                a5 += wv[q + 5] * p;
                a6 += wv[q + 6] * p;
                a7 += wv[q + 7] * p;
            }
            s[acc + c] = a0;
            s[acc + c + 1] = a1;
            s[acc + c + 2] = a2;
            s[acc + c + 3] = a3;
            s[acc + c + 4] = a4;
            s[acc + c + 5] = a5;
            s[acc + c + 6] = a6;
            s[acc + c + 7] = a7;
        }
    }
}
