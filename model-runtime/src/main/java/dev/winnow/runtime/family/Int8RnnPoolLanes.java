package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.simd.Q15LanesSimd;

/**
 * The int8 RNNPool layer with a group of patches across the lanes: lane l of every array is patch
 * l of the group, so each step of each of a patch's sequences (RNN1's row and column passes, RNN2's
 * four) is a handful of whole-vector operations whatever the hidden size, and a weight is one
 * broadcast for all the patches. The arithmetic is the Q15 cells' (products and rounding shifts of
 * {@link Q15FastGrnnCell}, in 32-bit lanes, see {@link Q15LanesSimd}): the same bits
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

    private final Int8RnnPoolLayer layer;   // its geometry, its input table and its output requantization
    private final Cell c1, c2;
    private final int lanes;
    private final int[] sigmoid = Q15FastGrnnCell.sigmoidPairs();
    // Scratch (ints), lane-major, kept small because it is arena RAM beside the maps (the detector's arena
    // peak is bounded): where each lane's patch starts in the input; one pixel's input in Q12, then a step's
    // pre-activations in the same place; one pixel's (or summary's) W x; RNN1's row and column states (at the
    // end, the summaries); RNN2's four states; the sigmoid table's indices.
    private final int bases, pre, wx, states1, states2, idx, size;

    Int8RnnPoolLanes(Int8RnnPoolLayer layer, Cell c1, Cell c2) {
        this.layer = layer;
        this.c1 = c1;
        this.c2 = c2;
        this.lanes = Q15LanesSimd.lanes();
        final int h1 = c1.hidden(), h2 = c2.hidden(), l = lanes;
        bases = 0;
        pre = bases + l;
        wx = pre + Math.max(layer.channels, Math.max(h1, h2)) * l;
        states1 = wx + Math.max(h1, h2) * l;
        states2 = states1 + (layer.rows + layer.cols) * h1 * l;
        idx = states2 + 4 * h2 * l;
        size = idx + 2 * l;
    }

    /**
     * Whether a cell can run on the lanes: full rank, smooth gates whose update fits 32 bits
     * (max(|ν|, |ζ + ν|) ≤ 65534), at most 256 inputs and hidden units (the split sums' bound) and
     * shifts of at most 20 bits (the rounding's bound).
     */
    static boolean fits(Cell c) {
        return c.input() <= 256 && c.hidden() <= 256 && c.wShift() <= 20 && c.uShift() <= 20
                && Math.max(Math.abs(c.nu()), Math.abs(c.zeta() + c.nu())) <= 65534;
    }

    /** Ints of scratch {@link #run} needs. */
    int scratchInts() {
        return size;
    }

    /**
     * The layer over the whole map, as {@link Int8RnnPoolLayer#run} but for the padding row and column,
     * which the layer adds; {@code s} holds {@link #scratchInts()} ints from {@code sOff}.
     */
    void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        final int gridW = layer.gridW, patches = layer.gridH * gridW, oc = 4 * c2.hidden(), ow = layer.outW();
        for (int first = 0; first < patches; first += lanes) {
            pool(in, inOff, first, patches, s, sOff);
            // RNN2's states in the output's order: forward over the rows, backward, then the columns;
            // lanes past the last patch ran a copy of it and are not written
            for (int l = 0; l < lanes && first + l < patches; l++) {
                int p = first + l, o = outOff + (p / gridW * ow + p % gridW) * oc;
                for (int k = 0; k < oc; k++) out[o + k] = layer.requantize(s[sOff + states2 + k * lanes + l]);
            }
        }
    }

    /**
     * RNN1 and RNN2 over patches first .. first + lanes (the last patch again past the end); RNN2's states
     * end at states2. The pixels go in raster order: pixel (r, c) is step c of row r's pass and step r of
     * column c's, so its W x serves both at once and nothing holds the patch's pixels.
     */
    private void pool(byte[] in, int inOff, int first, int patches, int[] s, int sOff) {
        final int h1 = c1.hidden(), l = lanes, rows = layer.rows, cols = layer.cols, channels = layer.channels;
        final int inW = layer.inW, stride = layer.stride, gridW = layer.gridW;
        final short[] toQ12 = layer.toQ12;
        for (int lane = 0; lane < l; lane++) {
            int p = Math.min(first + lane, patches - 1);
            s[sOff + bases + lane] = inOff + (p / gridW * stride * inW + p % gridW * stride) * channels;
        }
        java.util.Arrays.fill(s, sOff + states1, sOff + idx, 0);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int pixel = (r * inW + c) * channels;
                for (int k = 0; k < channels; k++) {
                    for (int lane = 0, at = sOff + pre + k * l; lane < l; lane++) s[at + lane] = toQ12[in[s[sOff + bases + lane] + pixel + k] + 128];
                }
                Q15LanesSimd.project(c1.w(), h1, channels, s, sOff + pre, c1.wShift(), null, 0, s, sOff + wx);
                step(c1, sOff + states1 + r * h1 * l, s, sOff);             // row r, step c
                step(c1, sOff + states1 + (rows + c) * h1 * l, s, sOff);    // column c, step r
            }
        }
        bidirectional(rows, 0, 0, s, sOff);
        bidirectional(cols, rows, 2, s, sOff);
    }

    /**
     * RNN2 forward and backward over the n summaries from summary {@code from}, into RNN2's states
     * {@code state} and {@code state + 1}; each summary's W x is taken at each of its two uses, so no
     * scratch holds them all.
     */
    private void bidirectional(int n, int from, int state, int[] s, int sOff) {
        final int h1 = c1.hidden(), h2 = c2.hidden(), l = lanes;
        for (int t = 0; t < n; t++) {
            for (int q = 0; q < 2; q++) {
                int summary = from + (q == 0 ? t : n - 1 - t);
                Q15LanesSimd.project(c2.w(), h2, h1, s, sOff + states1 + summary * h1 * l, c2.wShift(), null, 0, s, sOff + wx);
                step(c2, sOff + states2 + (state + q) * h2 * l, s, sOff);
            }
        }
    }

    /** One step of one sequence of cell c whose W x is at wx: pre = W x + U h, then the gates update h at {@code h}. */
    private void step(Cell c, int h, int[] s, int sOff) {
        Q15LanesSimd.project(c.u(), c.hidden(), c.hidden(), s, h, c.uShift(), s, sOff + wx, s, sOff + pre);
        Q15LanesSimd.gates(s, sOff + pre, c.bg(), c.bh(), c.hidden(), 1, sigmoid, c.zeta(), c.nu(), s, h, s, sOff + idx);
    }
}
