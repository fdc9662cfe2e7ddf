package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.base.FastMath;
import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.kernel.simd.FastGrnnSimd;

/**
 * The FastGRNN cell (Kusupati et al., NeurIPS 2018):
 * <pre>
 *   pre = W x + U h          (low rank: W = W2 W1, U = U2 U1)
 *   z   = sigmoid(pre + bg)
 *   h~  = tanh(pre + bh)
 *   h   = z ⊙ h + (sigmoid(ζ)(1 − z) + sigmoid(ν)) ⊙ h~
 * </pre>
 * Matrices are [out][in] row-major (EdgeML's C layout; the PyTorch .npy files are [in][out] and
 * are transposed on import). ζ and ν are given after the sigmoid. Immutable; the state and the
 * intermediate vectors live in caller-provided arrays, so stepping allocates nothing.
 */
public final class FastGrnnCell {
    private final int input;
    private final int hidden;
    private final int wRank;
    private final int uRank;
    private final float[] w1, w2, u1, u2;
    // the second low-rank factors stored [rank][hidden], so M2·t is rank stride-1 multiply-adds over
    // the hidden units (vectorizable) rather than hidden dot products of length rank (rank is ~5)
    private final float[] w2T, u2T;
    // full-rank W and U stored [in][hidden] for the same reason (null when low rank)
    private final float[] wT, uT;
    private final float[] bg, bh;
    private final float zeta;
    private final float nu;
    private final boolean vectorProducts, vectorGates;
    private final boolean vectorLanes;  // stepLanes may run: vectors chosen, the module present, full rank
    private final float[] wu;           // [W | U] row by row for stepLanes, null when it cannot run
    private final boolean guarded;      // the vector paths were chosen by default under VectorGuard

    /**
     * @param w full-rank W [hidden][input], or null when {@code w1}/{@code w2} give it in low rank
     * @param w1 [wRank][input] and {@code w2} [hidden][wRank] (low rank), or null
     */
    public FastGrnnCell(int input, int hidden, float[] w, float[] w1, float[] w2, float[] u, float[] u1, float[] u2,
                        float[] bg, float[] bh, float sigmoidZeta, float sigmoidNu) {
        this(input, hidden, w, w1, w2, u, u1, u2, bg, bh, sigmoidZeta, sigmoidNu, VectorSupport.available(), VectorSupport.available());
    }

    /**
     * With {@code vectorProducts}, the matrix products run on the Vector API, hidden units across the
     * lanes; with {@code vectorGates} the gates too ({@link FastGrnnSimd}). Either way the states are the
     * plain loops' bits. By default ({@link #FastGrnnCell(int, int, float[], float[], float[], float[],
     * float[], float[], float[], float[], float, float) the short constructor}) both are JDK 21+
     * ({@link VectorSupport#available}): on JDK 17 either allocated in some JVMs and not in others (the
     * products' accumulators carried round the column loop: 96 B a reading in the flink-operators test
     * suite's JVM, none in model-runtime's; the gates: 656 B a step in model-runtime's). A cell whose
     * steps are probed takes them on JDK 17 too ({@link #guarded}). FastGrnnStepTiming in the tests
     * times the paths.
     */
    public FastGrnnCell(int input, int hidden, float[] w, float[] w1, float[] w2, float[] u, float[] u1, float[] u2,
                        float[] bg, float[] bh, float sigmoidZeta, float sigmoidNu, boolean vectorProducts, boolean vectorGates) {
        this(input, hidden, w, w1, w2, u, u1, u2, bg, bh, sigmoidZeta, sigmoidNu, vectorProducts, vectorGates, false);
    }

    /**
     * A cell whose steps something probes for allocation (an {@code Interpreter}'s invokes, a
     * {@code FastGrnnStream} stepper's steps): on vectors where {@link VectorSupport#guardedVectorCells()}
     * says so (JDK 21+, and JDK 17 where a thread's allocation can be measured), and on the plain loops
     * from the step after {@link VectorGuard} trips (the same bits).
     */
    public static FastGrnnCell guarded(int input, int hidden, float[] w, float[] w1, float[] w2, float[] u, float[] u1, float[] u2,
                                       float[] bg, float[] bh, float sigmoidZeta, float sigmoidNu) {
        boolean vector = VectorSupport.guardedVectorCells();
        return new FastGrnnCell(input, hidden, w, w1, w2, u, u1, u2, bg, bh, sigmoidZeta, sigmoidNu, vector, vector, true);
    }

