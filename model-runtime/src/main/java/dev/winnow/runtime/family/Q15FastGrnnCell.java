package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.kernel.simd.Q15GrnnSimd;
import dev.winnow.runtime.quant.Q15;

/**
 * FastGRNN in 16-bit fixed point (SeeDot style): weights and biases are Q15 with a power-of-two
 * scale per matrix, inputs arrive in Q(inFrac), the state lives in Q14 (|h| ≤ ζ + ν ≤ 2), products
 * accumulate in 64-bit integers and are shifted to the pre-activation format Q11 (±16).
 *
 * <p>The gate non-linearities are either EdgeML's piecewise-linear quantSigm/quantTanh (the model
 * must have been trained with them) or, for models trained with the smooth functions, a 257-point
 * table of sigmoid over [−8, 8] in Q15 with linear interpolation (max error 2.5e-5, plus the Q15
 * step 3e-5); tanh(x) = 2·sigmoid(2x) − 1.
 */
public final class Q15FastGrnnCell {
    public enum Gates { PIECEWISE, SMOOTH }

    static final int PRE_FRAC = 11;
    static final int H_FRAC = 14;
    private static final int LUT_FRAC = 4; // table step 1/16 over [-8, 8]
    private static final short[] SIGMOID = sigmoidTable();
    /** Where the smooth σ saturates, in Q11: ±8. */
    private static final int SAT = 8 << PRE_FRAC;
    /**
     * The smooth σ of every Q11 value in [−8, 8], interpolated once here ({@link #interpolated}): a gate
     * is then a clamp and one load (the vector gates: one gather) instead of two loads, a multiply and
     * branches. 128 KB of ints, shared by every cell and never written.
     */
    private static final int[] SIGMOID_Q11 = new int[2 * SAT + 1];
    private static final int[] SIGMOID_PAIRS = new int[257];

    private final int input, hidden, inFrac;
    private final Gates gates;
    private final short[] w1, w2, u1, u2;
    private final int w1Frac, w2Frac, u1Frac, u2Frac;
    private final int wRank, uRank;
    private final short[] bg, bh;
    private final int bFrac;
    private final int[] bgPre, bhPre; // the biases in the pre-activation's Q11
    private final short zeta, nu; // Q15
    private final boolean vectorProducts, vectorGates;
    private final long[] wCols, uCols;
    private final boolean batchGates;
    private final boolean guarded;      // the gates' vector path was chosen by default under VectorGuard
    private final int[] bgRep, bhRep;   // the biases repeated to a multiple of hidden and of the batch gates' lanes
    /** σ at and past 8 in Q15: 1 << 15 where the table's last entry saturates a short. */
    private static final int SIGMOID_TOP;
    static {
        SIGMOID_TOP = SIGMOID[256] == Short.MAX_VALUE ? 1 << 15 : SIGMOID[256];
        for (int i = 0; i <= 2 * SAT; i++) SIGMOID_Q11[i] = interpolated(i - SAT);
        for (int i = 0; i < 256; i++) SIGMOID_PAIRS[i] = SIGMOID[i] | (SIGMOID[i + 1] - SIGMOID[i]) << 16;
        SIGMOID_PAIRS[256] = SIGMOID_TOP;
    }

    public Q15FastGrnnCell(FastGrnnCell.Weights f, int inFrac, Gates gates) {
        this(f, inFrac, gates, VectorSupport.fixedRegisterKernels(), VectorSupport.available());
    }

    /** Both halves of the step on the Vector API when {@code vector}, else both on plain loops. */
    public Q15FastGrnnCell(FastGrnnCell.Weights f, int inFrac, Gates gates, boolean vector) {
        this(f, inFrac, gates, vector, vector);
    }

    /**
     * A full-rank cell with smooth gates whose hidden units fill whole vectors can run on the Vector API
     * ({@link Q15GrnnSimd}; the same bits, hidden units across the lanes): the matrix products with
     * {@code vectorProducts} (one accumulator per lane group: JDK 17 keeps it in registers), the gates
     * with {@code vectorGates} (JDK 21+ by default: JDK 17 boxes their vectors in some JVMs; the RNNPool
     * layer's cells, {@link #guarded}, use them there under {@code VectorGuard}).
     */
    public Q15FastGrnnCell(FastGrnnCell.Weights f, int inFrac, Gates gates, boolean vectorProducts, boolean vectorGates) {
        this(f, inFrac, gates, vectorProducts, vectorGates, false);
    }

