package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.Arithmetic;

import dev.winnow.runtime.kernel.simd.ElementwiseSimd;
import java.util.Arrays;

/**
 * Float element-wise add, subtract and multiply with NumPy broadcasting: the two shapes are aligned
 * at their last axes, and an axis of size 1 (or a missing leading axis) repeats. Plans are made once
 * per op (shapes are static); {@link #run} allocates nothing. Fast paths cover what image models do:
 * equal shapes, a scalar, and a vector along the last axis (squeeze-excite, per-channel scales);
 * each runs contiguous runs through a loop per kind, on the Vector API when the module is present
 * ({@link ElementwiseSimd}, nothing carried between iterations: no boxing on JDK 17), else plain loops
 * that clamp only when the activation does. Stateless after construction: thread safe.
 */
public final class Broadcast {

    private enum Path { SAME, SCALAR_B, SCALAR_A, ROW_B, ROW_A, GENERAL }

    private final Arithmetic kind;
    private final Path path;
    private final int n;
    private final int inner;
    private final int[] outShape;
    private final int[] aStride, bStride;
    private final float min, max;
    private final boolean clamp;
    private final boolean vector;

    public Broadcast(Arithmetic kind, int[] a, int[] b, Activation act) {
        this(kind, a, b, act, VectorSupport.fixedRegisterKernels());
    }

    /**
     * @param a   shape of the left operand
     * @param b   shape of the right operand
     * @param act clamp applied to the result (none, relu, relu6)
     * @param vector whether the fast paths run on the Vector API (needs the module)
     */
    public Broadcast(Arithmetic kind, int[] a, int[] b, Activation act, boolean vector) {
        this.kind = kind;
        this.outShape = shape(a, b);
        if (outShape == null) throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
        int rank = outShape.length;
        int total = 1;
        for (int d : outShape) total *= d;
        this.n = total;
        this.min = act.min;
        this.max = act.max;
        this.clamp = act != Activation.NONE;
        this.vector = vector && VectorSupport.modulepresent();
        int na = count(a), nb = count(b);
        int last = outShape[rank - 1];
        if (Arrays.equals(pad(a, rank), pad(b, rank))) path = Path.SAME;
        else if (nb == 1) path = Path.SCALAR_B;
        else if (na == 1) path = Path.SCALAR_A;
        else if (nb == last && b[b.length - 1] == last && na == total) path = Path.ROW_B;
        else if (na == last && a[a.length - 1] == last && nb == total) path = Path.ROW_A;
        else path = Path.GENERAL;
        this.inner = last;
        this.aStride = strides(pad(a, rank), outShape);
        this.bStride = strides(pad(b, rank), outShape);
    }

    /** The broadcast shape of {@code a} and {@code b}, or null when they do not broadcast. */
    public static int[] shape(int[] a, int[] b) {
        int r = Math.max(Math.max(a.length, b.length), 1);
        int[] pa = pad(a, r), pb = pad(b, r), out = new int[r];
        for (int k = 0; k < r; k++) {
            if (pa[k] != pb[k] && pa[k] != 1 && pb[k] != 1) return null;
            out[k] = Math.max(pa[k], pb[k]);
        }
        return out;
    }

    public int[] outputShape() { return outShape.clone(); }
    public int size() { return n; }

    private static int count(int[] s) {
        int c = 1;
        for (int d : s) c *= d;
        return c;
    }

    private static int[] pad(int[] s, int rank) {
        int[] p = new int[rank];
        Arrays.fill(p, 1);
        System.arraycopy(s, 0, p, rank - s.length, s.length);
        return p;
    }

    /** Element strides of an operand over the output's axes; 0 along the axes it repeats on. */
    private static int[] strides(int[] s, int[] out) {
        int[] st = new int[out.length];
        int step = 1;
        for (int k = out.length - 1; k >= 0; k--) {
            st[k] = s[k] == 1 ? 0 : step;
            step *= s[k];
        }
        return st;
    }

    private float op(float x, float y) {
        float r;
        switch (kind) {
            case ADD: r = x + y; break;
            case SUB: r = x - y; break;
            default: r = x * y;
        }
        return Math.min(max, Math.max(min, r));
    }

