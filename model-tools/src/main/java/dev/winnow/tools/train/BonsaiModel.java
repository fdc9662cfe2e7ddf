package dev.winnow.tools.train;

import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.model.FamilyArtifacts;
import java.util.Locale;
import java.util.Random;

/**
 * Bonsai (Kumar, Goyal, Varma, ICML 2017) for training: x̂ = Z·[(x − μ)/σ, 1] / D̂; every node k
 * scores (W_k x̂) ⊙ tanh(σ V_k x̂), weighted by its soft path indicator I_k, where a node's left
 * child 2p+1 gets I_p (1 + tanh(σ_I θ_p·x̂))/2 and its right child 2p+2 gets I_p (1 − tanh(σ_I θ_p·x̂))/2.
 * Z, W, V and θ are learned jointly; σ_I is annealed so the soft paths become the hard path the
 * runtime takes; iterative hard thresholding keeps Z, θ (and optionally W, V) sparse: dense for the
 * first third of training, hard thresholding after every step in the second, fixed support in the
 * last. Layouts are the runtime's: Z [D̂][D+1], W and V [(node·L + l)][D̂], θ [internal][D̂].
 */
public final class BonsaiModel extends SparseModel {
    /** Hyperparameters. Sparsities are the fraction of entries kept (1 = dense). */
    public record Config(int projection, int depth, double sigma, Loss loss, double sigmaIStart, double sigmaIEnd,
                         double keepZ, double keepW, double keepV, double keepTheta,
                         double l2Z, double l2W, double l2V, double l2Theta) {
        public static Config defaults(int projection, int depth) {
            return new Config(projection, depth, 1.0, Loss.CROSS_ENTROPY, 1.0, 256.0, 1, 1, 1, 1, 1e-5, 1e-5, 1e-5, 1e-5);
        }

        public Config sparsity(double z, double w, double v, double theta) {
            return new Config(projection, depth, sigma, loss, sigmaIStart, sigmaIEnd, z, w, v, theta, l2Z, l2W, l2V, l2Theta);
        }

        public Config sigma(double s) {
            return new Config(projection, depth, s, loss, sigmaIStart, sigmaIEnd, keepZ, keepW, keepV, keepTheta, l2Z, l2W, l2V, l2Theta);
        }

        public Config loss(Loss l) {
            return new Config(projection, depth, sigma, l, sigmaIStart, sigmaIEnd, keepZ, keepW, keepV, keepTheta, l2Z, l2W, l2V, l2Theta);
        }

        public Config l2(double all) {
            return new Config(projection, depth, sigma, loss, sigmaIStart, sigmaIEnd, keepZ, keepW, keepV, keepTheta, all, all, all, all);
        }

        public Config sigmaI(double start, double end) {
            return new Config(projection, depth, sigma, loss, start, end, keepZ, keepW, keepV, keepTheta, l2Z, l2W, l2V, l2Theta);
        }
    }

    final Config cfg;
    final int d, dim, proj, classes, depth, internal, nodes;
    final float[] mean, std;
    final double[] z, w, v, theta;
    double sigmaI;
    /** Forward values of Z, W, V, θ: the parameters, or their fake-quantized copies (quantization-aware training). */
    double[] fz, fw, fv, ft;

    public BonsaiModel(int features, int classes, Config cfg, float[] mean, float[] std, double[] z, double[] w, double[] v, double[] theta, double sigmaI) {
        this.cfg = cfg;
        this.d = features;
        this.dim = features + 1;
        this.proj = cfg.projection();
        this.classes = classes;
        this.depth = cfg.depth();
        this.internal = (1 << depth) - 1;
        this.nodes = 2 * internal + 1;
        if (mean.length != dim || std.length != dim) throw new IllegalArgumentException("mean and std need D+1 = " + dim + " values");
        if (z.length != proj * dim || w.length != classes * nodes * proj || v.length != w.length || theta.length != Math.max(1, internal) * proj) {
            throw new IllegalArgumentException("Bonsai parameter shapes do not fit D=" + features + ", D̂=" + proj + ", L=" + classes + ", depth " + depth);
        }
        this.mean = mean;
        this.std = std;
        this.z = z;
        this.w = w;
        this.v = v;
        this.theta = theta;
        this.sigmaI = sigmaI;
        forwardFrom(false);
    }

