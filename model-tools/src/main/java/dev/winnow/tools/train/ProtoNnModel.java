package dev.winnow.tools.train;

import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.model.TensorEncoding;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * ProtoNN (Gupta et al., ICML 2017) for training: s = W·(x − μ)/σ, y = Σ_j Z_j exp(−γ² ‖B_j − s‖²).
 * W, B, Z (and optionally γ) are learned jointly with Adam; iterative hard thresholding keeps each of
 * them as sparse as asked (dense first third, thresholding in the second, fixed support in the last).
 * Initialisation as in EdgeML: a random projection, k-means prototypes per class in the projected
 * space, one-hot label vectors, and γ from the median distance of points to their nearest prototype.
 * The runtime's op has no normalisation, so {@link #exportW()} and {@link #exportB()} fold μ and σ
 * into W and B.
 */
public final class ProtoNnModel extends SparseModel {
    public record Config(int projection, int prototypes, double gammaScale, boolean learnGamma, Loss loss,
                         double keepW, double keepB, double keepZ, double l2) {
        public static Config defaults(int projection, int prototypes) {
            return new Config(projection, prototypes, 1.0, true, Loss.CROSS_ENTROPY, 1, 1, 1, 1e-6);
        }

        public Config sparsity(double w, double b, double z) {
            return new Config(projection, prototypes, gammaScale, learnGamma, loss, w, b, z, l2);
        }

        public Config gammaScale(double g) {
            return new Config(projection, prototypes, g, learnGamma, loss, keepW, keepB, keepZ, l2);
        }

        public Config loss(Loss l) {
            return new Config(projection, prototypes, gammaScale, learnGamma, l, keepW, keepB, keepZ, l2);
        }

        public Config l2(double r) {
            return new Config(projection, prototypes, gammaScale, learnGamma, loss, keepW, keepB, keepZ, r);
        }
    }

    final Config cfg;
    final int d, proj, m, classes;
    final float[] mean, std;
    final double[] w, b, z, gamma;
    /** {min, max} of the raw features, for the int8 input's parameters (null: unknown). */
    float[] inputRange;
    /** Forward values of W, B, Z: the parameters themselves, or their fake-quantized copies. */
    double[] fw, fb, fz;
    /** B's scale when the projection is rounded to it (int8 arithmetic), else 0. */
    double pScale;
    dev.winnow.runtime.quant.QuantParams inQuant;

    public ProtoNnModel(int features, int classes, Config cfg, float[] mean, float[] std, double[] w, double[] b, double[] z, double gamma) {
        this.cfg = cfg;
        this.d = features;
        this.proj = cfg.projection();
        this.m = cfg.prototypes();
        this.classes = classes;
        if (w.length != proj * d || b.length != m * proj || z.length != m * classes || mean.length != d || std.length != d) {
            throw new IllegalArgumentException("ProtoNN parameter shapes do not fit D=" + d + ", d̂=" + proj + ", m=" + m + ", L=" + classes);
        }
        this.mean = mean;
        this.std = std;
        this.w = w;
        this.b = b;
        this.z = z;
        this.gamma = new double[] {gamma};
        forwardFrom(false);
    }

    public float[] inputRange() { return inputRange == null ? null : inputRange.clone(); }

    public void inputRange(float[] range) { this.inputRange = range == null ? null : range.clone(); }

    /** {min, max} over every feature of a data set. */
    public static float[] rangeOf(Dataset d) {
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (int i = 0; i < d.size() * d.features(); i++) {
            lo = Math.min(lo, d.x()[i]);
            hi = Math.max(hi, d.x()[i]);
        }
        return new float[] {lo, hi};
    }

    /** Folds the normalisation into W and B (as {@link #tensors()} exports them), leaving mean 0 and std 1. */
    void foldNormalization() {
        boolean identity = true;
        for (int c = 0; c < d; c++) identity &= mean[c] == 0f && std[c] == 1f;
        if (identity) return;
        float[] w2 = exportW(), b2 = exportB();
        for (int i = 0; i < w.length; i++) w[i] = w2[i];
        for (int i = 0; i < b.length; i++) b[i] = b2[i];
        java.util.Arrays.fill(mean, 0f);
        java.util.Arrays.fill(std, 1f);
    }

