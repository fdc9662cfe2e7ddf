package dev.winnow.runtime.family;

import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.runtime.testing.Tensors;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Stepping several sequences side by side ({@link Q15FastGrnnCell#stepBatch}) gives each sequence the
 * states it gets stepped alone, bit for bit, on every path; and the int8 RNNPool layer, which batches
 * its row, column and bidirectional passes, gives what the sequential passes give.
 */
class Q15BatchStepTest {
    @Test
    void aBatchedStepEqualsEachSequenceSteppedAlone() {
        assertTrue(VectorSupport.modulepresent(), "the tests run with the Vector API module");
        Random r = new Random(77);
        int checked = 0;
        for (int trial = 0; trial < 36; trial++) {
            int input = new int[] {3, 8, 16}[trial % 3], hidden = new int[] {8, 16, 5}[(trial / 3) % 3], batch = new int[] {8, 4, 3, 1}[trial % 4];
            double std = new double[] {0.05, 0.5, 3, 12}[(trial / 9) % 4];   // up to weights that saturate the gates
            FastGrnnCell.Weights w = new FastGrnnCell.Weights(input, hidden, 0, 0, gaussian(r, hidden * input, std), null,
                    gaussian(r, hidden * hidden, std), null, gaussian(r, hidden, std), gaussian(r, hidden, std), (float) r.nextGaussian(), (float) r.nextGaussian());
            for (Q15FastGrnnCell cell : new Q15FastGrnnCell[] {
                    new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.SMOOTH, false),
                    new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.SMOOTH, true, false),
                    new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.SMOOTH, true, true),
                    new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.PIECEWISE, true)}) {
                short[] alone = new short[batch * hidden], together = new short[batch * hidden + 2];
                for (int i = 0; i < alone.length; i++) alone[i] = together[i + 2] = (short) (r.nextInt(65536) - 32768);
                int[] s = new int[cell.scratchSize() + 5];
                for (int step = 0; step < 5; step++) {
                    int[] wx = new int[batch * hidden + 1];
                    for (int i = 0; i < wx.length; i++) wx[i] = r.nextInt(1 << 16) - (1 << 15);   // Q11 pre-activations of ±16
                    for (int b = 0; b < batch; b++) cell.stepProjected(wx, 1 + b * hidden, alone, b * hidden, s, 5);
                    cell.stepBatch(wx.clone(), 1, together, 2, batch, s, 5);
                    assertArrayEquals(alone, Arrays.copyOfRange(together, 2, together.length),
                            "trial " + trial + ", hidden " + hidden + ", batch " + batch + ", step " + step);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 36 * 4 * 5, checked + " steps compared");
    }

    @Test
    void theBatchedInt8RnnPoolEqualsTheSequentialPasses() throws Exception {
        Random r = new Random(9);
        // EdgeML's VWW block (4x4 patches), and a non-square patch with seeded weights (rows and columns step apart)
        RnnPool rect = new RnnPool(
                new FastGrnnCell(8, 8, gaussian(r, 64, 0.5), null, null, gaussian(r, 64, 0.5), null, null, gaussian(r, 8, 0.5), gaussian(r, 8, 0.5), 1f, -0.5f),
                new FastGrnnCell(8, 8, gaussian(r, 64, 0.5), null, null, gaussian(r, 64, 0.5), null, null, gaussian(r, 8, 0.5), gaussian(r, 8, 0.5), 0.8f, 0.1f),
                4, 2);
        for (RnnPool p : new RnnPool[] {RnnPoolKnownAnswerTest.vww(), rect}) {
            int h = 22, w = 26, c = p.channels();
            QuantParams in = QuantParams.forRange(-1, 1), out = QuantParams.forRange(-1.5, 1.5);
            Int8RnnPoolLayer q = new Int8RnnPoolLayer(new RnnPoolLayer(p, h, w, 4, true), h, w, 4, true, in, out);
            float[] x = Tensors.uniform(new Random(5), h * w * c, -1, 1);
            byte[] xq = new byte[x.length];
            for (int i = 0; i < x.length; i++) xq[i] = in.quantize(x[i]);
            byte[] got = new byte[q.outH() * q.outW() * q.outC()];
            q.run(xq, 0, got, 0, new short[q.scratchShorts()], 0, new int[q.scratchInts()], 0);
            assertArrayEquals(sequential(p, h, w, 4, xq, in, out), trim(got, q), p.rows() + "x" + p.cols() + " patches: the batched layer against the passes one by one");
        }
    }

    /** The output without its padding row and column. */
    private static byte[] trim(byte[] y, Int8RnnPoolLayer q) {
        int oc = q.outC(), gw = q.outW() - 1, gh = q.outH() - 1;
        byte[] t = new byte[gh * gw * oc];
        for (int i = 0; i < gh; i++) System.arraycopy(y, i * q.outW() * oc, t, i * gw * oc, gw * oc);
        return t;
    }

    /** The layer as the cells' plain calls define it: every pass alone, in order (no padding). */
    private static byte[] sequential(RnnPool p, int inH, int inW, int stride, byte[] in, QuantParams inQ, QuantParams outQ) {
        Q15FastGrnnCell rnn1 = new Q15FastGrnnCell(p.rnn1().weights(), 12, Q15FastGrnnCell.Gates.SMOOTH, false);
        Q15FastGrnnCell rnn2 = new Q15FastGrnnCell(p.rnn2().weights(), Q15FastGrnnCell.stateFrac(), Q15FastGrnnCell.Gates.SMOOTH, false);
        int rows = p.rows(), cols = p.cols(), ch = p.channels(), h1 = rnn1.hidden(), h2 = rnn2.hidden();
        int gh = (inH - rows) / stride + 1, gw = (inW - cols) / stride + 1;
        var m = dev.winnow.runtime.quant.FixedPoint.quantizeMultiplier(1.0 / (1 << Q15FastGrnnCell.stateFrac()) / outQ.scale());
        byte[] out = new byte[gh * gw * 4 * h2];
        int[] s = new int[Math.max(rnn1.scratchSize(), rnn2.scratchSize())];
        for (int i = 0; i < gh; i++) {
            for (int j = 0; j < gw; j++) {
                short[][] px = new short[rows * cols][ch];
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        for (int k = 0; k < ch; k++)
                            px[r * cols + c][k] = dev.winnow.runtime.quant.Q15.quantize(inQ.dequantize(in[((i * stride + r) * inW + j * stride + c) * ch + k]), 12);
                short[] rowSums = new short[rows * h1], colSums = new short[cols * h1];
                for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) rnn1.step(px[r * cols + c], 0, rowSums, r * h1, s, 0);
                for (int c = 0; c < cols; c++) for (int r = 0; r < rows; r++) rnn1.step(px[r * cols + c], 0, colSums, c * h1, s, 0);
                short[] res = new short[4 * h2];
                for (int t = 0; t < rows; t++) rnn2.step(rowSums, t * h1, res, 0, s, 0);
                for (int t = rows - 1; t >= 0; t--) rnn2.step(rowSums, t * h1, res, h2, s, 0);
                for (int t = 0; t < cols; t++) rnn2.step(colSums, t * h1, res, 2 * h2, s, 0);
                for (int t = cols - 1; t >= 0; t--) rnn2.step(colSums, t * h1, res, 3 * h2, s, 0);
                for (int k = 0; k < 4 * h2; k++) {
                    int v = dev.winnow.runtime.quant.FixedPoint.multiplyByQuantizedMultiplier(res[k], m.multiplier(), m.shift()) + outQ.zeroPoint();
                    out[(i * gw + j) * 4 * h2 + k] = (byte) dev.winnow.runtime.quant.FixedPoint.clamp(v, -128, 127);
                }
            }
        }
        return out;
    }
}
