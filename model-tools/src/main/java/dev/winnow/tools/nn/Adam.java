package dev.winnow.tools.nn;

import java.util.List;

/** Adam (Kingma and Ba) with bias correction and optional decoupled weight decay. */
public final class Adam {
    private final List<Param> params;
    private final float beta1, beta2, eps;
    private int t;

    public Adam(List<Param> params) {
        this(params, 0.9f, 0.999f, 1e-8f);
    }

    public Adam(List<Param> params, float beta1, float beta2, float eps) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    public void zeroGrad() {
        for (Param p : params) p.zeroGrad();
    }

    /** Sums the workers' gradients, scales them by {@code gradScale} (e.g. 1/batch) and steps. */
    public void step(float lr, float gradScale, float weightDecay) {
        t++;
        float c1 = 1f - (float) Math.pow(beta1, t), c2 = 1f - (float) Math.pow(beta2, t);
        for (Param p : params) {
            p.reduce();
            float[] g = p.grads[0], w = p.w, m = p.m, v = p.v;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] * gradScale;
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                w[i] -= lr * ((m[i] / c1) / ((float) Math.sqrt(v[i] / c2) + eps) + weightDecay * w[i]);
            }
            java.util.Arrays.fill(g, 0f);
        }
    }
}
