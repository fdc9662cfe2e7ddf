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
        this.rnn1 = new Q15FastGrnnCell(p.rnn1().weights(), IN_FRAC, Q15FastGrnnCell.Gates.SMOOTH);
        this.rnn2 = new Q15FastGrnnCell(p.rnn2().weights(), Q15FastGrnnCell.stateFrac(), Q15FastGrnnCell.Gates.SMOOTH);
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

    public int outH() { return gridH + (padOutput ? 1 : 0); }
    public int outW() { return gridW + (padOutput ? 1 : 0); }
    public int outC() { return 4 * rnn2.hidden(); }

    /** Shorts of scratch: one pixel in Q12, the summaries, and the four RNN2 results. */
    public int scratchShorts() {
        return channels + rnn1.hidden() * Math.max(rows, cols) + outC();
    }

    /** Ints of scratch: the cells' own, then RNN1's input projection of every pixel of a patch. */
    public int scratchInts() {
        return cellInts() + rows * cols * rnn1.hidden();
    }

    /** Ints of scratch the cells share, at the start of the int scratch. */
    private int cellInts() {
        return Math.max(rnn1.scratchSize(), rnn2.scratchSize());
    }

    public void run(byte[] in, int inOff, byte[] out, int outOff, short[] s, int sOff, int[] is, int isOff) {
        final int pixel = sOff, sum = sOff + channels, res = sum + rnn1.hidden() * Math.max(rows, cols);
        final int h1 = rnn1.hidden(), h2 = rnn2.hidden(), oc = outC(), ow = outW();
        // RNN1 reads each pixel of a patch twice (its row pass and its column pass): W x is computed once per pixel
        final int wx = isOff + cellInts();
        for (int i = 0; i < gridH; i++) {
            for (int j = 0; j < gridW; j++) {
                int base = inOff + (i * stride * inW + j * stride) * channels;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        int src = base + (r * inW + c) * channels;
                        for (int k = 0; k < channels; k++) s[pixel + k] = toQ12[in[src + k] + 128];
                        rnn1.projectInput(s, pixel, is, wx + (r * cols + c) * h1, is, isOff);
                    }
                }
                for (int r = 0; r < rows; r++) runProjected(rnn1, is, wx + r * cols * h1, cols, h1, s, sum + r * h1, is, isOff);
                rnn2.run(s, sum, rows, h1, s, res, is, isOff);
                runBackward(rnn2, s, sum, rows, h1, s, res + h2, is, isOff);
                for (int c = 0; c < cols; c++) runProjected(rnn1, is, wx + c * h1, rows, cols * h1, s, sum + c * h1, is, isOff);
                rnn2.run(s, sum, cols, h1, s, res + 2 * h2, is, isOff);
                runBackward(rnn2, s, sum, cols, h1, s, res + 3 * h2, is, isOff);
                int o = outOff + (i * ow + j) * oc;
                for (int k = 0; k < oc; k++) {
                    int v = FixedPoint.multiplyByQuantizedMultiplier(s[res + k], outMul, outShift) + outZp;
                    out[o + k] = (byte) FixedPoint.clamp(v, -128, 127);
                }
            }
        }
        if (padOutput) {
            for (int i = 0; i < gridH; i++) {
                int row = outOff + i * ow * oc;
                System.arraycopy(out, row + (gridW - 1) * oc, out, row + gridW * oc, oc);
            }
            System.arraycopy(out, outOff + (gridH - 1) * ow * oc, out, outOff + gridH * ow * oc, ow * oc);
        }
    }

    /** A forward pass of the cell over projected inputs {@code steps} apart by {@code stride} ints. */
    private static void runProjected(Q15FastGrnnCell cell, int[] wx, int wxOff, int steps, int stride, short[] h, int hOff, int[] s, int sOff) {
        java.util.Arrays.fill(h, hOff, hOff + cell.hidden(), (short) 0);
        for (int t = 0; t < steps; t++) cell.stepProjected(wx, wxOff + t * stride, h, hOff, s, sOff);
    }

    private static void runBackward(Q15FastGrnnCell cell, short[] x, int xOff, int steps, int stride, short[] h, int hOff, int[] s, int sOff) {
        java.util.Arrays.fill(h, hOff, hOff + cell.hidden(), (short) 0);
        for (int t = steps - 1; t >= 0; t--) cell.step(x, xOff + t * stride, h, hOff, s, sOff);
    }
}
