package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.FastMath;
import dev.winnow.runtime.quant.Q15;

/**
 * Bonsai with integer arithmetic on the tree, in two forms:
 * <ul>
 * <li>{@link Mode#INT8}: Z, W, V and θ as int8 with a symmetric scale per row; the normalised input
 * and the projection are quantized per prediction (dynamic range, as TFLite's hybrid kernels do);
 * dot products accumulate in int32 and are scaled back in float; tanh is exact.</li>
 * <li>{@link Mode#Q15}: SeeDot style, everything 16-bit with power-of-two scales, 64-bit
 * accumulation, and tanh approximated as on the device in the paper: x for |x| < 1, sign(x) beyond.</li>
 * </ul>
 * Normalisation (x − μ)/σ stays in float in both: it is per-feature and cheap.
 */
public final class QuantizedBonsai {
    public enum Mode { INT8, Q15 }

    private final Mode mode;
    private final int d, dim, proj, classes, depth;
    private final float sigma;
    private final float[] mean, invStd;
    private final byte[] z8, w8, v8, t8;
    private final float[] zs, ws, vs, ts;
    private final short[] z16, w16, v16, t16;
    private final int zf, wf, vf, tf;

    public QuantizedBonsai(Bonsai b, Mode mode) {
        this.mode = mode;
        this.d = b.features();
        this.dim = d + 1;
        this.proj = b.projection();
        this.classes = b.classes();
        this.depth = b.depth();
        this.sigma = b.sigma();
        Bonsai.Weights w = b.weights();
        this.mean = w.mean();
        this.invStd = w.invStd();
        if (mode == Mode.INT8) {
            zs = rowScales(w.z(), dim);
            ws = rowScales(w.w(), proj);
            vs = rowScales(w.v(), proj);
            ts = rowScales(w.theta(), proj);
            z8 = quantizeRows(w.z(), dim, zs);
            w8 = quantizeRows(w.w(), proj, ws);
            v8 = quantizeRows(w.v(), proj, vs);
            t8 = quantizeRows(w.theta(), proj, ts);
            z16 = w16 = v16 = t16 = null;
            zf = wf = vf = tf = 0;
        } else {
            zf = Q15.fracBitsFor(w.z());
            wf = Q15.fracBitsFor(w.w());
            vf = Q15.fracBitsFor(w.v());
            tf = Q15.fracBitsFor(w.theta());
            z16 = Q15.quantize(w.z(), zf);
            w16 = Q15.quantize(w.w(), wf);
            v16 = Q15.quantize(w.v(), vf);
            t16 = Q15.quantize(w.theta(), tf);
            z8 = w8 = v8 = t8 = null;
            zs = ws = vs = ts = null;
        }
    }

    private static float[] rowScales(float[] m, int cols) {
        float[] s = new float[m.length / cols];
        for (int r = 0; r < s.length; r++) {
            float mx = 0;
            for (int c = 0; c < cols; c++) mx = Math.max(mx, Math.abs(m[r * cols + c]));
            s[r] = mx > 0 ? mx / 127 : 1;
        }
        return s;
    }

    private static byte[] quantizeRows(float[] m, int cols, float[] s) {
        byte[] q = new byte[m.length];
        for (int i = 0; i < m.length; i++) q[i] = (byte) Math.max(-127, Math.min(127, Math.round(m[i] / s[i / cols])));
        return q;
    }

    /** Scratch floats: normalised input and projection. */
    public int scratchFloats() { return dim + proj; }
    /** Scratch bytes (int8) or shorts (Q15): quantized input and projection. */
    public int scratchInts() { return dim + proj; }

    public long weightBytes() {
        long n = mode == Mode.INT8 ? z8.length + w8.length + v8.length + t8.length : 2L * (z16.length + w16.length + v16.length + t16.length);
        return n + (mode == Mode.INT8 ? 4L * (zs.length + ws.length + vs.length + ts.length) : 16);
    }

