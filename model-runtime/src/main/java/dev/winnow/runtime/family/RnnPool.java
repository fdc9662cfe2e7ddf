package dev.winnow.runtime.family;

/**
 * The RNNPool operator (Saha et al., NeurIPS 2020) over one r x c x k patch of an HWC map: RNN1
 * summarises every row and every column, RNN2 runs forwards and backwards over the row summaries
 * and over the column summaries; the output is [row-fwd, row-bwd, col-fwd, col-bwd], 4·h2 values.
 * RNN1 and RNN2 are shared by all rows, columns, directions and patches; states start at zero.
 */
public final class RnnPool {
    private final FastGrnnCell rnn1;
    private final FastGrnnCell rnn2;
    private final int rows;
    private final int cols;

    public RnnPool(FastGrnnCell rnn1, FastGrnnCell rnn2, int rows, int cols) {
        if (rnn2.input() != rnn1.hidden()) throw new IllegalArgumentException("RNN2 must read RNN1's hidden state");
        this.rnn1 = rnn1;
        this.rnn2 = rnn2;
        this.rows = rows;
        this.cols = cols;
    }

    public int channels() { return rnn1.input(); }
    public int outputSize() { return 4 * rnn2.hidden(); }
    public int rows() { return rows; }
    public int cols() { return cols; }
    public FastGrnnCell rnn1() { return rnn1; }
    public FastGrnnCell rnn2() { return rnn2; }

    /** Floats of scratch one patch needs: the summaries of all rows (or columns), plus a cell's. */
    public int scratchSize() {
        return rnn1.hidden() * Math.max(rows, cols) + Math.max(rnn1.scratchSize(), rnn2.scratchSize());
    }

    public long macsPerPatch() {
        return 2L * rows * cols * rnn1.macsPerStep() + 2L * (rows + cols) * rnn2.macsPerStep();
    }

    /**
     * Pools the patch whose top-left element is at {@code off}; {@code rowStride} is the distance in
     * floats between image rows (W·C for an HWC map). Writes 4·h2 floats at {@code outOff}.
     */
    public void pool(float[] in, int off, int rowStride, float[] out, int outOff, float[] s, int sOff) {
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
}