    public void run(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        switch (path) {
            case SAME:
                runs(a, aOff, b, bOff, out, outOff, n);
                break;
            case SCALAR_B:
                scalar(a, aOff, b[bOff], false, out, outOff, n);
                break;
            case SCALAR_A:
                scalar(b, bOff, a[aOff], true, out, outOff, n);
                break;
            case ROW_B:
                for (int i = 0; i < n; i += inner) runs(a, aOff + i, b, bOff, out, outOff + i, inner);
                break;
            case ROW_A:
                for (int i = 0; i < n; i += inner) runs(a, aOff, b, bOff + i, out, outOff + i, inner);
                break;
            default:
                general(a, aOff, b, bOff, out, outOff);
        }
    }

    /** out[i] = a[i] op b[i] for i < len. */
    private void runs(float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        if (vector) {
            ElementwiseSimd.binary(kind, a, ao, b, bo, out, oo, len, min, max);
            return;
        }
        final float lo = min, hi = max;
        switch (kind) {
            case ADD:
                if (clamp) for (int i = 0; i < len; i++) out[oo + i] = Math.min(hi, Math.max(lo, a[ao + i] + b[bo + i]));
                else for (int i = 0; i < len; i++) out[oo + i] = a[ao + i] + b[bo + i];
                break;
            case SUB:
                if (clamp) for (int i = 0; i < len; i++) out[oo + i] = Math.min(hi, Math.max(lo, a[ao + i] - b[bo + i]));
                else for (int i = 0; i < len; i++) out[oo + i] = a[ao + i] - b[bo + i];
                break;
            default:
                if (clamp) for (int i = 0; i < len; i++) out[oo + i] = Math.min(hi, Math.max(lo, a[ao + i] * b[bo + i]));
                else for (int i = 0; i < len; i++) out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    /** out[i] = x[i] op y, or y op x[i] when {@code scalarFirst}, for i < n. */
    private void scalar(float[] x, int xo, float y, boolean scalarFirst, float[] out, int oo, int len) {
        if (vector) {
            ElementwiseSimd.scalar(kind, x, xo, y, scalarFirst, out, oo, len, min, max);
            return;
        }
        final float lo = min, hi = max;
        switch (kind) {
            case ADD:
                if (clamp) for (int i = 0; i < len; i++) out[oo + i] = Math.min(hi, Math.max(lo, x[xo + i] + y));
                else for (int i = 0; i < len; i++) out[oo + i] = x[xo + i] + y;
                break;
            case SUB:
                if (scalarFirst) {
                    if (clamp) for (int i = 0; i < len; i++) out[oo + i] = Math.min(hi, Math.max(lo, y - x[xo + i]));
                    else for (int i = 0; i < len; i++) out[oo + i] = y - x[xo + i];
                } else {
                    if (clamp) for (int i = 0; i < len; i++) out[oo + i] = Math.min(hi, Math.max(lo, x[xo + i] - y));
                    else for (int i = 0; i < len; i++) out[oo + i] = x[xo + i] - y;
                }
                break;
            default:
                if (clamp) for (int i = 0; i < len; i++) out[oo + i] = Math.min(hi, Math.max(lo, x[xo + i] * y));
                else for (int i = 0; i < len; i++) out[oo + i] = x[xo + i] * y;
        }
    }

    /** Any broadcast: walk the output index by index, carrying each operand's offset. */
    private void general(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int rank = outShape.length;
        int ia = 0, ib = 0;
        // a counter per axis; rank is small (≤ 6), so this stays in registers and allocates nothing
        int c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op(a[aOff + ia], b[bOff + ib]);
            // increment the multi-index from the last axis
            int k = rank - 1;
            while (k >= 0) {
                int c = k == 0 ? ++c0 : k == 1 ? ++c1 : k == 2 ? ++c2 : k == 3 ? ++c3 : k == 4 ? ++c4 : ++c5;
                ia += aStride[k];
                ib += bStride[k];
                if (c < outShape[k]) break;
                ia -= aStride[k] * outShape[k];
                ib -= bStride[k] * outShape[k];
                if (k == 0) c0 = 0; else if (k == 1) c1 = 0; else if (k == 2) c2 = 0; else if (k == 3) c3 = 0; else if (k == 4) c4 = 0; else c5 = 0;
                k--;
            }
        }
    }
}