    @Override
    void forwardFrom(boolean copies) {
        fz = copies ? new double[z.length] : z;
        fw = copies ? new double[w.length] : w;
        fv = copies ? new double[v.length] : v;
        ft = copies ? new double[theta.length] : theta;
    }

    @Override
    void refreshFakeQuant() {
        if (fakeQuant == null) return;
        var f = dev.winnow.tools.model.TensorEncoding.FLOAT;
        FakeQuant.apply(z, fz, proj, fakeQuant.getOrDefault("Z", f));
        FakeQuant.apply(w, fw, classes * nodes, fakeQuant.getOrDefault("W", f));
        FakeQuant.apply(v, fv, classes * nodes, fakeQuant.getOrDefault("V", f));
        FakeQuant.apply(theta, ft, Math.max(1, internal), fakeQuant.getOrDefault("T", f));
    }

    /** A fresh model: normalisation from the data, Gaussian weights from the seed (as EdgeML's randn init). */
    public static BonsaiModel init(Dataset train, Config cfg, long seed) {
        int features = train.features(), classes = train.classes(), dim = features + 1;
        Standardizer s = Standardizer.of(train);
        float[] mean = new float[dim], std = new float[dim];
        System.arraycopy(s.mean(), 0, mean, 0, features);
        System.arraycopy(s.std(), 0, std, 0, features);
        std[features] = 1f;
        int internal = (1 << cfg.depth()) - 1, nodes = 2 * internal + 1, proj = cfg.projection();
        Random r = new Random(seed);
        double[] z = gauss(r, proj * dim, 1.0);
        double[] w = gauss(r, classes * nodes * proj, 1.0);
        double[] v = gauss(r, classes * nodes * proj, 1.0);
        double[] t = gauss(r, Math.max(1, internal) * proj, 1.0);
        return new BonsaiModel(features, classes, cfg, mean, std, z, w, v, t, cfg.sigmaIStart());
    }

