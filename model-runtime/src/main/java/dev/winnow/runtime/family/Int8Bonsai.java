package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.kernel.base.FastMath;
import dev.winnow.runtime.kernel.simd.BonsaiSimd;

/**
 * Bonsai in int8: Z, W, V and θ as int8 with a symmetric scale per row (the artifact's own integers
 * and scales, see {@link #of}; Z walked over its non-zeros only); the normalised input and the
 * projection are quantized per prediction (dynamic range, as TFLite's hybrid kernels do); dot
 * products accumulate in int32 and are scaled back in float; tanh is {@link FastMath#tanhRational}
 * (2e-7). W and V are stored as the float Bonsai stores them, one padded [W | V] row per node and
 * projection coordinate, so the path step is an int32 sum of broadcast inputs times int8 rows: on the
 * Vector API (int8 lanes widened to int32, four accumulators in registers) whenever the JVM has the
 * module, else eight scalar accumulators. Immutable after construction: thread safe with per-thread scratch.
 */
public final class Int8Bonsai extends QuantizedBonsai {
    private final byte[] wv8, t8, zVal;   // wv8: [node][j][2·half], W classes then V classes, zero padded
    private final int[] zStart, zCol;
    private final float[] zs, wvs, ts;    // wvs: [node][2·half], the W and V row scales in the same order
    private final int half, nodes;
    private final boolean vector;

    /**
     * Quantizes a float Bonsai with a symmetric scale per row of max|row|/127 (for tests and float
     * artifacts; artifacts that store int8 weights go through {@link #of} and keep their own scales).
     */
    public Int8Bonsai(Bonsai b) {
        this(b, VectorSupport.fixedRegisterKernels());
    }

    /** As above, with the Vector API path chosen explicitly (for tests of both paths). */
    public Int8Bonsai(Bonsai b, boolean vector) {
        this(b, rowsOf(b.weights()), vector);
    }

    /**
     * Int8 Bonsai on the int8 values and per-row scales an artifact stores. Nothing is re-derived: a
     * row whose largest value was clipped, or whose scale was learned, computes with exactly the
     * stored integers and scale.
     */
    public static Int8Bonsai of(Bonsai b, Int8Rows z, Int8Rows w, Int8Rows v, Int8Rows theta) {
        int dim = b.features() + 1, proj = b.projection();
        int rows = b.classes() * Bonsai.nodes(b.depth());
        z.check("Z", proj, dim);
        w.check("W", rows, proj);
        v.check("V", rows, proj);
        theta.check("theta", Math.max(1, (1 << b.depth()) - 1), proj);
        return new Int8Bonsai(b, new Int8Rows[] {z, w, v, theta}, VectorSupport.fixedRegisterKernels());
    }

    private static Int8Rows[] rowsOf(Bonsai.Weights w) {
        int dim = w.mean().length, proj = w.z().length / dim;
        float[][] m = {w.z(), w.w(), w.v(), w.theta()};
        int[] cols = {dim, proj, proj, proj};
        Int8Rows[] r = new Int8Rows[4];
        for (int i = 0; i < 4; i++) r[i] = Int8Rows.quantize(m[i], m[i].length / cols[i], cols[i]);
        return r;
    }

    private Int8Bonsai(Bonsai b, Int8Rows[] int8, boolean vector) {
        super(b);
        this.nodes = Bonsai.nodes(depth);
        this.half = Bonsai.padded(classes);
        zs = int8[0].scales().clone();
        ts = int8[3].scales().clone();
        t8 = int8[3].values().clone();
        int width = 2 * half;
        wv8 = new byte[nodes * proj * width];
        wvs = new float[nodes * width];
        interleaveWv(int8[1], int8[2], width);
        // Z as its non-zeros per row (Bonsai's Z is sparse by design)
        Csr cz = Csr.of(int8[0].values(), proj, dim);
        zStart = cz.start();
        zCol = cz.col();
        zVal = cz.int8Values();
        this.vector = Bonsai.vectorPath(vector, half);
    }

    /** W and V rows side by side per node and projection coordinate, classes padded to {@code half}, with their scales in the same order. */
    private void interleaveWv(Int8Rows w, Int8Rows v, int width) {
        for (int n = 0; n < nodes; n++) {
            for (int l = 0; l < classes; l++) {
                int row = n * classes + l;
                wvs[n * width + l] = w.scales()[row];
                wvs[n * width + half + l] = v.scales()[row];
                for (int j = 0; j < proj; j++) {
                    wv8[(n * proj + j) * width + l] = w.values()[row * proj + j];
                    wv8[(n * proj + j) * width + half + l] = v.values()[row * proj + j];
                }
            }
        }
    }

    /** Scratch floats: normalised input, projection, one node's W·x̂ | V·x̂ and the running scores (classes padded to 16). */
    @Override
    public int scratchFloats() { return dim + proj + 3 * half; }

    /** True when the path step runs on the Vector API kernel. */
    public boolean vectorized() { return vector; }

    @Override
    public long weightBytes() {
        long wvCount = 2L * nodes * classes * proj; // without the padding
        return zVal.length + wvCount + t8.length + 4L * (zs.length + 2L * nodes * classes + ts.length);
    }

    private static float quantizeInto(float[] f, int off, int n, short[] q, int qOff) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(f[off + i]));
        float s = m > 0 ? m / 127 : 1;
        float inv = 1 / s;
        for (int i = 0; i < n; i++) q[qOff + i] = (short) Math.round(f[off + i] * inv);
        return s;
    }

    @Override
    void score(float[] scores, int sOff, float[] f, int xn, short[] q, int qOff) {
        final int pr = xn + dim;
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
}
