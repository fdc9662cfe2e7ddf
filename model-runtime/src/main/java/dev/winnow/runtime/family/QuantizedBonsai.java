package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.base.FastMath;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.kernel.simd.BonsaiSimd;
import dev.winnow.runtime.quant.Q15;

/**
 * Bonsai with integer arithmetic on the tree, in two forms:
 * <ul>
 * <li>{@link Mode#INT8}: Z, W, V and θ as int8 with a symmetric scale per row (the artifact's own
 * integers and scales, see {@link #int8}; Z walked over its non-zeros only); the normalised input
 * and the projection are quantized per prediction (dynamic range, as TFLite's hybrid kernels do);
 * dot products accumulate in int32 and are scaled back in float; tanh is {@link FastMath#tanhRational}
 * (2e-7). W and V are stored as the float Bonsai stores them, one padded [W | V] row per node and
 * projection coordinate, so the path step is an int32 sum of broadcast inputs times int8 rows: on the
 * Vector API (int8 lanes widened to int32, four accumulators in registers) whenever the JVM has the
 * module, else eight scalar accumulators.</li>
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
    private final byte[] wv8, t8, zVal;   // wv8: [node][j][2·half], W classes then V classes, zero padded
    private final int[] zStart, zCol;
    private final float[] zs, wvs, ts;    // wvs: [node][2·half], the W and V row scales in the same order
    private final int half, nodes;
    private final boolean vector;
    private final short[] z16, w16, v16, t16;
    private final int zf, wf, vf, tf;

    /**
     * Quantizes a float Bonsai: INT8 with a symmetric scale per row of max|row|/127 (for tests and
     * float artifacts; artifacts that store int8 weights go through {@link #int8} and keep their own
     * scales), or Q15 with power-of-two scales.
     */
    public QuantizedBonsai(Bonsai b, Mode mode) {
        this(b, mode, mode == Mode.INT8 ? rowsOf(b.weights()) : null, VectorSupport.fixedRegisterKernels());
    }

    /** As above, with the Vector API path chosen explicitly (for tests of both paths). */
    public QuantizedBonsai(Bonsai b, Mode mode, boolean vector) {
        this(b, mode, mode == Mode.INT8 ? rowsOf(b.weights()) : null, vector);
    }

    /**
     * INT8 Bonsai on the int8 values and per-row scales an artifact stores (TFLite weights: symmetric,
     * zero point 0). Nothing is re-derived: a row whose largest value was clipped, or whose scale was
     * learned, computes with exactly the stored integers and scale.
     */
    public static QuantizedBonsai int8(Bonsai b, Rows z, Rows w, Rows v, Rows theta) {
        int dim = b.features() + 1, proj = b.projection();
        int rows = b.classes() * Bonsai.nodes(b.depth());
        z.check("Z", proj, dim);
        w.check("W", rows, proj);
        v.check("V", rows, proj);
        theta.check("theta", Math.max(1, (1 << b.depth()) - 1), proj);
        return new QuantizedBonsai(b, Mode.INT8, new Rows[] {z, w, v, theta}, VectorSupport.fixedRegisterKernels());
    }

    /** An int8 matrix [rows][cols] with one symmetric scale per row. */
    public record Rows(byte[] values, float[] scales) {
        /** Symmetric int8 per row with scale max|row|/127. */
        public static Rows quantize(float[] m, int rows, int cols) {
            if (m.length != (long) rows * cols) throw new IllegalArgumentException("matrix has " + m.length + " values, not " + rows + "×" + cols);
            float[] s = rowScales(m, cols);
            return new Rows(quantizeRows(m, cols, s), s);
        }

        void check(String what, int rows, int cols) {
            if (scales.length != rows || values.length != (long) rows * cols) {
                throw new IllegalArgumentException("int8 Bonsai " + what + " must be [" + rows + "][" + cols + "] with " + rows + " row scales, has "
                        + values.length + " values and " + scales.length + " scales");
            }
            for (float s : scales) if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("int8 Bonsai " + what + " has a scale that is not finite and > 0");
        }
    }

    private static Rows[] rowsOf(Bonsai.Weights w) {
        int dim = w.mean().length, proj = w.z().length / dim;
        float[][] m = {w.z(), w.w(), w.v(), w.theta()};
        int[] cols = {dim, proj, proj, proj};
        Rows[] r = new Rows[4];
        for (int i = 0; i < 4; i++) {
            float[] s = rowScales(m[i], cols[i]);
            r[i] = new Rows(quantizeRows(m[i], cols[i], s), s);
        }
        return r;
    }

    private QuantizedBonsai(Bonsai b, Mode mode, Rows[] int8, boolean vector) {
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
        this.nodes = Bonsai.nodes(depth);
        this.half = Bonsai.padded(classes);
        if (mode == Mode.INT8) {
            zs = int8[0].scales().clone();
            ts = int8[3].scales().clone();
            t8 = int8[3].values().clone();
            int width = 2 * half;
            wv8 = new byte[nodes * proj * width];
            wvs = new float[nodes * width];
            for (int n = 0; n < nodes; n++) {
                for (int l = 0; l < classes; l++) {
                    int row = n * classes + l;
                    wvs[n * width + l] = int8[1].scales()[row];
                    wvs[n * width + half + l] = int8[2].scales()[row];
                    for (int j = 0; j < proj; j++) {
                        wv8[(n * proj + j) * width + l] = int8[1].values()[row * proj + j];
                        wv8[(n * proj + j) * width + half + l] = int8[2].values()[row * proj + j];
                    }
                }
            }
            // Z as its non-zeros per row (Bonsai's Z is sparse by design)
            byte[] z = int8[0].values();
            int nnz = 0;
            for (byte q : z) if (q != 0) nnz++;
            zStart = new int[proj + 1];
            zCol = new int[nnz];
            zVal = new byte[nnz];
            int k = 0;
            for (int r = 0; r < proj; r++) {
                zStart[r] = k;
                for (int c = 0; c < dim; c++) {
                    if (z[r * dim + c] != 0) {
                        zCol[k] = c;
                        zVal[k++] = z[r * dim + c];
                    }
                }
            }
            zStart[proj] = k;
            z16 = w16 = v16 = t16 = null;
            zf = wf = vf = tf = 0;
            this.vector = Bonsai.vectorPath(vector, half);
        } else {
            zf = Q15.fracBitsFor(w.z());
            wf = Q15.fracBitsFor(w.w());
            vf = Q15.fracBitsFor(w.v());
            tf = Q15.fracBitsFor(w.theta());
            z16 = Q15.quantize(w.z(), zf);
            w16 = Q15.quantize(w.w(), wf);
            v16 = Q15.quantize(w.v(), vf);
            t16 = Q15.quantize(w.theta(), tf);
            wv8 = t8 = zVal = null;
            zStart = zCol = null;
            zs = wvs = ts = null;
            this.vector = false;
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

    /** Scratch floats: normalised input, projection, one node's W·x̂ | V·x̂ and the running scores (classes padded to 16). */
    public int scratchFloats() { return dim + proj + 3 * half; }

    /** True when the int8 path step runs on the Vector API kernel. */
    public boolean vectorized() { return vector; }
    /** Scratch bytes (int8) or shorts (Q15): quantized input and projection. */
    public int scratchInts() { return dim + proj; }

    public long weightBytes() {
        long wvCount = 2L * nodes * classes * proj; // without the padding
        long n = mode == Mode.INT8 ? zVal.length + wvCount + t8.length : 2L * (z16.length + w16.length + v16.length + t16.length);
        return n + (mode == Mode.INT8 ? 4L * (zs.length + 2L * nodes * classes + ts.length) : 16);
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
            for (int k = zStart[r]; k < zStart[r + 1]; k++) acc += zVal[k] * q[qOff + zCol[k]];
            f[pr + r] = acc * zs[r] * sx / proj;
        }
        int pq = qOff + dim;
        float sp = quantizeInto(f, pr, proj, q, pq);
        final int width = 2 * half, acc = pr + proj, sum = acc + width;
        java.util.Arrays.fill(f, sum, sum + half, 0f);
        int node = 0;
        for (int level = 0; ; level++) {
            int base = node * proj * width;
            if (vector) BonsaiSimd.int8RowSums(wv8, base, width, proj, q, pq, wvs, node * width, sp, f, acc);
            else int8RowSums(base, width, q, pq, node * width, sp, f, acc);
            Bonsai.addPathTerm(vector, f, acc, half, classes, sigma, sum);
            if (level == depth) break;
            int t = 0;
            for (int j = 0; j < proj; j++) t += t8[node * proj + j] * q[pq + j];
            node = t > 0 ? 2 * node + 1 : 2 * node + 2;
        }
        System.arraycopy(f, sum, scores, sOff, classes);
    }

    /** The plain form of {@link BonsaiSimd#int8RowSums}: eight int32 column sums at a time in registers. */
    private void int8RowSums(int base, int width, short[] q, int pq, int scaleOff, float sp, float[] f, int acc) {
        for (int c = 0; c < width; c += 8) {
            int a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            for (int j = 0, r = base + c; j < proj; j++, r += width) {
                int p = q[pq + j];
                a0 += wv8[r] * p;
                a1 += wv8[r + 1] * p;
                a2 += wv8[r + 2] * p;
                a3 += wv8[r + 3] * p;
                a4 += wv8[r + 4] * p;
                a5 += wv8[r + 5] * p;
                a6 += wv8[r + 6] * p;
                a7 += wv8[r + 7] * p;
            }
            int s = scaleOff + c, o = acc + c;
            f[o] = a0 * wvs[s] * sp;
            f[o + 1] = a1 * wvs[s + 1] * sp;
            f[o + 2] = a2 * wvs[s + 2] * sp;
            f[o + 3] = a3 * wvs[s + 3] * sp;
            f[o + 4] = a4 * wvs[s + 4] * sp;
            f[o + 5] = a5 * wvs[s + 5] * sp;
            f[o + 6] = a6 * wvs[s + 6] * sp;
            f[o + 7] = a7 * wvs[s + 7] * sp;
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