    private FastGrnnCell(int input, int hidden, float[] w, float[] w1, float[] w2, float[] u, float[] u1, float[] u2,
                         float[] bg, float[] bh, float sigmoidZeta, float sigmoidNu, boolean vectorProducts, boolean vectorGates, boolean guarded) {
        this.guarded = guarded;
        this.input = input;
        this.hidden = hidden;
        Factors wf = Factors.of("W", hidden, input, w, w1, w2), uf = Factors.of("U", hidden, hidden, u, u1, u2);
        this.w1 = wf.m1();
        this.w2 = wf.m2();
        this.wRank = wf.rank();
        this.u1 = uf.m1();
        this.u2 = uf.m2();
        this.uRank = uf.rank();
        this.w2T = transpose(this.w2, hidden, wRank);
        this.u2T = transpose(this.u2, hidden, uRank);
        this.wT = this.w2 == null ? transpose(this.w1, hidden, input) : null;
        this.uT = this.u2 == null ? transpose(this.u1, hidden, hidden) : null;
        check(bg, hidden, "bg");
        check(bh, hidden, "bh");
        this.bg = bg.clone();
        this.bh = bh.clone();
        this.zeta = sigmoidZeta;
        this.nu = sigmoidNu;
        boolean eligible = (vectorProducts || vectorGates) && VectorSupport.modulepresent() && FastGrnnSimd.fits(hidden);
        this.vectorProducts = eligible && vectorProducts;
        this.vectorGates = eligible && vectorGates;
        this.vectorLanes = (vectorProducts || vectorGates) && lanes() >= 4 && this.w2 == null && this.u2 == null;
        this.wu = vectorLanes ? concatenateRows(this.w1, input, this.u1, hidden, hidden) : null;
    }

    /** Whether the matrix products run on the Vector API now: chosen so, and not turned off since by {@link VectorGuard}. */
    public boolean vectorProducts() { return vectorProducts && VectorGuard.allows(guarded); }

    /** Whether the gates run on the Vector API now. */
    public boolean vectorGates() { return vectorGates && VectorGuard.allows(guarded); }

    /**
     * Whether {@link #stepLanes} may run now: a full-rank cell with its vector paths chosen (hidden sizes
     * that fill no vector included), not turned off since by {@link VectorGuard}.
     */
    public boolean vectorLanes() { return vectorLanes && VectorGuard.allows(guarded); }

    /** Whether {@link #stepLanes} was chosen, whatever the guard says now: for sizing scratch. */
    boolean lanesChosen() { return vectorLanes; }

    /** Sequences {@link #stepLanes} steps at once. */
    public static int lanes() { return VectorSupport.modulepresent() ? FastGrnnSimd.lanes() : 0; }

    /**
     * One step of {@link #lanes()} sequences at once, sequence i in lane i ({@link FastGrnnSimd#stepLanes}):
     * xh holds the step's inputs and then the states, [input + hidden][lanes], and the states are updated
     * in place; t is 2·hidden·lanes floats of scratch. Each sequence ends in {@link #step}'s bits. Only
     * when {@link #vectorLanes()}.
     */
    public void stepLanes(float[] xh, int xhOff, float[] t, int tOff) {
        FastGrnnSimd.stepLanes(wu, bg, bh, zeta, nu, input, hidden, xh, xhOff, t, tOff);
    }

    /**
     * W or U as given, checked and copied: full rank {@code m1} [rows][cols] ({@code m2} null, rank 0),
     * or low rank {@code m1} [rank][cols] and {@code m2} [rows][rank].
     */
    private record Factors(float[] m1, float[] m2, int rank) {
        static Factors of(String name, int rows, int cols, float[] full, float[] m1, float[] m2) {
            if (full != null) {
                check(full, rows * cols, name);
                return new Factors(full.clone(), null, 0);
            }
            int rank = m1.length / cols;
            check(m1, rank * cols, name + "1");
            check(m2, rows * rank, name + "2");
            return new Factors(m1.clone(), m2.clone(), rank);
        }
    }

    /** Weights of W or U, which are also its multiply-adds per product: rows x cols, or rank x (cols + rows) in low rank. */
    private static long size(float[] m2, int rank, int rows, int cols) {
        return m2 == null ? (long) rows * cols : (long) rank * (cols + rows);
    }

    /** [A | B]: row r is A's row r (aCols values), then B's (bCols). */
    private static float[] concatenateRows(float[] a, int aCols, float[] b, int bCols, int rows) {
        float[] m = new float[rows * (aCols + bCols)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, r * aCols, m, r * (aCols + bCols), aCols);
            System.arraycopy(b, r * bCols, m, r * (aCols + bCols) + aCols, bCols);
        }
        return m;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        if (m == null) return null;
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    private static void check(float[] a, int n, String what) {
        if (a == null || a.length != n || n == 0) {
            throw new IllegalArgumentException("FastGRNN " + what + " must have " + n + " values, has " + (a == null ? "none" : a.length));
        }
    }

