package dev.winnow.runtime.family;

/**
 * The RNNPool operator (Saha et al., NeurIPS 2020) over one r x c x k patch of an HWC map: RNN1
 * summarises every row and every column, RNN2 runs forwards and backwards over the row summaries
 * and over the column summaries; the output is [row-fwd, row-bwd, col-fwd, col-bwd], 4·h2 values.
 * RNN1 and RNN2 are shared by all rows, columns, directions and patches; states start at zero.
 *
 * <p>With a square patch and full-rank cells on the Vector API ({@link FastGrnnCell#vectorLanes}), the
 * 2·r sequences of RNN1 run side by side across the vector lanes, and so do the four of RNN2
 * ({@link FastGrnnCell#stepLanes}): a step then costs a vector operation where it cost one per
 * sequence, and each sequence ends in the same bits as run alone. {@link #poolTwo} puts two patches'
 * sequences side by side, so that small patches fill the lanes.
 *
 * <p>Immutable: any thread may pool, each with scratch of its own.
 */
public final class RnnPool {
    private final FastGrnnCell rnn1;
    private final FastGrnnCell rnn2;
    private final int rows;
    private final int cols;
    private final boolean acrossLanes; // the sequences may run across the vector lanes (the guard can still say no)

    public RnnPool(FastGrnnCell rnn1, FastGrnnCell rnn2, int rows, int cols) {
        if (rnn2.input() != rnn1.hidden()) throw new IllegalArgumentException("RNN2 must read RNN1's hidden state");
        this.rnn1 = rnn1;
        this.rnn2 = rnn2;
        this.rows = rows;
        this.cols = cols;
        this.acrossLanes = rows == cols && rnn1.lanesChosen() && rnn2.lanesChosen();
    }

    public int channels() { return rnn1.input(); }
    public int outputSize() { return 4 * rnn2.hidden(); }
    public int rows() { return rows; }
    public int cols() { return cols; }
    public FastGrnnCell rnn1() { return rnn1; }
    public FastGrnnCell rnn2() { return rnn2; }

    /**
     * Floats of scratch one patch needs: the summaries of all rows (or columns), plus a cell's; when the
     * sequences can run across the lanes, what that needs if it is more.
     */
    public int scratchSize() {
        int one = rnn1.hidden() * Math.max(rows, cols) + Math.max(rnn1.scratchSize(), rnn2.scratchSize());
        return acrossLanes ? Math.max(one, lanesScratch()) : one;
    }

    /**
     * Two patches' row and column summaries [2][2r][h1], a lane group's inputs and states
     * [max(k + h1, h1 + h2)][lanes], the gates' scratch.
     */
    private int lanesScratch() {
        int lanes = FastGrnnCell.lanes(), h1 = rnn1.hidden(), h2 = rnn2.hidden();
        return 2 * 2 * rows * h1 + Math.max(rnn1.input() + h1, h1 + h2) * lanes + 2 * Math.max(h1, h2) * lanes;
    }

    public long macsPerPatch() {
        return 2L * rows * cols * rnn1.macsPerStep() + 2L * (rows + cols) * rnn2.macsPerStep();
    }

    /**
     * Pools the patch whose top-left element is at {@code off}; {@code rowStride} is the distance in
     * floats between image rows (W·C for an HWC map). Writes 4·h2 floats at {@code outOff}.
     */
    public void pool(float[] in, int off, int rowStride, float[] out, int outOff, float[] s, int sOff) {
        if (acrossLanes && rnn1.vectorLanes() && rnn2.vectorLanes()) {
            poolAcrossLanes(in, off, -1, rowStride, out, outOff, -1, s, sOff);
            return;
        }
        poolOneByOne(in, off, rowStride, out, outOff, s, sOff);
    }

    /**
     * Two patches at once, at {@code offA} and {@code offB}, into {@code outA} and {@code outB}: the same
     * outputs as two calls of {@link #pool}. Across the lanes, a patch's 2r + 4 sequences then share
     * vectors with the other's instead of leaving lanes empty (a 4x4 patch's 8 rows and columns fill half
     * of JDK 17's 16 lanes on AVX-512).
     */
    public void poolTwo(float[] in, int offA, int offB, int rowStride, float[] out, int outA, int outB, float[] s, int sOff) {
        if (acrossLanes && rnn1.vectorLanes() && rnn2.vectorLanes()) {
            poolAcrossLanes(in, offA, offB, rowStride, out, outA, outB, s, sOff);
            return;
        }
        poolOneByOne(in, offA, rowStride, out, outA, s, sOff);
        poolOneByOne(in, offB, rowStride, out, outB, s, sOff);
    }

