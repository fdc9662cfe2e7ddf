package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.simd.Q15LanesSimd;
import dev.winnow.runtime.quant.FixedPoint;

/**
 * The int8 RNNPool layer with a group of patches across the lanes: lane l of every array is patch
 * l of the group, so each step of each of a patch's sequences (RNN1's row and column passes, RNN2's
 * four) is a handful of whole-vector operations whatever the hidden size, and a weight is one
 * broadcast for all the patches. The arithmetic is the Q15 cells' (products and rounding shifts of
 * {@link Q15FastGrnnCell}, values kept split as 256·hi + lo, see {@link Q15LanesSimd}): the same bits
 * as {@link Int8RnnPoolLayer}'s patch-by-patch loops.
 * Only built where the Vector API module is present ({@link Q15LanesSimd}, the preferred int shape's
 * lanes: 16 patches on AVX-512).
 *
 * <p>Immutable; {@link #run} writes only the caller's output and scratch, so one instance serves any
 * number of threads, each with its own scratch.
 */
final class Int8RnnPoolLanes {

    /** One cell's parameters as the lanes read them: weights widened to int, shifts to Q11, biases in Q11. */
    record Cell(int input, int hidden, int[] w, int wShift, int[] u, int uShift, int[] bg, int[] bh, int zeta, int nu) {}

    private final Cell c1, c2;
    private final int lanes, rows, cols, channels, inH, inW, stride, gridH, gridW;
    private final boolean padOutput;
    private final int[] toQ12 = new int[256];
    private final int[] sigmoid;   // Q15FastGrnnCell.sigmoidPairs
    private final int outMul, outShift, outZp;
    // scratch layout (ints), lane-major: where each lane's patch starts in the input, one pixel's input in Q12 and split, every pixel's W x, a step's pre-activations,
    // RNN1's row and column states (split; the summaries), RNN2's W x of each summary, RNN2's four states (split),
    // and the gates' gather indices
    private final int bases, x, xHi, xLo, wx, pre, h1Hi, h1Lo, w2x, h2Hi, h2Lo, idx, size;

    Int8RnnPoolLanes(Cell c1, Cell c2, int[] sigmoid, short[] toQ12, int rows, int cols, int channels, int inH, int inW, int stride,
                     boolean padOutput, int outMul, int outShift, int outZp) {
        this.c1 = c1;
        this.c2 = c2;
        this.sigmoid = sigmoid;
        this.lanes = Q15LanesSimd.lanes();
        this.rows = rows;
        this.cols = cols;
        this.channels = channels;
        this.inH = inH;
        this.inW = inW;
        this.stride = stride;
        this.padOutput = padOutput;
        this.gridH = (inH - rows) / stride + 1;
        this.gridW = (inW - cols) / stride + 1;
        for (int q = 0; q < 256; q++) this.toQ12[q] = toQ12[q];
        this.outMul = outMul;
        this.outShift = outShift;
        this.outZp = outZp;
        final int h1 = c1.hidden(), h2 = c2.hidden(), seq1 = rows + cols, l = lanes;
        bases = 0;
        x = bases + l;
        xHi = x + channels * l;
        xLo = xHi + channels * l;
        wx = xLo + channels * l;
        pre = wx + rows * cols * h1 * l;
        h1Hi = pre + Math.max(Math.max(rows, cols) * h1, 2 * h2) * l;
        h1Lo = h1Hi + seq1 * h1 * l;
        w2x = h1Lo + seq1 * h1 * l;
        h2Hi = w2x + seq1 * h2 * l;
        h2Lo = h2Hi + 4 * h2 * l;
        idx = h2Lo + 4 * h2 * l;
        size = idx + 2 * l;
    }

    /**
     * Whether a cell can run on the lanes: full rank, smooth gates whose update fits 32 bits
     * (max(|ν|, |ζ + ν|) ≤ 65534), at most 256 inputs and hidden units (the split sums' bound) and
     * shifts of at most 20 bits (the rounding's bound).
     */
    static boolean fits(Cell c) {
        return c != null && c.input() <= 256 && c.hidden() <= 256 && c.wShift() <= 20 && c.uShift() <= 20
                && Math.max(Math.abs(c.nu()), Math.abs(c.zeta() + c.nu())) <= 65534;
    }

    /** Ints of scratch {@link #run} needs. */
    int scratchInts() {
        return size;
    }