    @Override
    void beforeFakeQuant() {
        foldNormalization();
    }

    @Override
    void forwardFrom(boolean copies) {
        fw = copies ? new double[w.length] : w;
        fb = copies ? new double[b.length] : b;
        fz = copies ? new double[z.length] : z;
    }

    @Override
    void refreshFakeQuant() {
        if (fakeQuant == null) {
            pScale = 0;
            inQuant = null;
            return;
        }
        TensorEncoding f = TensorEncoding.FLOAT;
        FakeQuant.apply(w, fw, proj, fakeQuant.getOrDefault("W", f));
        double sb = FakeQuant.apply(b, fb, m, fakeQuant.getOrDefault("B", f));
        FakeQuant.apply(z, fz, m, fakeQuant.getOrDefault("Z", f));
        boolean int8 = inputRange != null && FamilyArtifacts.protoNnInt8(tensorsShape(), fakeQuant);
        pScale = int8 ? sb : 0;
        inQuant = int8 ? FamilyArtifacts.inputParams(inputRange) : null;
    }

    private FamilyArtifacts.ProtoNnTensors tensorsShape() {
        return new FamilyArtifacts.ProtoNnTensors(d, proj, m, classes, null, null, null, gamma[0], inputRange);
    }

    public static ProtoNnModel init(Dataset train, Config cfg, long seed) {
        int d = train.features(), L = train.classes(), proj = cfg.projection(), m = cfg.prototypes();
        if (m < L) throw new IllegalArgumentException("ProtoNN needs at least one prototype per class: " + m + " < " + L);
        Standardizer st = Standardizer.of(train);
        Random r = new Random(seed);
        double[] w = BonsaiModel.gauss(r, proj * d, 1.0 / Math.sqrt(d));
        int n = train.size();
        double[] s = new double[n * proj];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < proj; k++) {
                double acc = 0;
                for (int c = 0; c < d; c++) acc += w[k * d + c] * (train.x()[i * d + c] - st.mean()[c]) / st.std()[c];
                s[i * proj + k] = acc;
            }
        }
        // prototypes per class, in proportion to nothing but fairness: m / L each, the remainder to the first classes
        double[] b = new double[m * proj], z = new double[m * L];
        int[] counts = train.classCounts();
        int j = 0;
        for (int c = 0; c < L; c++) {
            int k = m / L + (c < m % L ? 1 : 0);
            int[] rows = new int[counts[c]];
            int q = 0;
            for (int i = 0; i < n; i++) if (train.label(i) == c) rows[q++] = i;
            double[] centres = KMeans.fit(s, proj, rows, k, 10, r);
            for (int t = 0; t < k; t++, j++) {
                System.arraycopy(centres, t * proj, b, j * proj, proj);
                z[j * L + c] = 1;
            }
        }
        // γ = scale / median distance to the nearest prototype (EdgeML uses 2.5)
        int probe = Math.min(n, 2000);
        double[] dist = new double[probe];
        int[] perm = Dataset.permutation(n, r);
        for (int t = 0; t < probe; t++) {
            int i = perm[t];
            double best = Double.MAX_VALUE;
            for (int p = 0; p < m; p++) {
                double d2 = 0;
                for (int k = 0; k < proj; k++) {
                    double dd = b[p * proj + k] - s[i * proj + k];
                    d2 += dd * dd;
                }
                best = Math.min(best, d2);
            }
            dist[t] = Math.sqrt(best);
        }
        Arrays.sort(dist);
        double med = Math.max(1e-6, dist[probe / 2]);
        ProtoNnModel model = new ProtoNnModel(d, L, cfg, st.mean(), st.std(), w, b, z, cfg.gammaScale() / med);
        model.inputRange = rangeOf(train);
        return model;
    }

    public Config config() { return cfg; }
    public int projection() { return proj; }
    public int prototypes() { return m; }
    public double gamma() { return gamma[0]; }
    public double[] w() { return w; }
    public double[] b() { return b; }
    public double[] z() { return z; }

    @Override public double[][] params() { return new double[][] {w, b, z, gamma}; }
    @Override public String[] paramNames() { return new String[] {"W", "B", "Z", "gamma"}; }
    @Override public double[] l2() { return new double[] {cfg.l2(), cfg.l2(), cfg.l2(), 0}; }
    @Override public int features() { return d; }
    @Override public int classes() { return classes; }

    private final class Scratch {
        final double[] xn = new double[d], s = new double[proj], k = new double[m], y = new double[classes], delta = new double[classes], ds = new double[proj];
        final boolean[] clamped = new boolean[proj];
    }

    @Override public Object newScratch() { return new Scratch(); }

    private void forward(float[] x, int off, Scratch sc) {
        double[] w = fw, b = fb, z = fz;
        if (inQuant != null) {
            // int8 arithmetic (normalisation folded): the kernel sees the input on its int8 grid
            for (int c = 0; c < d; c++) sc.xn[c] = inQuant.dequantize(inQuant.quantize(x[off + c]));
        } else {
            for (int c = 0; c < d; c++) sc.xn[c] = (x[off + c] - mean[c]) / std[c];
        }
        for (int r = 0; r < proj; r++) {
            double acc = 0;
            for (int c = 0; c < d; c++) acc += w[r * d + c] * sc.xn[c];
            sc.s[r] = acc;
            if (pScale > 0) {
                // the projection on B's grid (straight-through inside the range, no gradient where it saturates)
                double q = FakeQuant.round(acc, pScale, dev.winnow.runtime.family.ProtoNn.Int8.P_LIMIT);
                sc.clamped[r] = Math.abs(acc / pScale) > dev.winnow.runtime.family.ProtoNn.Int8.P_LIMIT;
                sc.s[r] = q;
            }
        }
        double g2 = gamma[0] * gamma[0];
        Arrays.fill(sc.y, 0);
        for (int j = 0; j < m; j++) {
            double d2 = 0;
            int o = j * proj;
            for (int r = 0; r < proj; r++) {
                double dd = b[o + r] - sc.s[r];
                d2 += dd * dd;
            }
            double kj = StrictMath.exp(-g2 * d2);
            sc.k[j] = kj;
            int zo = j * classes;
            for (int l = 0; l < classes; l++) sc.y[l] += z[zo + l] * kj;
        }
    }

    @Override
    public double lossAndGradient(float[] x, int off, int label, double[][] g, Object scratch, int[] correct) {
        Scratch sc = (Scratch) scratch;
        forward(x, off, sc);
        if (Loss.argmax(sc.y) == label) correct[0]++;
        double loss = soft != null ? soft.loss(sc.y, label, off, sc.delta) : cfg.loss().apply(sc.y, label, sc.delta);
        if (g == null) return loss;
        double[] gw = g[0], gb = g[1], gz = g[2], gg = g[3], ds = sc.ds, b = fb, z = fz;
        Arrays.fill(ds, 0);
        double g2 = gamma[0] * gamma[0], dGamma = 0;
        for (int j = 0; j < m; j++) {
            double kj = sc.k[j];
            if (kj == 0) continue;
            int zo = j * classes;
            double dk = 0;
            for (int l = 0; l < classes; l++) {
                gz[zo + l] += sc.delta[l] * kj;
                dk += z[zo + l] * sc.delta[l];
            }
            double dd2 = -dk * kj * g2; // dL/d(‖B_j − s‖²)
            int o = j * proj;
            double d2 = 0;
            for (int r = 0; r < proj; r++) {
                double diff = b[o + r] - sc.s[r];
                d2 += diff * diff;
                gb[o + r] += 2 * dd2 * diff;
                ds[r] -= 2 * dd2 * diff;
            }
            dGamma += -dk * kj * 2 * gamma[0] * d2;
        }
        if (cfg.learnGamma()) gg[0] += dGamma;
        for (int r = 0; r < proj; r++) {
            double c = ds[r];
            if (c == 0 || (pScale > 0 && sc.clamped[r])) continue;
            for (int col = 0; col < d; col++) gw[r * d + col] += c * sc.xn[col];
        }
        return loss;
    }

    @Override
    public void scores(float[] x, int off, double[] out, Object scratch) {
        Scratch sc = (Scratch) scratch;
        forward(x, off, sc);
        System.arraycopy(sc.y, 0, out, 0, classes);
    }

    @Override
    public void afterStep(long step, long totalSteps) {
        double[][] ps = params();
        double[] keep = {cfg.keepW(), cfg.keepB(), cfg.keepZ(), 1};
        if (ihtSchedule) {
            long third = totalSteps / 3;
            if (step >= third && step < 2 * third) {
                for (int i = 0; i < 3; i++) if (keep[i] < 1) Sparsity.hardThreshold(ps[i], keep[i]);
            } else if (step >= 2 * third) {
                for (int i = 0; i < 3; i++) if (keep[i] < 1 && masks[i] == null) masks[i] = Sparsity.hardThreshold(ps[i], keep[i]);
            }
        }
        for (int i = 0; i < 3; i++) Sparsity.apply(ps[i], masks[i]);
        refreshFakeQuant();
    }

    @Override
    public String status() {
        return String.format(Locale.ROOT, "γ %.3f  nnz W %d B %d Z %d", gamma[0], Sparsity.nonZeros(w), Sparsity.nonZeros(b), Sparsity.nonZeros(z));
    }

    /** W with 1/σ folded in: [d̂][D], for the runtime (whose op does not normalise). */
    public float[] exportW() {
        float[] out = new float[proj * d];
        for (int r = 0; r < proj; r++) for (int c = 0; c < d; c++) out[r * d + c] = (float) (w[r * d + c] / std[c]);
        return out;
    }

    /** B with W'μ added to every prototype, so ‖B'_j − W'x‖ = ‖B_j − W(x − μ)/σ‖. */
    public float[] exportB() {
        double[] shift = new double[proj];
        for (int r = 0; r < proj; r++) for (int c = 0; c < d; c++) shift[r] += w[r * d + c] / std[c] * mean[c];
        float[] out = new float[m * proj];
        for (int j = 0; j < m; j++) for (int r = 0; r < proj; r++) out[j * proj + r] = (float) (b[j * proj + r] + shift[r]);
        return out;
    }

    public float[] exportZ() {
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) out[i] = (float) z[i];
        return out;
    }

    static double[] toDouble(float[] a) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i];
        return o;
    }

    /** The runtime's form (normalisation folded into W and B). */
    public FamilyArtifacts.ProtoNnTensors tensors() {
        return new FamilyArtifacts.ProtoNnTensors(d, proj, m, classes, exportW(), exportB(), exportZ(), gamma[0], inputRange);
    }

    public static ProtoNnModel fromTensors(FamilyArtifacts.ProtoNnTensors t, Config base) {
        Config c = base == null ? Config.defaults(t.projection(), t.prototypes())
                : new Config(t.projection(), t.prototypes(), base.gammaScale(), base.learnGamma(), base.loss(), base.keepW(), base.keepB(), base.keepZ(), base.l2());
        float[] mean = new float[t.features()], std = new float[t.features()];
        Arrays.fill(std, 1f);
        ProtoNnModel p = new ProtoNnModel(t.features(), t.classes(), c, mean, std, toDouble(t.w()), toDouble(t.b()), toDouble(t.z()), t.gamma());
        p.inputRange = t.inputRange();
        p.freezeSchedule();
        return p;
    }

    public ProtoNnModel copy() {
        ProtoNnModel c = new ProtoNnModel(d, classes, cfg, mean.clone(), std.clone(), w.clone(), b.clone(), z.clone(), gamma[0]);
        copyTrainingStateTo(c);
        c.inputRange = inputRange;
        c.setFakeQuant(fakeQuant);
        return c;
    }
}
