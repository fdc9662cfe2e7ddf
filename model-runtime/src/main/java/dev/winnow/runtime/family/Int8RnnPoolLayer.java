package dev.winnow.runtime.family;

import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.Q15;
import dev.winnow.runtime.quant.QuantParams;

/**
 * RNNPool layer on int8 maps: the input is int8 with affine parameters, the output int8 with its own.
 * Inside, both RNNs run in 16-bit fixed point ({@link Q15FastGrnnCell}, smooth gates): each patch is
 * converted to Q12 through a 256-entry table (no multiply per pixel), RNN1's Q14 states feed RNN2,
 * and RNN2's Q14 states are requantized to the output with TFLite's fixed-point multiplier.
 */
public final class Int8RnnPoolLayer {
    private static final int IN_FRAC = 12;
    private final Q15FastGrnnCell rnn1, rnn2;
    private final int rows, cols, channels, inH, inW, stride, gridH, gridW;
    private final boolean padOutput;
    private final short[] toQ12 = new short[256];
    private final int outMul, outShift, outZp;

    public Int8RnnPoolLayer(RnnPoolLayer floatLayer, int inH, int inW, int stride, boolean padOutput, QuantParams in, QuantParams out) {
        RnnPool p = floatLayer.pool();
        // a graph op, so an interpreter's probes watch the cells' vector gates on JDK 17 (VectorGuard)
        this.rnn1 = Q15FastGrnnCell.guarded(p.rnn1().weights(), IN_FRAC, Q15FastGrnnCell.Gates.SMOOTH);
        this.rnn2 = Q15FastGrnnCell.guarded(p.rnn2().weights(), Q15FastGrnnCell.stateFrac(), Q15FastGrnnCell.Gates.SMOOTH);
        this.rows = p.rows();
        this.cols = p.cols();
        this.channels = p.channels();
        this.inH = inH;
        this.inW = inW;
        this.stride = stride;
        this.padOutput = padOutput;
        this.gridH = (inH - rows) / stride + 1;
        this.gridW = (inW - cols) / stride + 1;
        for (int q = -128; q <= 127; q++) toQ12[q + 128] = Q15.quantize(in.dequantize(q), IN_FRAC);
        FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(1.0 / (1 << Q15FastGrnnCell.stateFrac()) / out.scale());
        this.outMul = m.multiplier();
        this.outShift = m.shift();
        this.outZp = out.zeroPoint();
    }

    /** Whether both cells' batched gates run on vectors now (see {@link Q15FastGrnnCell#vectorGates()}). */
    boolean vectorGates() {
        return rnn1.batchGates() && rnn2.batchGates();
    }

    public int outH() { return gridH + (padOutput ? 1 : 0); }
    public int outW() { return gridW + (padOutput ? 1 : 0); }
    public int outC() { return 4 * rnn2.hidden(); }

    /** Shorts of scratch: a patch's pixels in Q12, RNN1's row and column states, and RNN2's four states. */
    public int scratchShorts() {
        return rows * cols * channels + rnn1.hidden() * (rows + cols) + outC();
    }

    /**
     * Ints of scratch: the cells' own; RNN1's input projection of every pixel of a patch; the
     * pre-activations of a batched step; RNN2's input projection of every row and column summary.
     */
    public int scratchInts() {
        return cellInts() + rows * cols * rnn1.hidden() + Math.max((rows + cols) * rnn1.hidden(), 4 * rnn2.hidden()) + (rows + cols) * rnn2.hidden();
    }

    /** Ints of scratch the cells share, at the start of the int scratch. */
    private int cellInts() {
        return Math.max(rnn1.scratchSize(), rnn2.scratchSize());
    }

