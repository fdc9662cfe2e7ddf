package dev.winnow.tools.train;

/** Adam (Kingma and Ba, 2015) over parameter blocks, updating in place. */
public final class Adam {
    private final double lr, beta1, beta2, eps;
    private final double[][] m, v;
    private long t;

    public Adam(double[][] params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8);
    }

    public Adam(double[][] params, double lr, double beta1, double beta2, double eps) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        m = new double[params.length][];
        v = new double[params.length][];
        for (int i = 0; i < params.length; i++) {
            m[i] = new double[params[i].length];
            v[i] = new double[params[i].length];
        }
    }

    /** One step with gradients {@code g}, at learning rate {@code lr × scale}. */
    public void step(double[][] params, double[][] g, double scale) {
        t++;
        double c1 = 1 - StrictMath.pow(beta1, t), c2 = 1 - StrictMath.pow(beta2, t);
        double a = lr * scale * Math.sqrt(c2) / c1;
        for (int b = 0; b < params.length; b++) {
            double[] p = params[b], gb = g[b], mb = m[b], vb = v[b];
            for (int i = 0; i < p.length; i++) {
                double gi = gb[i];
                mb[i] = beta1 * mb[i] + (1 - beta1) * gi;
                vb[i] = beta2 * vb[i] + (1 - beta2) * gi * gi;
                p[i] -= a * mb[i] / (Math.sqrt(vb[i]) + eps);
            }
        }
    }
}
