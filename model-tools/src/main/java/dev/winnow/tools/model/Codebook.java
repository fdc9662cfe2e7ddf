package dev.winnow.tools.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Weight sharing (Deep Compression, Han et al. 2016): 1-D k-means over a tensor's values with
 * linear initialisation between min and max (the paper's preferred choice), k = 2^bits. When the
 * tensor holds exact zeros (pruned weights), zero is one of the centroids and stays fixed, so
 * pruning survives sharing.
 */
public record Codebook(float[] centroids, int[] indices) {
    public static Codebook fit(float[] f, int bits) {
        int k = 1 << bits;
        boolean zeros = false;
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : f) {
            if (v == 0) zeros = true;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int distinct = (int) Arrays.stream(box(f)).distinct().count();
        k = Math.max(1, Math.min(k, distinct));
        double[] c = new double[k];
        int free0 = zeros ? 1 : 0; // centroid 0 is pinned at 0.0 when zeros are present
        if (zeros) c[0] = 0;
        for (int i = free0; i < k; i++) c[i] = k - free0 == 1 ? (lo + hi) / 2.0 : lo + (hi - lo) * (i - free0) / (double) (k - free0 - 1);
        int[] idx = new int[f.length];
        for (int it = 0; it < 30; it++) {
            boolean changed = false;
            for (int i = 0; i < f.length; i++) {
                int a = nearest(c, f[i], zeros);
                if (a != idx[i] || it == 0) changed |= a != idx[i];
                idx[i] = a;
            }
            double[] sum = new double[k];
            int[] cnt = new int[k];
            for (int i = 0; i < f.length; i++) {
                sum[idx[i]] += f[i];
                cnt[idx[i]]++;
            }
            for (int j = free0; j < k; j++) if (cnt[j] > 0) c[j] = sum[j] / cnt[j];
            if (!changed && it > 0) break;
        }
        float[] cf = new float[k];
        for (int j = 0; j < k; j++) cf[j] = (float) c[j];
        for (int i = 0; i < f.length; i++) idx[i] = nearest(c, f[i], zeros);
        return new Codebook(cf, idx);
    }

    private static Double[] box(float[] f) {
        Double[] d = new Double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = (double) f[i];
        return d;
    }

    private static int nearest(double[] c, float v, boolean zeroPinned) {
        if (zeroPinned && v == 0) return 0;
        int best = zeroPinned && c.length > 1 ? 1 : 0;
        double bd = Math.abs(c[best] - v);
        for (int j = best + 1; j < c.length; j++) {
            double d = Math.abs(c[j] - v);
            if (d < bd) {
                bd = d;
                best = j;
            }
        }
        return best;
    }

    /** The CODEBOOK payload as the writer lays it out (for deciding on Huffman). */
    public byte[] payload() {
        int k = centroids.length;
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(k - 1));
        long idxBytes = ((long) indices.length * bits + 7) / 8;
        ByteBuffer bb = ByteBuffer.allocate((int) (4 + 4L * k + idxBytes)).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(k);
        for (float v : centroids) bb.putFloat(v);
        byte[] p = bb.array();
        int base = 4 + 4 * k;
        for (int i = 0; i < indices.length; i++) {
            long bit = (long) i * bits;
            for (int b = 0; b < bits; b++, bit++) if (((indices[i] >>> b) & 1) != 0) p[base + (int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
        }
        return p;
    }
}
