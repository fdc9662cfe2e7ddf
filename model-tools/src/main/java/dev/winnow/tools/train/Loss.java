package dev.winnow.tools.train;

/** Multi-class losses on a score vector: value, and dL/dscore written to {@code delta}. */
public enum Loss {
    /** Softmax cross-entropy. */
    CROSS_ENTROPY,
    /** Multi-class hinge, as EdgeML's Bonsai: max(0, 1 − (y_true − max_{l≠true} y_l)). */
    HINGE;

    public double apply(double[] y, int label, double[] delta) {
        int n = y.length;
        if (this == CROSS_ENTROPY) {
            double m = y[0];
            for (int l = 1; l < n; l++) m = Math.max(m, y[l]);
            double s = 0;
            for (int l = 0; l < n; l++) {
                delta[l] = StrictMath.exp(y[l] - m);
                s += delta[l];
            }
            for (int l = 0; l < n; l++) delta[l] /= s;
            double loss = StrictMath.log(s) + m - y[label];
            delta[label] -= 1;
            return loss;
        }
        int other = label == 0 ? 1 : 0;
        for (int l = 0; l < n; l++) if (l != label && y[l] > y[other]) other = l;
        java.util.Arrays.fill(delta, 0);
        double margin = 1 - (y[label] - y[other]);
        if (margin <= 0) return 0;
        delta[label] = -1;
        delta[other] = 1;
        return margin;
    }

    static int argmax(double[] y) {
        int b = 0;
        for (int l = 1; l < y.length; l++) if (y[l] > y[b]) b = l;
        return b;
    }
}
