package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.KernelDispatch;
import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.Q15;
import dev.winnow.runtime.quant.QuantParams;

/**
 * RNNPool layer on int8 maps: the input is int8 with affine parameters, the output int8 with its own.
 * Inside, both RNNs run in 16-bit fixed point ({@link Q15FastGrnnCell}, smooth gates): each patch is
 * converted to Q12 through a 256-entry table (no multiply per pixel), RNN1's Q14 states feed RNN2,
 * and RNN2's Q14 states are requantized to the output with TFLite's fixed-point multiplier.
 *
 * <p>Two ways to run it, the same bits, one chosen at construction by {@link KernelDispatch}
 * (self-checked against the patch-by-patch loops, the reference): {@code int8-rnnpool-lanes}, a group
 * of patches across the Vector API's int lanes ({@link Int8RnnPoolLanes}; on JDK 17 under
 * {@link VectorGuard}, and one patch at a time once it trips); {@code int8-rnnpool-patches}, one patch
 * at a time with its sequences side by side.
 */
public final class Int8RnnPoolLayer {
    private static final int IN_FRAC = 12;
    private final Q15FastGrnnCell rnn1, rnn2;
    // the geometry and the input table, read by Int8RnnPoolLanes too
    final int rows, cols, channels, inW, stride, gridH, gridW;
    private final int inH;
    private final boolean padOutput;
    final short[] toQ12 = new short[256];
    private final int outMul, outShift, outZp;
    private final Int8RnnPoolLanes lanes;   // null where the cells do not fit the lanes, or without the module
    private final Path path;
    private final KernelDispatch.Choice choice;

    enum Path {
        PATCHES("int8-rnnpool-patches"), LANES("int8-rnnpool-lanes");

        final String kernel;

        Path(String kernel) {
            this.kernel = kernel;
        }
    }

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
        Int8RnnPoolLanes.Cell l1 = rnn1.laneCell(), l2 = rnn2.laneCell();
        this.lanes = l1 != null && l2 != null && VectorSupport.modulepresent()
                ? new Int8RnnPoolLanes(this, l1, l2)
                : null;
        KernelDispatch.Chosen<Variant> chosen = dispatch(KernelDispatch.mode());
        this.path = chosen.variant().path;
        this.choice = chosen.choice();
    }

    /**
     * By shape: the lanes where the recurrent cells run on vectors ({@link VectorSupport#guardedVectorCells()}),
     * else the patches; timed: the faster of the two.
     */
    private KernelDispatch.Chosen<Variant> dispatch(KernelDispatch.Mode mode) {
        Variant reference = new Variant(Path.PATCHES);
        java.util.List<Variant> fitting = new java.util.ArrayList<>();
        if (lanes != null && (VectorSupport.guardedVectorCells() || mode == KernelDispatch.Mode.TIMED)) fitting.add(new Variant(Path.LANES));
        fitting.add(reference);
        byte[] input = KernelDispatch.pseudoRandomBytes(inH * inW * channels, channels * 31L + rows);
        int outputs = outH() * outW() * outC();
        return KernelDispatch.choose("rnnpool", mode, fitting, reference, input, () -> new byte[outputs], outH(), outW() * outC(),
                KernelDispatch::bitsDiffer);
    }

    /** One way to run the layer, as {@link KernelDispatch} sees it. */
    private final class Variant implements KernelDispatch.Variant<byte[]> {
        final Path path;

        Variant(Path path) {
            this.path = path;
        }

        @Override public String name() { return path.kernel; }

        @Override public void runOnce(byte[] in, byte[] out) {
            run(path, in, 0, out, 0, new short[scratchShorts()], 0, new int[scratchInts()], 0);
        }
    }

    /** The kernel this layer runs and how it was chosen, as {@code winnow inspect --bench} shows it. */
    public String kernel() {
        return choice.toString();
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
     * Ints of scratch: the more of the two paths' needs, since a tripped guard can move the lanes to the
     * patch loops in the same arena. The lanes: a group of patches' states ({@link Int8RnnPoolLanes}). The
     * patches: the cells' own; RNN1's input projection of every pixel of a patch; the pre-activations of a
     * batched step; RNN2's input projection of every row and column summary.
     */
    public int scratchInts() {
        return Math.max(lanes == null ? 0 : lanes.scratchInts(), patchInts());
    }

    private int patchInts() {
        return cellInts() + rows * cols * rnn1.hidden() + Math.max((rows + cols) * rnn1.hidden(), 4 * rnn2.hidden()) + (rows + cols) * rnn2.hidden();
    }

    /** Ints of scratch the cells share, at the start of the int scratch. */
    private int cellInts() {
        return Math.max(rnn1.scratchSize(), rnn2.scratchSize());
    }

    /**
     * The layer over the whole map, on the path chosen at construction ({@link #kernel()}). {@code s}
     * and {@code is} hold {@link #scratchShorts()} shorts and {@link #scratchInts()} ints; nothing is allocated.
     */
    public void run(byte[] in, int inOff, byte[] out, int outOff, short[] s, int sOff, int[] is, int isOff) {
        run(path, in, inOff, out, outOff, s, sOff, is, isOff);
    }

    void run(Path p, byte[] in, int inOff, byte[] out, int outOff, short[] s, int sOff, int[] is, int isOff) {
        if (p == Path.LANES && VectorGuard.allows(true)) {
            lanes.run(in, inOff, out, outOff, is, isOff);
        } else {
            runPatches(in, inOff, out, outOff, s, sOff, is, isOff);
        }
        if (padOutput) RnnPoolLayer.padLastRowAndColumn(out, outOff, gridH, gridW, outC());
    }

    /** A Q14 state of RNN2 as the int8 output: TFLite's fixed-point multiply, the zero point, the clamp. */
    byte requantize(int state) {
        return (byte) FixedPoint.clamp(FixedPoint.multiplyByQuantizedMultiplier(state, outMul, outShift) + outZp, -128, 127);
    }

    /**
     * One patch at a time, the reference the lanes must equal. Per patch the recurrences run side by
     * side ({@link Q15FastGrnnCell#stepBatch}): RNN1's row passes and column passes (independent, each
     * over its own pixels) step together, then RNN2's forward and backward passes over the row summaries
     * and over the column summaries; so the gates of eight (then four) short sequences fill the vector
     * lanes. Bit for bit the sequential passes.
     */
    private void runPatches(byte[] in, int inOff, byte[] out, int outOff, short[] s, int sOff, int[] is, int isOff) {
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
                for (int k = 0; k < oc; k++) out[o + k] = requantize(s[res + k]);
            }
        }
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