    /** The layer over the whole map, as {@link Int8RnnPoolLayer#run}; {@code s} holds {@link #scratchInts()} ints from {@code sOff}. */
    void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        final int patches = gridH * gridW, oc = 4 * c2.hidden();
        for (int first = 0; first < patches; first += lanes) {
            pool(in, inOff, first, patches, s, sOff);
            // lanes past the last patch ran a copy of it and are not written
            for (int l = 0; l < lanes && first + l < patches; l++) {
                int p = first + l, i = p / gridW, j = p % gridW;
                int o = outOff + (i * (gridW + (padOutput ? 1 : 0)) + j) * oc;
                for (int k = 0; k < oc; k++) {
                    int at = sOff + k * lanes + l;
                    int h = (s[h2Hi + at] << 8) + s[h2Lo + at];
                    int v = FixedPoint.multiplyByQuantizedMultiplier(h, outMul, outShift) + outZp;
                    out[o + k] = (byte) FixedPoint.clamp(v, -128, 127);
                }
            }
        }
        if (padOutput) RnnPoolLayer.padLastRowAndColumn(out, outOff, gridH, gridW, oc);
    }

    /** RNN1 and RNN2 over patches first .. first + lanes (the last patch again past the end); RNN2's states end at h2Hi/h2Lo. */
    private void pool(byte[] in, int inOff, int first, int patches, int[] s, int sOff) {
        final int h1 = c1.hidden(), h2 = c2.hidden(), l = lanes, seq1 = rows + cols;
        for (int lane = 0; lane < l; lane++) {
            int p = Math.min(first + lane, patches - 1);
            s[sOff + bases + lane] = inOff + (p / gridW * stride * inW + p % gridW * stride) * channels;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int pixel = (r * inW + c) * channels;
                for (int k = 0; k < channels; k++) {
                    for (int lane = 0, at = sOff + x + k * l; lane < l; lane++) s[at + lane] = toQ12[in[s[sOff + bases + lane] + pixel + k] + 128];
                }
                split(s, sOff + x, channels * l, sOff + xHi, sOff + xLo);
                // RNN1 reads each pixel twice (its row pass and its column pass): W x once per pixel
                project(c1.w(), h1, channels, s, sOff + xHi, sOff + xLo, c1.wShift(), sOff + wx + (r * cols + c) * h1 * l, false);
            }
        }
        java.util.Arrays.fill(s, sOff + h1Hi, sOff + w2x, 0);
        for (int t = 0; t < cols; t++) {     // the rows, along their columns
            for (int r = 0; r < rows; r++) System.arraycopy(s, sOff + wx + (r * cols + t) * h1 * l, s, sOff + pre + r * h1 * l, h1 * l);
            step(c1, rows, 0, s, sOff);
        }
        for (int t = 0; t < rows; t++) {     // the columns, along their rows
            System.arraycopy(s, sOff + wx + t * cols * h1 * l, s, sOff + pre, cols * h1 * l);
            step(c1, cols, rows * h1 * l, s, sOff);
        }
        // RNN2 reads each summary twice (forward and backward)
        for (int k = 0; k < seq1; k++) {
            project(c2.w(), h2, h1, s, sOff + h1Hi + k * h1 * l, sOff + h1Lo + k * h1 * l, c2.wShift(), sOff + w2x + k * h2 * l, false);
        }
        java.util.Arrays.fill(s, sOff + h2Hi, sOff + idx, 0);
        bidirectional(rows, 0, 0, s, sOff);
        bidirectional(cols, rows, 2 * h2 * l, s, sOff);
    }

    /** RNN2 forward and backward over the n summaries from summary {@code from}; the two states at {@code state} past h2Hi/h2Lo. */
    private void bidirectional(int n, int from, int state, int[] s, int sOff) {
        final int h2 = c2.hidden(), l = lanes;
        for (int t = 0; t < n; t++) {
            System.arraycopy(s, sOff + w2x + (from + t) * h2 * l, s, sOff + pre, h2 * l);
            System.arraycopy(s, sOff + w2x + (from + n - 1 - t) * h2 * l, s, sOff + pre + h2 * l, h2 * l);
            for (int q = 0; q < 2; q++) {
                int st = state + q * h2 * l;
                project(c2.u(), h2, h2, s, sOff + h2Hi + st, sOff + h2Lo + st, c2.uShift(), sOff + pre + q * h2 * l, true);
            }
            gates(c2, 2, sOff + pre, sOff + h2Hi + state, sOff + h2Lo + state, s, sOff);
        }
    }

    /** One step of {@code seqs} RNN1 sequences whose W x is at pre; their states from {@code state} past h1Hi/h1Lo. */
    private void step(Cell c, int seqs, int state, int[] s, int sOff) {
        final int h = c.hidden(), l = lanes;
        for (int q = 0; q < seqs; q++) {
            int st = state + q * h * l;
            project(c.u(), h, h, s, sOff + h1Hi + st, sOff + h1Lo + st, c.uShift(), sOff + pre + q * h * l, true);
        }
        gates(c, seqs, sOff + pre, sOff + h1Hi + state, sOff + h1Lo + state, s, sOff);
    }

    /** hi = v >> 8 and lo = v & 255 of the n ints from {@code from}: the split the products read. */
    private static void split(int[] s, int from, int n, int hiAt, int loAt) {
        Q15LanesSimd.split(s, from, n, s, hiAt, s, loAt);
    }

    private static void project(int[] m, int rowsOut, int n, int[] s, int hiAt, int loAt, int shift, int dstAt, boolean accumulate) {
        Q15LanesSimd.project(m, rowsOut, n, s, hiAt, s, loAt, shift, s, dstAt, accumulate);
    }

    private void gates(Cell c, int seqs, int preAt, int hiAt, int loAt, int[] s, int sOff) {
        Q15LanesSimd.gates(s, preAt, c.bg(), c.bh(), c.hidden(), seqs, sigmoid, c.zeta(), c.nu(), s, hiAt, s, loAt, s, sOff + idx);
    }
}