    /**
     * A cell for a graph op: its gates on vectors where {@link VectorSupport#guardedVectorCells()} says so,
     * and on scalar code from the call after {@link VectorGuard} trips (the same bits).
     */
    static Q15FastGrnnCell guarded(FastGrnnCell.Weights f, int inFrac, Gates gates) {
        return new Q15FastGrnnCell(f, inFrac, gates, VectorSupport.fixedRegisterKernels(), VectorSupport.guardedVectorCells(), true);
    }

    private Q15FastGrnnCell(FastGrnnCell.Weights f, int inFrac, Gates gates, boolean vectorProducts, boolean vectorGates, boolean guarded) {
        this.guarded = guarded;
        this.input = f.input();
        this.hidden = f.hidden();
        this.inFrac = inFrac;
        this.gates = gates;
        this.wRank = f.wRank();
        this.uRank = f.uRank();
        this.w1Frac = Q15.fracBitsFor(f.w1());
        this.w1 = Q15.quantize(f.w1(), w1Frac);
        this.w2Frac = f.w2() == null ? 0 : Q15.fracBitsFor(f.w2());
        this.w2 = f.w2() == null ? null : Q15.quantize(f.w2(), w2Frac);
        this.u1Frac = Q15.fracBitsFor(f.u1());
        this.u1 = Q15.quantize(f.u1(), u1Frac);
        this.u2Frac = f.u2() == null ? 0 : Q15.fracBitsFor(f.u2());
        this.u2 = f.u2() == null ? null : Q15.quantize(f.u2(), u2Frac);
        float[] both = new float[2 * hidden];
        System.arraycopy(f.bg(), 0, both, 0, hidden);
        System.arraycopy(f.bh(), 0, both, hidden, hidden);
        this.bFrac = Math.min(PRE_FRAC, Q15.fracBitsFor(both));
        this.bg = Q15.quantize(f.bg(), bFrac);
        this.bh = Q15.quantize(f.bh(), bFrac);
        this.bgPre = new int[hidden];
        this.bhPre = new int[hidden];
        for (int i = 0; i < hidden; i++) {
            bgPre[i] = (int) Q15.shift(bg[i], bFrac - PRE_FRAC);
            bhPre[i] = (int) Q15.shift(bh[i], bFrac - PRE_FRAC);
        }
        this.zeta = Q15.quantize(f.zeta(), 15);
        this.nu = Q15.quantize(f.nu(), 15);
        boolean eligible = (vectorProducts || vectorGates) && VectorSupport.modulepresent() && gates == Gates.SMOOTH && w2 == null && u2 == null && Q15GrnnSimd.fits(hidden);
        this.vectorProducts = eligible && vectorProducts;
        // the batched gates (stepBatch): the same bits on the preferred int shape, whatever the hidden size; JDK 21+
        // by default, and on JDK 17 in the RNNPool layer under VectorGuard (C2 there boxed them in some JVMs). One sequence's step uses them
        // too when its units fill whole vectors and the rest of the vector path applies.
        this.batchGates = vectorGates && VectorSupport.modulepresent() && gates == Gates.SMOOTH
                && Math.max(Math.abs(nu), Math.abs(zeta + nu)) <= 65534;
        this.vectorGates = eligible && batchGates && hidden % Q15GrnnSimd.gateLanes() == 0;
        int reps = batchGates ? lcm(hidden, Q15GrnnSimd.gateLanes()) : 0;
        this.bgRep = new int[reps];
        this.bhRep = new int[reps];
        for (int i = 0; i < reps; i++) {
            bgRep[i] = bgPre[i % hidden];
            bhRep[i] = bhPre[i % hidden];
        }
        this.wCols = this.vectorProducts ? columns(w1, hidden, input) : null;
        this.uCols = this.vectorProducts ? columns(u1, hidden, hidden) : null;
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /** A [rows][cols] matrix column-major, widened to long: the layout the vector path reads. */
    private static long[] columns(short[] m, int rows, int cols) {
        long[] c = new long[m.length];
        for (int r = 0; r < rows; r++) for (int k = 0; k < cols; k++) c[k * rows + r] = m[r * cols + k];
        return c;
    }

    /**
     * This cell's parameters as {@link Int8RnnPoolLanes} reads them, or null when it cannot run there
     * (low rank, piecewise gates, or beyond {@link Int8RnnPoolLanes#fits}).
     */
    Int8RnnPoolLanes.Cell laneCell() {
        if (w2 != null || u2 != null || gates != Gates.SMOOTH) return null;
        Int8RnnPoolLanes.Cell c = new Int8RnnPoolLanes.Cell(input, hidden, widen(w1), w1Frac + inFrac - PRE_FRAC, widen(u1), u1Frac + H_FRAC - PRE_FRAC,
                bgPre.clone(), bhPre.clone(), zeta, nu);
        return Int8RnnPoolLanes.fits(c) ? c : null;
    }

    private static int[] widen(short[] m) {
        int[] w = new int[m.length];
        for (int i = 0; i < m.length; i++) w[i] = m[i];
        return w;
    }

    /**
     * The smooth σ's 257-point table with each entry's step to the next, entry i = σ_i | (σ_{i+1} − σ_i) << 16
     * (the last: σ at 8 and no step): σ of a Q11 value p in [−8, 8] is, with j = p + 8·2^11,
     * a + ((d · (j & 127) + 64) >> 7) for entry j >> 7 = a | d << 16, bit for bit {@link #interpolated}.
     * Shared and never written; the lanes read it lane by lane.
     */
    static int[] sigmoidPairs() {
        return SIGMOID_PAIRS;
    }

    /** Whether this cell's matrix products run on the Vector API. */
    public boolean vectorProducts() {
        return vectorProducts;
    }

    /** Whether this cell's gates run on the Vector API now: chosen so, and not turned off since by {@link VectorGuard}. */
    public boolean vectorGates() {
        return vectorGates && VectorGuard.allows(guarded);
    }

    /** Whether a batch of steps runs its gates on the Vector API now, as {@link #vectorGates()}. */
    boolean batchGates() {
        return batchGates && VectorGuard.allows(guarded);
    }

    private static short[] sigmoidTable() {
        short[] t = new short[257];
        for (int i = 0; i <= 256; i++) t[i] = Q15.quantize(1 / (1 + Math.exp(-(i / 16.0 - 8))), 15);
        return t;
    }

    public int hidden() { return hidden; }
    public int input() { return input; }
    public int inputFrac() { return inFrac; }
    public static int stateFrac() { return H_FRAC; }

    /** Integers of scratch (pre-activation and the low-rank temporary, as longs' worth of ints). */
    public int scratchSize() {
        return hidden + Math.max(wRank, uRank) + (vectorProducts ? Q15GrnnSimd.productScratchInts() : 0)
                + (batchGates ? Q15GrnnSimd.gateScratchInts() : 0);
    }

    /** Where in the scratch from {@code sOff} the vector products keep their sums, after the pre-activation and the low-rank temporary. */
    private int productScratch(int sOff) {
        return sOff + hidden + Math.max(wRank, uRank);
    }

    /** sigmoid of a Q11 value, Q15 result. */
    static int sigmoidQ15(int pre, Gates gates) {
        if (gates == Gates.PIECEWISE) {
            // quantSigm = clip((x + 1) / 2, 0, 1)
            long v = ((long) pre << (15 - PRE_FRAC)) / 2 + (1 << 14);
            return (int) Math.max(0, Math.min(1 << 15, v)) ;
        }
        return smooth(pre);
    }

    /** The smooth σ from the full table: bit for bit {@link #interpolated}. */
    private static int smooth(int pre) {
        return SIGMOID_Q11[Math.max(-SAT, Math.min(SAT, pre)) + SAT];
    }

    /** The smooth σ of a Q11 value from the 257-point table, interpolated linearly: the definition. */
    static int interpolated(int pre) {
        // position in the table in Q(PRE_FRAC): (pre + 8) * 16
        long pos = ((long) pre + (8L << PRE_FRAC)) << LUT_FRAC; // Q11 units of table steps
        if (pos <= 0) return SIGMOID[0];
        long idx = pos >> PRE_FRAC;
        if (idx >= 256) return SIGMOID_TOP;
        int frac = (int) (pos & ((1 << PRE_FRAC) - 1));
        int a = SIGMOID[(int) idx], b = SIGMOID[(int) idx + 1];
        return a + (int) Q15.shift((long) (b - a) * frac, PRE_FRAC);
    }

    /** tanh of a Q11 value, Q15 result. */
    static int tanhQ15(int pre, Gates gates) {
        if (gates == Gates.PIECEWISE) {
            long v = (long) pre << (15 - PRE_FRAC);
            return (int) Math.max(-(1 << 15), Math.min(1 << 15, v));
        }
        return 2 * sigmoidQ15(2 * pre, gates) - (1 << 15);
    }

    /** One step: x in Q(inFrac) at xOff; state h in Q14 updated in place; s is int scratch. */
    public void step(short[] x, int xOff, short[] h, int hOff, int[] s, int sOff) {
        projectInput(x, xOff, s, sOff, s, sOff);
        finishStep(h, hOff, s, sOff);
    }

    /**
     * The input's share of a step's pre-activation, W x in Q11, into {@code dst}: it depends on x
     * alone, so a caller that feeds the same input to several steps (RNNPool's row and column passes,
     * overlapping patches) computes it once. {@code s} is scratch for the low-rank product.
     */
    public void projectInput(short[] x, int xOff, int[] dst, int dstOff, int[] s, int sOff) {
        if (vectorProducts) {
            Q15GrnnSimd.project(wCols, hidden, input, x, xOff, w1Frac + inFrac - PRE_FRAC, dst, dstOff, false, s, productScratch(sOff));
            return;
        }
        project(w1, w1Frac, w2, w2Frac, wRank, input, x, xOff, inFrac, dst, dstOff, s, sOff + hidden, false);
    }

    /**
     * {@link #projectInput} of {@code count} inputs, input k at {@code x[xOff + k·xStride ..]} and its
     * projection at {@code dst[dstOff + k·hidden ..]}: on the vector path several inputs share each
     * weight column's load (RNNPool's pixels of a patch).
     */
    public void projectInputs(short[] x, int xOff, int xStride, int count, int[] dst, int dstOff, int[] s, int sOff) {
        if (vectorProducts) {
            Q15GrnnSimd.projectBatch(wCols, hidden, input, x, xOff, xStride, count, w1Frac + inFrac - PRE_FRAC, dst, dstOff, false, s, productScratch(sOff));
            return;
        }
        for (int k = 0; k < count; k++) projectInput(x, xOff + k * xStride, dst, dstOff + k * hidden, s, sOff);
    }

    /** {@link #step} on an input already projected by {@link #projectInput}: the same state, bit for bit. */
    public void stepProjected(int[] wx, int wxOff, short[] h, int hOff, int[] s, int sOff) {
        System.arraycopy(wx, wxOff, s, sOff, hidden);
        finishStep(h, hOff, s, sOff);
    }

    /** The recurrent half and the gates, with W x already at s[sOff..]. */
    private void finishStep(short[] h, int hOff, int[] s, int sOff) {
        recurrent(s, sOff, h, hOff, s, sOff);
        if (vectorGates()) {
            Q15GrnnSimd.gates(s, sOff, bgRep, bhRep, bgRep.length, SIGMOID_Q11, zeta, nu, h, hOff, hidden, s, gateScratch(sOff));
            return;
        }
        scalarGates(s, sOff, h, hOff);
    }

    /**
     * {@link #stepProjected} for {@code batch} independent sequences at once: sequence b's W x (Q11) at
     * {@code pre[preOff + b·hidden ..]} (overwritten), its state at {@code h[hOff + b·hidden ..]}, updated
     * in place, bit for bit as stepping each alone. The gates of all of them run as one vector loop, so a
     * small hidden size still fills the lanes (RNNPool's eight row and column passes of a patch).
     */
    public void stepBatch(int[] pre, int preOff, short[] h, int hOff, int batch, int[] s, int sOff) {
        if (vectorProducts) {
            Q15GrnnSimd.projectBatch(uCols, hidden, hidden, h, hOff, hidden, batch, u1Frac + H_FRAC - PRE_FRAC, pre, preOff, true, s, productScratch(sOff));
        } else {
            for (int b = 0; b < batch; b++) recurrent(pre, preOff + b * hidden, h, hOff + b * hidden, s, sOff);
        }
        int n = batch * hidden;
        if (batchGates() && n % Q15GrnnSimd.gateLanes() == 0) {
            Q15GrnnSimd.gates(pre, preOff, bgRep, bhRep, bgRep.length, SIGMOID_Q11, zeta, nu, h, hOff, n, s, gateScratch(sOff));
            return;
        }
        for (int b = 0; b < batch; b++) scalarGates(pre, preOff + b * hidden, h, hOff + b * hidden);
    }

    /** pre += U h in Q11 at {@code pre[preOff..]}; {@code s} from {@code sOff} is the cell's scratch. */
    private void recurrent(int[] pre, int preOff, short[] h, int hOff, int[] s, int sOff) {
        if (vectorProducts) Q15GrnnSimd.project(uCols, hidden, hidden, h, hOff, u1Frac + H_FRAC - PRE_FRAC, pre, preOff, true, s, productScratch(sOff));
        else project(u1, u1Frac, u2, u2Frac, uRank, hidden, h, hOff, H_FRAC, pre, preOff, s, sOff + hidden, true);
    }

    /** Where the vector gates keep their indices and sigmoids: after the products' scratch. */
    private int gateScratch(int sOff) {
        return productScratch(sOff) + (vectorProducts ? Q15GrnnSimd.productScratchInts() : 0);
    }

    /** The gates and the state update of one sequence on plain loops. */
    private void scalarGates(int[] s, int pre, short[] h, int hOff) {
        for (int i = 0; i < hidden; i++) {
            int p = s[pre + i];
            int z = sigmoidQ15(p + bgPre[i], gates);
            int c = tanhQ15(p + bhPre[i], gates);
            long keep = (long) z * h[hOff + i];                                   // Q15 · Q14 = Q29
            long gate = Q15.shift((long) zeta * ((1 << 15) - z), 15) + nu;          // Q15
            long update = gate * c;                                                // Q30
            h[hOff + i] = Q15.saturate(Q15.shift(keep, 15) + Q15.shift(update, 16));
        }
    }

    /** pre (+)= M v in Q11, for M full or M = M2·M1. */
    private void project(short[] m1, int f1, short[] m2, int f2, int rank, int cols, short[] v, int vOff, int vFrac,
                         int[] s, int pre, int[] t, int tmp, boolean accumulate) {
        if (m2 == null) {
            for (int r = 0; r < hidden; r++) {
                long acc = 0;
                int b = r * cols;
                for (int c = 0; c < cols; c++) acc += (long) m1[b + c] * v[vOff + c];
                int val = (int) Q15.shift(acc, f1 + vFrac - PRE_FRAC);
                s[pre + r] = accumulate ? s[pre + r] + val : val;
            }
            return;
        }
        for (int k = 0; k < rank; k++) {
            long acc = 0;
            int b = k * cols;
            for (int c = 0; c < cols; c++) acc += (long) m1[b + c] * v[vOff + c];
            t[tmp + k] = (int) Q15.shift(acc, f1 + vFrac - PRE_FRAC);  // Q11
        }
        for (int r = 0; r < hidden; r++) {
            long acc = 0;
            int b = r * rank;
            for (int k = 0; k < rank; k++) acc += (long) m2[b + k] * t[tmp + k];
            int val = (int) Q15.shift(acc, f2);
            s[pre + r] = accumulate ? s[pre + r] + val : val;
        }
    }

    public void run(short[] x, int xOff, int steps, int stride, short[] h, int hOff, int[] s, int sOff) {
        java.util.Arrays.fill(h, hOff, hOff + hidden, (short) 0);
        for (int t = 0; t < steps; t++) step(x, xOff + t * stride, h, hOff, s, sOff);
    }
}