    public void predict(float[] x, int xOff, float[] scores, int sOff, float[] f, int fOff, short[] q, int qOff) {
        final int xn = fOff, pr = fOff + dim;
        for (int i = 0; i < d; i++) f[xn + i] = (x[xOff + i] - mean[i]) * invStd[i];
        f[xn + d] = (1f - mean[d]) * invStd[d];
        if (mode == Mode.INT8) int8(scores, sOff, f, xn, pr, q, qOff);
        else q15(scores, sOff, f, xn, q, qOff);
    }

    private static float quantizeInto(float[] f, int off, int n, short[] q, int qOff) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(f[off + i]));
        float s = m > 0 ? m / 127 : 1;
        float inv = 1 / s;
        for (int i = 0; i < n; i++) q[qOff + i] = (short) Math.round(f[off + i] * inv);
        return s;
    }

    private void int8(float[] scores, int sOff, float[] f, int xn, int pr, short[] q, int qOff) {
        float sx = quantizeInto(f, xn, dim, q, qOff);
        for (int r = 0; r < proj; r++) {
            int acc = 0;
            for (int c = 0; c < dim; c++) acc += z8[r * dim + c] * q[qOff + c];
            f[pr + r] = acc * zs[r] * sx / proj;
        }
        int pq = qOff + dim;
        float sp = quantizeInto(f, pr, proj, q, pq);
        java.util.Arrays.fill(scores, sOff, sOff + classes, 0f);
        int node = 0;
        for (int level = 0; ; level++) {
            for (int l = 0; l < classes; l++) {
                int row = node * classes + l;
                int wx = 0, vx = 0;
                for (int j = 0; j < proj; j++) {
                    int p = q[pq + j];
                    wx += w8[row * proj + j] * p;
                    vx += v8[row * proj + j] * p;
                }
                scores[sOff + l] += wx * ws[row] * sp * FastMath.tanh(sigma * vx * vs[row] * sp);
            }
            if (level == depth) break;
            int t = 0;
            for (int j = 0; j < proj; j++) t += t8[node * proj + j] * q[pq + j];
            node = t > 0 ? 2 * node + 1 : 2 * node + 2;
        }
    }

    /** Inputs in Q12 (normalised features stay within ±8), projection in Q12, scores accumulated in Q12. */
    private void q15(float[] scores, int sOff, float[] f, int xn, short[] q, int qOff) {
        final int xf = 12, pf = 12;
        for (int i = 0; i < dim; i++) q[qOff + i] = Q15.quantize(f[xn + i], xf);
        int pq = qOff + dim;
        int projShift = 31 - Integer.numberOfLeadingZeros(proj); // divide by D̂ as a shift when it is a power of two
        boolean pow2 = (1 << projShift) == proj;
        for (int r = 0; r < proj; r++) {
            long acc = 0;
            for (int c = 0; c < dim; c++) acc += (long) z16[r * dim + c] * q[qOff + c];
            long v = Q15.shift(acc, zf + xf - pf);
            q[pq + r] = Q15.saturate(pow2 ? Q15.shift(v, projShift) : Math.round((double) v / proj));
        }
        java.util.Arrays.fill(scores, sOff, sOff + classes, 0f);
        int node = 0;
        int sigmaQ = Q15.quantize(sigma, 10);
        for (int level = 0; ; level++) {
            for (int l = 0; l < classes; l++) {
                int row = node * classes + l;
                long wx = 0, vx = 0;
                for (int j = 0; j < proj; j++) {
                    int p = q[pq + j];
                    wx += (long) w16[row * proj + j] * p;
                    vx += (long) v16[row * proj + j] * p;
                }
                long wxQ = Q15.shift(wx, wf + pf - 12);                       // Q12
                long arg = Q15.shift(Q15.shift(vx, vf + pf - 12) * sigmaQ, 10); // Q12
                long th = Math.max(-(1L << 12), Math.min(1L << 12, arg));       // clip tanh, Q12
                scores[sOff + l] += Q15.shift(wxQ * th, 12) / 4096f;
            }
            if (level == depth) break;
            long t = 0;
            for (int j = 0; j < proj; j++) t += (long) t16[node * proj + j] * q[pq + j];
            node = t > 0 ? 2 * node + 1 : 2 * node + 2;
        }
    }
}
