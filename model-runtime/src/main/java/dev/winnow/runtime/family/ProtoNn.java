package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.FastMath;

/**
 * ProtoNN (Gupta et al., ICML 2017): project x with W to d̂ dimensions, compare with m learned
 * prototypes under an RBF kernel, and sum their label vectors: y = Σ_j Z_j exp(−γ² ‖B_j − W x‖²).
 * Matrices here are row-major: W [d̂][D], B [m][d̂] (one prototype per row), Z [m][L].
 */
public final class ProtoNn {
    private final int features, projection, prototypes, classes;
    private final float[] w, b, z;
    private final float gamma2;

    public ProtoNn(int features, int projection, int prototypes, int classes, float[] w, float[] b, float[] z, float gamma) {
        if (w.length != projection * features || b.length != prototypes * projection || z.length != prototypes * classes) {
            throw new IllegalArgumentException("ProtoNN shapes do not match: W " + w.length + ", B " + b.length + ", Z " + z.length);
        }
        this.features = features;
        this.projection = projection;
        this.prototypes = prototypes;
        this.classes = classes;
        this.w = w.clone();
        this.b = b.clone();
        this.z = z.clone();
        this.gamma2 = gamma * gamma;
    }

    public int features() { return features; }
    public int classes() { return classes; }
    public int scratchSize() { return projection; }
    public long parameters() { return (long) w.length + b.length + z.length + 1; }
    public long macs() { return (long) projection * features + (long) prototypes * (projection + classes); }

    public void predict(float[] x, int xOff, float[] scores, int sOff, float[] s, int scratchOff) {
        for (int r = 0; r < projection; r++) {
            float acc = 0f;
            for (int c = 0; c < features; c++) acc += w[r * features + c] * x[xOff + c];
            s[scratchOff + r] = acc;
        }
        java.util.Arrays.fill(scores, sOff, sOff + classes, 0f);
        for (int j = 0; j < prototypes; j++) {
            float d2 = 0f;
            for (int r = 0; r < projection; r++) {
                float d = b[j * projection + r] - s[scratchOff + r];
                d2 += d * d;
            }
            float k = FastMath.exp(-gamma2 * d2);
            for (int l = 0; l < classes; l++) scores[sOff + l] += z[j * classes + l] * k;
        }
    }
}