    public int input() { return input; }
    public int hidden() { return hidden; }

    /** The cell's weights as given ([out][in]; W2/U2 null when full rank), for quantized variants. */
    public record Weights(int input, int hidden, int wRank, int uRank, float[] w1, float[] w2, float[] u1, float[] u2,
                          float[] bg, float[] bh, float zeta, float nu) {}

    public Weights weights() {
        return new Weights(input, hidden, wRank, uRank, w1.clone(), w2 == null ? null : w2.clone(), u1.clone(),
                u2 == null ? null : u2.clone(), bg.clone(), bh.clone(), zeta, nu);
    }

    /** Floats of scratch one step needs. */
    public int scratchSize() {
        return hidden + Math.max(wRank, uRank) + 2 * hidden;
    }

    public long parameters() {
        return size(w2, wRank, hidden, input) + size(u2, uRank, hidden, hidden) + 2L * hidden + 2;
    }

    public long macsPerStep() {
        return size(w2, wRank, hidden, input) + size(u2, uRank, hidden, hidden) + 4L * hidden;
    }

    /** One step: reads x at {@code xOff}, updates the state at {@code hOff} in place. */
    public void step(float[] x, int xOff, float[] h, int hOff, float[] s, int sOff) {
        final int pre = sOff, tmp = sOff + hidden;
        final boolean vp = vectorProducts(), vg = vectorGates();
        if (wT != null && uT != null && vp) {
            FastGrnnSimd.fullRank(wT, uT, input, hidden, x, xOff, h, hOff, s, pre);
        } else if (wT != null && uT != null) {
            fullRank(x, xOff, h, hOff, s, pre);
        } else {
            project(w1, wT, w2T, wRank, input, x, xOff, s, pre, tmp, false, vp);
            project(u1, uT, u2T, uRank, hidden, h, hOff, s, pre, tmp, true, vp);
        }
        final int g = tmp + Math.max(wRank, uRank);   // the gates' 2·hidden floats
        if (vg) FastGrnnSimd.gates(s, pre, bg, bh, zeta, nu, h, hOff, hidden, s, g);
        else gates(s, pre, h, hOff, g);
    }

    /**
     * z = σ(pre + bg) as ½ + ½·tanh((pre + bg)/2), h~ = tanh(pre + bh), both with
     * {@link FastMath#tanhRational}, then h = z·h + (ζ(1 − z) + ν)·h~. In three passes over the scratch
     * at {@code g} (2·hidden floats) so that the middle one, where the time goes, is the one-array loop
     * C2 vectorizes on JDK 17: the gates took 91 ns a step against 170 for the branchy exp form of one
     * unit at a time (3 channels, hidden 16). {@link FastGrnnSimd#gates} does the same operations in
     * the same order, so both paths give the same bits.
     */
    private void gates(float[] s, int pre, float[] h, int hOff, int g) {
        final int hidden = this.hidden;
        for (int i = 0; i < hidden; i++) {
            float p = s[pre + i];
            s[g + i] = 0.5f * (p + bg[i]);
            s[g + hidden + i] = p + bh[i];
        }
        FastMath.tanhRational(s, g, 2 * hidden);
        for (int i = 0; i < hidden; i++) {
            float z = 0.5f + 0.5f * s[g + i], c = s[g + hidden + i];
            h[hOff + i] = z * h[hOff + i] + (zeta * (1f - z) + nu) * c;
        }
    }

    /** s[pre..] (+)= M v, with M full rank (mT, M transposed) or low rank (M = M2 M1; m2T is M2 transposed). */
    private void project(float[] m1, float[] mT, float[] m2T, int rank, int cols, float[] v, int vOff, float[] s, int pre, int tmp,
                         boolean accumulate, boolean vectorProducts) {
        if (mT != null && vectorProducts) {
            FastGrnnSimd.columns(mT, hidden, cols, v, vOff, s, pre, accumulate);
            return;
        }
        if (mT != null) {
            columns(mT, hidden, cols, v, vOff, s, pre, accumulate);
            return;
        }
        for (int k = 0; k < rank; k++) {
            float acc = 0f;
            int b = k * cols;
            for (int c = 0; c < cols; c++) acc += m1[b + c] * v[vOff + c];
            s[tmp + k] = acc;
        }
        if (vectorProducts) {
            FastGrnnSimd.columns(m2T, hidden, rank, s, tmp, s, pre, accumulate);
            return;
        }
        columns(m2T, hidden, rank, s, tmp, s, pre, accumulate);
    }