    static double[] gauss(Random r, int n, double sd) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian() * sd;
        return a;
    }

    public Config config() { return cfg; }
    public int projection() { return proj; }
    public int depth() { return depth; }
    public double sigma() { return cfg.sigma(); }
    public double sigmaI() { return sigmaI; }
    public float[] mean() { return mean.clone(); }
    public float[] std() { return std.clone(); }
    public double[] z() { return z; }
    public double[] w() { return w; }
    public double[] v() { return v; }
    public double[] theta() { return theta; }

    @Override public double[][] params() { return new double[][] {z, w, v, theta}; }
    @Override public String[] paramNames() { return new String[] {"Z", "W", "V", "theta"}; }
    @Override public double[] l2() { return new double[] {cfg.l2Z(), cfg.l2W(), cfg.l2V(), cfg.l2Theta()}; }
    @Override public int features() { return d; }
    @Override public int classes() { return classes; }

    private final class Scratch {
        final double[] xn = new double[dim], p = new double[proj], a = new double[nodes * classes], b = new double[nodes * classes];
        final double[] ind = new double[nodes], th = new double[Math.max(1, internal)], e = new double[nodes], big = new double[nodes];
        final double[] y = new double[classes], delta = new double[classes], dp = new double[proj];
    }

    @Override public Object newScratch() { return new Scratch(); }

    private void project(float[] x, int off, Scratch s) {
        double[] z = fz;
        for (int i = 0; i < d; i++) s.xn[i] = (x[off + i] - mean[i]) / std[i];
        s.xn[d] = (1 - mean[d]) / std[d];
        for (int r = 0; r < proj; r++) {
            double acc = 0;
            int zr = r * dim;
            for (int c = 0; c < dim; c++) acc += z[zr + c] * s.xn[c];
            s.p[r] = acc / proj;
        }
    }

    private double dot(double[] m, int row, double[] p) {
        double acc = 0;
        int o = row * proj;
        for (int j = 0; j < proj; j++) acc += m[o + j] * p[j];
        return acc;
    }

    @Override
    public double lossAndGradient(float[] x, int off, int label, double[][] g, Object scratch, int[] correct) {
        Scratch s = (Scratch) scratch;
        project(x, off, s);
        double[] w = fw, v = fv, theta = ft;
        double sigma = cfg.sigma();
        double[] p = s.p;
        java.util.Arrays.fill(s.y, 0);
        s.ind[0] = 1;
        for (int q = 0; q < internal; q++) {
            double th = StrictMath.tanh(sigmaI * dot(theta, q, p));
            s.th[q] = th;
            s.ind[2 * q + 1] = s.ind[q] * (1 + th) / 2;
            s.ind[2 * q + 2] = s.ind[q] * (1 - th) / 2;
        }
        for (int k = 0; k < nodes; k++) {
            for (int l = 0; l < classes; l++) {
                int row = k * classes + l;
                double a = dot(w, row, p), b = StrictMath.tanh(sigma * dot(v, row, p));
                s.a[row] = a;
                s.b[row] = b;
                s.y[l] += s.ind[k] * a * b;
            }
        }
        if (Loss.argmax(s.y) == label) correct[0]++;
        double loss = soft != null ? soft.loss(s.y, label, off, s.delta) : cfg.loss().apply(s.y, label, s.delta);
        if (g == null) return loss;
        double[] gz = g[0], gw = g[1], gv = g[2], gt = g[3], dp = s.dp;
        java.util.Arrays.fill(dp, 0);
        for (int k = 0; k < nodes; k++) {
            double ek = 0, ik = s.ind[k];
            for (int l = 0; l < classes; l++) {
                int row = k * classes + l;
                double dl = s.delta[l], a = s.a[row], b = s.b[row];
                ek += dl * a * b;
                double cw = dl * ik * b, cv = dl * ik * a * (1 - b * b) * sigma;
                if (cw == 0 && cv == 0) continue;
                int o = row * proj;
                for (int j = 0; j < proj; j++) {
                    gw[o + j] += cw * p[j];
                    gv[o + j] += cv * p[j];
                    dp[j] += cw * w[o + j] + cv * v[o + j];
                }
            }
            s.e[k] = ek;
        }
        // A_k = dL/dI_k including the effect through the subtree below k
        for (int k = nodes - 1; k >= 0; k--) {
            double a = s.e[k];
            if (k < internal) a += s.big[2 * k + 1] * (1 + s.th[k]) / 2 + s.big[2 * k + 2] * (1 - s.th[k]) / 2;
            s.big[k] = a;
        }
        for (int q = 0; q < internal; q++) {
            double th = s.th[q];
            double dt = s.ind[q] * (s.big[2 * q + 1] - s.big[2 * q + 2]) * sigmaI * (1 - th * th) / 2;
            if (dt == 0) continue;
            int o = q * proj;
            for (int j = 0; j < proj; j++) {
                gt[o + j] += dt * p[j];
                dp[j] += dt * theta[o + j];
            }
        }
        for (int r = 0; r < proj; r++) {
            double c = dp[r] / proj;
            if (c == 0) continue;
            int o = r * dim;
            for (int col = 0; col < dim; col++) gz[o + col] += c * s.xn[col];
        }
        return loss;
    }

    /** The hard path, as the runtime's Bonsai op computes it. */
    @Override
    public void scores(float[] x, int off, double[] out, Object scratch) {
        Scratch s = (Scratch) scratch;
        project(x, off, s);
        double[] w = fw, v = fv, theta = ft;
        java.util.Arrays.fill(out, 0);
        int node = 0;
        for (int level = 0; ; level++) {
            for (int l = 0; l < classes; l++) {
                int row = node * classes + l;
                out[l] += dot(w, row, s.p) * StrictMath.tanh(cfg.sigma() * dot(v, row, s.p));
            }
            if (level == depth) break;
            node = dot(theta, node, s.p) > 0 ? 2 * node + 1 : 2 * node + 2;
        }
    }

    @Override
    public void beforeEpoch(int epoch, int epochs) {
        if (!ihtSchedule) return;
        // geometric annealing from σ_I start to end over the first two thirds, then held
        double f = Math.min(1.0, epoch / Math.max(1.0, epochs * 2.0 / 3 - 1));
        sigmaI = cfg.sigmaIStart() * StrictMath.pow(cfg.sigmaIEnd() / cfg.sigmaIStart(), f);
    }

    @Override
    public void afterStep(long step, long totalSteps) {
        double[][] ps = params();
        double[] keep = {cfg.keepZ(), cfg.keepW(), cfg.keepV(), cfg.keepTheta()};
        if (ihtSchedule) {
            long third = totalSteps / 3;
            if (step >= third && step < 2 * third) {
                for (int b = 0; b < 4; b++) if (keep[b] < 1) Sparsity.hardThreshold(ps[b], keep[b]);
            } else if (step == 2 * third || (step > 2 * third && masksMissing(keep))) {
                for (int b = 0; b < 4; b++) if (keep[b] < 1) masks[b] = Sparsity.hardThreshold(ps[b], keep[b]);
            }
        }
        for (int b = 0; b < 4; b++) Sparsity.apply(ps[b], masks[b]);
        refreshFakeQuant();
    }

    private boolean masksMissing(double[] keep) {
        for (int b = 0; b < 4; b++) if (keep[b] < 1 && masks[b] == null) return true;
        return false;
    }

    public int nonZeros(int block) {
        return Sparsity.nonZeros(params()[block]);
    }

    @Override
    public String status() {
        return String.format(Locale.ROOT, "σI %.3g  nnz Z %d/%d θ %d/%d", sigmaI, nonZeros(0), z.length, nonZeros(3), theta.length);
    }

    /** The parameters in float, in the runtime's layout. */
    public FamilyArtifacts.BonsaiTensors tensors() {
        return new FamilyArtifacts.BonsaiTensors(d, proj, classes, depth, (float) cfg.sigma(), mean.clone(), std.clone(),
                toFloat(z), toFloat(w), toFloat(v), toFloat(theta));
    }

    /** A model from stored parameters (e.g. read back from an artifact), for fine-tuning or compression; σ_I is made large (hard paths). */
    public static BonsaiModel fromTensors(FamilyArtifacts.BonsaiTensors t, Config base) {
        Config c = base == null ? Config.defaults(t.projection(), t.depth()) : base;
        c = new Config(t.projection(), t.depth(), t.sigma(), c.loss(), c.sigmaIStart(), c.sigmaIEnd(), c.keepZ(), c.keepW(), c.keepV(), c.keepTheta(),
                c.l2Z(), c.l2W(), c.l2V(), c.l2Theta());
        BonsaiModel m = new BonsaiModel(t.features(), t.classes(), c, t.mean().clone(), t.std().clone(), ProtoNnModel.toDouble(t.z()),
                ProtoNnModel.toDouble(t.w()), ProtoNnModel.toDouble(t.v()), ProtoNnModel.toDouble(t.theta()), c.sigmaIEnd());
        m.freezeSchedule();
        return m;
    }

    static float[] toFloat(double[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) o[i] = (float) a[i];
        return o;
    }

    /** A deep copy (for compression experiments that must not touch the original). */
    public BonsaiModel copy() {
        BonsaiModel m = new BonsaiModel(d, classes, cfg, mean.clone(), std.clone(), z.clone(), w.clone(), v.clone(), theta.clone(), sigmaI);
        copyTrainingStateTo(m);
        m.setFakeQuant(fakeQuant);
        return m;
    }
}
