package dev.winnow.tools.train;

import java.util.Random;

/** Lloyd's k-means on selected rows of a flat [n][dim] array, initialised with k-means++. */
public final class KMeans {
    private KMeans() {}

    /** Returns k centres [k][dim]; with fewer rows than k, rows are repeated. */
    public static double[] fit(double[] data, int dim, int[] rows, int k, int iterations, Random r) {
        double[] c = new double[k * dim];
        if (rows.length == 0) return c;
        // k-means++ seeding
        double[] best = new double[rows.length];
        int first = rows[r.nextInt(rows.length)];
        System.arraycopy(data, first * dim, c, 0, dim);
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int t = 1; t < k; t++) {
            double sum = 0;
            for (int i = 0; i < rows.length; i++) {
                best[i] = Math.min(best[i], d2(data, rows[i] * dim, c, (t - 1) * dim, dim));
                sum += best[i];
            }
            int pick = rows[r.nextInt(rows.length)];
            if (sum > 0) {
                double u = r.nextDouble() * sum;
                for (int i = 0; i < rows.length; i++) {
                    u -= best[i];
                    if (u <= 0) {
                        pick = rows[i];
                        break;
                    }
                }
            }
            System.arraycopy(data, pick * dim, c, t * dim, dim);
        }
        int[] assign = new int[rows.length];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < rows.length; i++) {
                int a = 0;
                double bd = Double.MAX_VALUE;
                for (int t = 0; t < k; t++) {
                    double dd = d2(data, rows[i] * dim, c, t * dim, dim);
                    if (dd < bd) {
                        bd = dd;
                        a = t;
                    }
                }
                assign[i] = a;
            }
            double[] sum = new double[k * dim];
            int[] cnt = new int[k];
            for (int i = 0; i < rows.length; i++) {
                cnt[assign[i]]++;
                for (int j = 0; j < dim; j++) sum[assign[i] * dim + j] += data[rows[i] * dim + j];
            }
            for (int t = 0; t < k; t++) {
                if (cnt[t] == 0) continue;
                for (int j = 0; j < dim; j++) c[t * dim + j] = sum[t * dim + j] / cnt[t];
            }
        }
        return c;
    }

    static double d2(double[] a, int ao, double[] b, int bo, int dim) {
        double s = 0;
        for (int j = 0; j < dim; j++) {
            double d = a[ao + j] - b[bo + j];
            s += d * d;
        }
        return s;
    }
}
