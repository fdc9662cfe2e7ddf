package dev.winnow.tools.train;

import dev.winnow.tools.data.Dataset;

/** Per-feature mean and standard deviation of a training set (std of a constant feature is 1). */
public record Standardizer(float[] mean, float[] std) {
    public static Standardizer of(Dataset d) {
        int f = d.features(), n = d.size();
        double[] s = new double[f], s2 = new double[f];
        float[] x = d.x();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double v = x[i * f + j];
                s[j] += v;
                s2[j] += v * v;
            }
        }
        float[] mean = new float[f], std = new float[f];
        for (int j = 0; j < f; j++) {
            double m = n == 0 ? 0 : s[j] / n;
            double var = n == 0 ? 1 : Math.max(0, s2[j] / n - m * m);
            mean[j] = (float) m;
            std[j] = var < 1e-12 ? 1f : (float) Math.sqrt(var);
        }
        return new Standardizer(mean, std);
    }
}
