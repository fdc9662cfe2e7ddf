package dev.winnow.tools.train;

import java.util.Arrays;

/** Magnitude masks: iterative hard thresholding (IHT) and fixed supports. */
public final class Sparsity {
    private Sparsity() {}

    /** Number of entries kept when keeping a fraction {@code keep} of {@code n}. */
    public static int keepCount(int n, double keep) {
        return (int) Math.max(0, Math.min(n, Math.ceil(keep * n - 1e-9)));
    }

    /**
     * Zeroes all but the {@code keep} fraction of largest magnitudes (ties broken by index, so the
     * result is deterministic) and returns the support as a mask (1 kept, 0 dropped).
     */
    public static boolean[] hardThreshold(double[] a, double keep) {
        int k = keepCount(a.length, keep);
        boolean[] mask = new boolean[a.length];
        if (k >= a.length) {
            Arrays.fill(mask, true);
            return mask;
        }
        Integer[] idx = new Integer[a.length];
        for (int i = 0; i < a.length; i++) idx[i] = i;
        Arrays.sort(idx, (x, y) -> {
            int c = Double.compare(Math.abs(a[y]), Math.abs(a[x]));
            return c != 0 ? c : Integer.compare(x, y);
        });
        for (int i = 0; i < k; i++) mask[idx[i]] = true;
        for (int i = 0; i < a.length; i++) if (!mask[i]) a[i] = 0;
        return mask;
    }

    public static void apply(double[] a, boolean[] mask) {
        if (mask == null) return;
        for (int i = 0; i < a.length; i++) if (!mask[i]) a[i] = 0;
    }

    public static int nonZeros(double[] a) {
        int n = 0;
        for (double v : a) if (v != 0) n++;
        return n;
    }

    public static int nonZeros(float[] a) {
        int n = 0;
        for (float v : a) if (v != 0) n++;
        return n;
    }
}