    /**
     * pre = W x + U h with both full rank, in one pass: each block of 8 hidden units keeps its sums in
     * locals over W's columns and then U's. Per unit the sum starts at 0 and adds the products in the
     * same order as {@link #columns} called for W and then for U, so the bits are the same; what
     * changes is that the 16-unit rows no longer go through memory 19 times a step (C2 on JDK 17 does
     * not vectorize a 16-trip column loop, so that loop was a load, multiply, add and store per MAC).
     */
    private void fullRank(float[] x, int xOff, float[] h, int hOff, float[] s, int pre) {
        final float[] wT = this.wT, uT = this.uT;
        final int hidden = this.hidden, input = this.input;
        int r = 0;
        for (; r + 8 <= hidden; r += 8) {
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
            for (int c = 0, b = r; c < input; c++, b += hidden) {
                float v = x[xOff + c];
                a0 += wT[b] * v; a1 += wT[b + 1] * v; a2 += wT[b + 2] * v; a3 += wT[b + 3] * v;
                a4 += wT[b + 4] * v; a5 += wT[b + 5] * v; a6 += wT[b + 6] * v; a7 += wT[b + 7] * v;
            }
            for (int c = 0, b = r; c < hidden; c++, b += hidden) {
                float v = h[hOff + c];
                a0 += uT[b] * v; a1 += uT[b + 1] * v; a2 += uT[b + 2] * v; a3 += uT[b + 3] * v;
                a4 += uT[b + 4] * v; a5 += uT[b + 5] * v; a6 += uT[b + 6] * v; a7 += uT[b + 7] * v;
            }
            s[pre + r] = a0; s[pre + r + 1] = a1; s[pre + r + 2] = a2; s[pre + r + 3] = a3;
            s[pre + r + 4] = a4; s[pre + r + 5] = a5; s[pre + r + 6] = a6; s[pre + r + 7] = a7;
        }
        for (; r < hidden; r++) {
            float a = 0f;
            for (int c = 0; c < input; c++) a += wT[c * hidden + r] * x[xOff + c];
            for (int c = 0; c < hidden; c++) a += uT[c * hidden + r] * h[hOff + c];
            s[pre + r] = a;
        }
    }

    /**
     * s[out..out+rows) = (or +=) M v for M given transposed ([cols][rows]): per row, the products
     * added in column order onto 0 (or onto what is there), in blocks of 8 rows summed in locals.
     */
    private static void columns(float[] mT, int rows, int cols, float[] v, int vOff, float[] s, int out, boolean accumulate) {
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
            int o = out + r;
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
            if (accumulate) {
                a0 = s[o]; a1 = s[o + 1]; a2 = s[o + 2]; a3 = s[o + 3];
                a4 = s[o + 4]; a5 = s[o + 5]; a6 = s[o + 6]; a7 = s[o + 7];
            }
            for (int c = 0, b = r; c < cols; c++, b += rows) {
                float x = v[vOff + c];
                a0 += mT[b] * x; a1 += mT[b + 1] * x; a2 += mT[b + 2] * x; a3 += mT[b + 3] * x;
                a4 += mT[b + 4] * x; a5 += mT[b + 5] * x; a6 += mT[b + 6] * x; a7 += mT[b + 7] * x;
            }
            s[o] = a0; s[o + 1] = a1; s[o + 2] = a2; s[o + 3] = a3;
            s[o + 4] = a4; s[o + 5] = a5; s[o + 6] = a6; s[o + 7] = a7;
        }
        for (; r < rows; r++) {
            float a = accumulate ? s[out + r] : 0f;
            for (int c = 0; c < cols; c++) a += mT[c * rows + r] * v[vOff + c];
            s[out + r] = a;
        }
    }

    /**
     * Runs {@code steps} inputs spaced {@code stride} floats apart from a zero state, forwards or
     * backwards; the final state is left in {@code h}.
     */
    public void run(float[] x, int xOff, int steps, int stride, boolean backward, float[] h, int hOff, float[] s, int sOff) {
        java.util.Arrays.fill(h, hOff, hOff + hidden, 0f);
        for (int t = 0; t < steps; t++) {
            int k = backward ? steps - 1 - t : t;
            step(x, xOff + k * stride, h, hOff, s, sOff);
        }
    }
}