    /**
     * The layer over the whole map. Per patch the recurrences run side by side ({@link Q15FastGrnnCell#stepBatch}):
     * RNN1's row passes and column passes (independent, each over its own pixels) step together, then
     * RNN2's forward and backward passes over the row summaries and over the column summaries; so the
     * gates of eight (then four) short sequences fill the vector lanes. Bit for bit the sequential passes.
     */
    public void run(byte[] in, int inOff, byte[] out, int outOff, short[] s, int sOff, int[] is, int isOff) {
        final int h1 = rnn1.hidden(), h2 = rnn2.hidden(), oc = outC(), ow = outW(), seq1 = rows + cols;
        final int pixels = sOff, sums = sOff + rows * cols * channels, res = sums + seq1 * h1;
        // RNN1 reads each pixel of a patch twice (its row pass and its column pass): W x is computed once per pixel
        final int wx = isOff + cellInts(), pre = wx + rows * cols * h1, w2x = pre + Math.max(seq1 * h1, 4 * h2);
        for (int i = 0; i < gridH; i++) {
            for (int j = 0; j < gridW; j++) {
                int base = inOff + (i * stride * inW + j * stride) * channels;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        int src = base + (r * inW + c) * channels, dst = pixels + (r * cols + c) * channels;
                        for (int k = 0; k < channels; k++) s[dst + k] = toQ12[in[src + k] + 128];
                    }
                }
                rnn1.projectInputs(s, pixels, channels, rows * cols, is, wx, is, isOff);
                summaries(is, wx, pre, s, sums, is, isOff);
                // RNN2 reads each summary twice (forward and backward)
                for (int k = 0; k < seq1; k++) rnn2.projectInput(s, sums + k * h1, is, w2x + k * h2, is, isOff);
                java.util.Arrays.fill(s, res, res + 4 * h2, (short) 0);
                if (rows == cols) {
                    for (int t = 0; t < rows; t++) {
                        bidirectional(is, w2x, rows, t, pre);
                        bidirectional(is, w2x + rows * h2, cols, t, pre + 2 * h2);
                        rnn2.stepBatch(is, pre, s, res, 4, is, isOff);
                    }
                } else {
                    for (int t = 0; t < rows; t++) {
                        bidirectional(is, w2x, rows, t, pre);
                        rnn2.stepBatch(is, pre, s, res, 2, is, isOff);
                    }
                    for (int t = 0; t < cols; t++) {
                        bidirectional(is, w2x + rows * h2, cols, t, pre);
                        rnn2.stepBatch(is, pre, s, res + 2 * h2, 2, is, isOff);
                    }
                }
                int o = outOff + (i * ow + j) * oc;
                for (int k = 0; k < oc; k++) {
                    int v = FixedPoint.multiplyByQuantizedMultiplier(s[res + k], outMul, outShift) + outZp;
                    out[o + k] = (byte) FixedPoint.clamp(v, -128, 127);
                }
            }
        }
        if (padOutput) RnnPoolLayer.padLastRowAndColumn(out, outOff, gridH, gridW, oc);
    }

    /** Step t's projected inputs of a forward and a backward pass over {@code n} summaries at {@code w2x}, into {@code pre}. */
    private void bidirectional(int[] is, int w2x, int n, int t, int pre) {
        final int h2 = rnn2.hidden();
        System.arraycopy(is, w2x + t * h2, is, pre, h2);
        System.arraycopy(is, w2x + (n - 1 - t) * h2, is, pre + h2, h2);
    }

    /**
     * RNN1 over each row of the patch (along its columns) and each column (along its rows), from the
     * pixels' projections at {@code wx}; the final states land at {@code sums}, rows first. Passes of
     * equal length step together; a non-square patch runs its rows, then its columns.
     */
    private void summaries(int[] is, int wx, int pre, short[] s, int sums, int[] cs, int csOff) {
        final int h1 = rnn1.hidden();
        java.util.Arrays.fill(s, sums, sums + (rows + cols) * h1, (short) 0);
        if (rows == cols) {
            for (int t = 0; t < cols; t++) {
                rowInputs(is, wx, t, pre);
                columnInputs(is, wx, t, pre + rows * h1);
                rnn1.stepBatch(is, pre, s, sums, rows + cols, cs, csOff);
            }
            return;
        }
        for (int t = 0; t < cols; t++) {
            rowInputs(is, wx, t, pre);
            rnn1.stepBatch(is, pre, s, sums, rows, cs, csOff);
        }
        for (int t = 0; t < rows; t++) {
            columnInputs(is, wx, t, pre);
            rnn1.stepBatch(is, pre, s, sums + rows * h1, cols, cs, csOff);
        }
    }

    /** Step t's projected inputs of the row passes (pixel (r, t) for row r), into {@code pre}. */
    private void rowInputs(int[] is, int wx, int t, int pre) {
        final int h1 = rnn1.hidden();
        for (int r = 0; r < rows; r++) System.arraycopy(is, wx + (r * cols + t) * h1, is, pre + r * h1, h1);
    }

    /** Step t's projected inputs of the column passes (pixel (t, c) for column c), into {@code pre}. */
    private void columnInputs(int[] is, int wx, int t, int pre) {
        final int h1 = rnn1.hidden();
        System.arraycopy(is, wx + t * cols * h1, is, pre, cols * h1);
    }
}
