package dev.winnow.runtime.kernel;

/**
 * CenterNet's decode: the k best local maxima of a class heatmap [H,W,K] become boxes from a box
 * map [H,W,4] of (left, top, right, bottom) offsets. It gives exactly what the TensorFlow tail
 * {@code masked = heat · (heat == MaxPool_pxp(heat))}, {@code TopKV2(flatten(masked), k, sorted)}
 * gives: values descending, ties by ascending flat index {@code (y·W + x)·K + c}, and when fewer than
 * k values are positive the rest are the lowest-indexed zeros. Row r of the output is
 * {@code [x·s − l, y·s − t, x·s + r, y·s + b, value, c]}.
 *
 * <p>One pass in index order keeps a bounded min-heap of the best k (values in float scratch, flat
 * indices in int scratch): an element enters a full heap only if its value beats the smallest,
 * and the p x p neighbourhood is read only for such candidates. No allocation; thread safe (all
 * state is in the caller's scratch).
 */
public final class CenterNetDecode {
    private final int h, w, classes, k, radius;
    private final float stride;

    public CenterNetDecode(int h, int w, int classes, int k, int pool, float stride) {
        if (pool < 1 || pool % 2 == 0) throw new IllegalArgumentException("pool size must be odd, is " + pool);
        if (k < 1 || (long) k > (long) h * w * classes) throw new IllegalArgumentException("k must be in 1.." + (long) h * w * classes);
        this.h = h;
        this.w = w;
        this.classes = classes;
        this.k = k;
        this.radius = pool / 2;
        this.stride = stride;
    }

    public int scratchFloats() { return k; }
    public int scratchInts() { return k; }

    private boolean peak(float[] heat, int off, int y, int x, int c, float v) {
        for (int yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
            for (int xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) {
                if (heat[off + (yy * w + xx) * classes + c] > v) return false;
            }
        }
        return true;
    }

    /** Whether (va, ia) ranks below (vb, ib): smaller value, or equal value and larger index. */
    private static boolean worse(float va, int ia, float vb, int ib) {
        return va < vb || (va == vb && ia > ib);
    }

    public void run(float[] heat, int heatOff, float[] wh, int whOff, float[] out, int outOff, float[] sv, int svOff, int[] si, int siOff) {
        int size = 0;
        int n = h * w * classes;
        for (int i = 0; i < n; i++) {
            float v = heat[heatOff + i];
            if (size == k && !(v > sv[svOff])) continue;      // masked ≤ v (or 0): cannot beat the heap's worst
            int c = i % classes, p = i / classes;
            float masked = peak(heat, heatOff, p / w, p % w, c, v) ? v : 0f;
            if (size < k) {
                sv[svOff + size] = masked;
                si[siOff + size] = i;
                siftUp(sv, svOff, si, siOff, size++);
            } else if (worse(sv[svOff], si[siOff], masked, i)) {
                sv[svOff] = masked;
                si[siOff] = i;
                siftDown(sv, svOff, si, siOff, 0, k);
            }
        }
        // heap sort: repeatedly move the worst to the end, leaving best-first order
        for (int end = size - 1; end > 0; end--) {
            swap(sv, svOff, si, siOff, 0, end);
            siftDown(sv, svOff, si, siOff, 0, end);
        }
        for (int r = 0; r < size; r++) {
            int i = si[siOff + r], c = i % classes, p = i / classes, y = p / w, x = p % w;
            int b = whOff + p * 4, o = outOff + r * 6;
            float cx = x * stride, cy = y * stride;
            out[o] = cx - wh[b];
            out[o + 1] = cy - wh[b + 1];
            out[o + 2] = cx + wh[b + 2];
            out[o + 3] = cy + wh[b + 3];
            out[o + 4] = sv[svOff + r];
            out[o + 5] = c;
        }
    }

    private static void siftUp(float[] sv, int so, int[] si, int io, int j) {
        while (j > 0) {
            int parent = (j - 1) >>> 1;
            if (!worse(sv[so + j], si[io + j], sv[so + parent], si[io + parent])) return;
            swap(sv, so, si, io, j, parent);
            j = parent;
        }
    }

    private static void siftDown(float[] sv, int so, int[] si, int io, int j, int size) {
        while (true) {
            int l = 2 * j + 1, r = l + 1, m = j;
            if (l < size && worse(sv[so + l], si[io + l], sv[so + m], si[io + m])) m = l;
            if (r < size && worse(sv[so + r], si[io + r], sv[so + m], si[io + m])) m = r;
            if (m == j) return;
            swap(sv, so, si, io, j, m);
            j = m;
        }
    }

    private static void swap(float[] sv, int so, int[] si, int io, int a, int b) {
        float v = sv[so + a];
        sv[so + a] = sv[so + b];
        sv[so + b] = v;
        int t = si[io + a];
        si[io + a] = si[io + b];
        si[io + b] = t;
    }
}