    private void poolOneByOne(float[] in, int off, int rowStride, float[] out, int outOff, float[] s, int sOff) {
        final int h1 = rnn1.hidden(), h2 = rnn2.hidden(), c = rnn1.input();
        final int cell = sOff + h1 * Math.max(rows, cols);
        for (int r = 0; r < rows; r++) {
            rnn1.run(in, off + r * rowStride, cols, c, false, s, sOff + r * h1, s, cell);
        }
        rnn2.run(s, sOff, rows, h1, false, out, outOff, s, cell);
        rnn2.run(s, sOff, rows, h1, true, out, outOff + h2, s, cell);
        for (int j = 0; j < cols; j++) {
            rnn1.run(in, off + j * c, rows, rowStride, false, s, sOff + j * h1, s, cell);
        }
        rnn2.run(s, sOff, cols, h1, false, out, outOff + 2 * h2, s, cell);
        rnn2.run(s, sOff, cols, h1, true, out, outOff + 3 * h2, s, cell);
    }

    /**
     * {@link #pool} with the sequences across the lanes, for one patch ({@code offB} −1) or two: RNN1
     * over lane groups of each patch's r rows and r columns (sequence q of a patch: row q for q < r, else
     * column q − r), their summaries kept side by side, then RNN2's four sequences of each patch (rows
     * forwards, backwards, columns forwards, backwards). Unused lanes run on whatever the scratch held
     * (lanes do not mix) and are not read.
     */
    private void poolAcrossLanes(float[] in, int offA, int offB, int rowStride, float[] out, int outA, int outB, float[] s, int sOff) {
        final int n = rows, c = rnn1.input(), h1 = rnn1.hidden(), h2 = rnn2.hidden(), lanes = FastGrnnCell.lanes();
        final int patches = offB < 0 ? 1 : 2, seq1 = patches * 2 * n, seq2 = patches * 4;
        final int sums = sOff, xh = sums + seq1 * h1, gates = xh + Math.max(c + h1, h1 + h2) * lanes;
        for (int g = 0; g < seq1; g += lanes) {
            java.util.Arrays.fill(s, xh + c * lanes, xh + (c + h1) * lanes, 0f);
            for (int t = 0; t < n; t++) {
                for (int lane = 0; lane < lanes && g + lane < seq1; lane++) {
                    int q = (g + lane) % (2 * n), off = g + lane < 2 * n ? offA : offB;
                    int at = q < n ? off + q * rowStride + t * c : off + t * rowStride + (q - n) * c;
                    for (int k = 0; k < c; k++) s[xh + k * lanes + lane] = in[at + k];
                }
                rnn1.stepLanes(s, xh, s, gates);
            }
            for (int lane = 0; lane < lanes && g + lane < seq1; lane++) {
                for (int k = 0; k < h1; k++) s[sums + (g + lane) * h1 + k] = s[xh + (c + k) * lanes + lane];
            }
        }
        for (int g = 0; g < seq2; g += lanes) {
            java.util.Arrays.fill(s, xh + h1 * lanes, xh + (h1 + h2) * lanes, 0f);
            for (int t = 0; t < n; t++) {
                for (int lane = 0; lane < lanes && g + lane < seq2; lane++) {
                    int p = (g + lane) / 4, d = (g + lane) % 4;
                    // d: rows forwards, rows backwards, columns forwards, columns backwards
                    int summary = sums + (p * 2 * n + (d < 2 ? 0 : n) + (d % 2 == 0 ? t : n - 1 - t)) * h1;
                    for (int k = 0; k < h1; k++) s[xh + k * lanes + lane] = s[summary + k];
                }
                rnn2.stepLanes(s, xh, s, gates);
            }
            for (int lane = 0; lane < lanes && g + lane < seq2; lane++) {
                int p = (g + lane) / 4, d = (g + lane) % 4, o = (p == 0 ? outA : outB) + d * h2;
                for (int k = 0; k < h2; k++) out[o + k] = s[xh + (h1 + k) * lanes + lane];
            }
        }
    }
}
