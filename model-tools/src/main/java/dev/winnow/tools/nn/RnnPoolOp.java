package dev.winnow.tools.nn;

/**
 * The RNNPool layer as a differentiable op (Saha et al. 2020, Alg. 1), matching the runtime's
 * {@code rnnpool} node without output padding: patches of {@code patch}² pixels every
 * {@code stride} pixels; RNN1 summarises each row and each column of a patch, RNN2 runs forwards
 * and backwards over the row summaries and over the column summaries; output per patch is
 * [row-fwd, row-bwd, col-fwd, col-bwd] (4·h2 channels).
 */
public final class RnnPoolOp {
    private RnnPoolOp() {}

    public static Tensor apply(Tape t, Tensor x, FastGrnn rnn1, FastGrnn rnn2, int patch, int stride) {
        if (rnn1.input != x.c || rnn2.input != rnn1.hidden) throw new IllegalArgumentException("RNNPool cells do not fit input " + x);
        final int p = patch, h1 = rnn1.hidden, h2 = rnn2.hidden, oc = 4 * h2;
        final int gh = (x.h - p) / stride + 1, gw = (x.w - p) / stride + 1;
        final int seq1 = rnn1.cacheSize(p), seq2 = rnn2.cacheSize(p);
        // per patch: 2p RNN1 sequences (rows, then columns), the two summary arrays, 4 RNN2 sequences
        final int perPatch = 2 * p * seq1 + 2 * p * h1 + 4 * seq2;
        final float[] cache = new float[gh * gw * perPatch];
        Tensor y = new Tensor(gh, gw, oc);
        final int rowStride = x.w * x.c;
        for (int i = 0; i < gh; i++) {
            for (int j = 0; j < gw; j++) {
                int base = (i * stride * x.w + j * stride) * x.c;
                int k = (i * gw + j) * perPatch;
                int sRows = k + 2 * p * seq1, sCols = sRows + p * h1, r2 = sCols + p * h1;
                for (int r = 0; r < p; r++) {
                    rnn1.forward(x.data, base + r * rowStride, x.c, p, cache, k + r * seq1);
                    System.arraycopy(cache, k + r * seq1 + p * h1, cache, sRows + r * h1, h1);
                }
                for (int c = 0; c < p; c++) {
                    rnn1.forward(x.data, base + c * x.c, rowStride, p, cache, k + (p + c) * seq1);
                    System.arraycopy(cache, k + (p + c) * seq1 + p * h1, cache, sCols + c * h1, h1);
                }
                int o = (i * gw + j) * oc;
                rnn2.forward(cache, sRows, h1, p, cache, r2);
                rnn2.forward(cache, sRows + (p - 1) * h1, -h1, p, cache, r2 + seq2);
                rnn2.forward(cache, sCols, h1, p, cache, r2 + 2 * seq2);
                rnn2.forward(cache, sCols + (p - 1) * h1, -h1, p, cache, r2 + 3 * seq2);
                for (int q = 0; q < 4; q++) System.arraycopy(cache, r2 + q * seq2 + p * h2, y.data, o + q * h2, h2);
            }
        }
        t.record(() -> {
            final float[] gy = y.grad(), gx = x.grad();
            final float[] dh = new float[Math.max(h1, h2)], tmp = new float[2 * Math.max(h1, h2)];
            final float[] gS = new float[2 * p * h1];
            for (int i = 0; i < gh; i++) {
                for (int j = 0; j < gw; j++) {
                    int base = (i * stride * x.w + j * stride) * x.c;
                    int k = (i * gw + j) * perPatch;
                    int sRows = k + 2 * p * seq1, sCols = sRows + p * h1, r2 = sCols + p * h1;
                    int o = (i * gw + j) * oc;
                    java.util.Arrays.fill(gS, 0f);
                    // gS holds the gradients of the row summaries [0, p·h1) and column summaries [p·h1, 2p·h1)
                    back2(rnn2, cache, sRows, h1, p, r2, gy, o, gS, 0, t.worker, dh, tmp);
                    back2(rnn2, cache, sRows + (p - 1) * h1, -h1, p, r2 + seq2, gy, o + h2, gS, (p - 1) * h1, t.worker, dh, tmp);
                    back2(rnn2, cache, sCols, h1, p, r2 + 2 * seq2, gy, o + 2 * h2, gS, p * h1, t.worker, dh, tmp);
                    back2(rnn2, cache, sCols + (p - 1) * h1, -h1, p, r2 + 3 * seq2, gy, o + 3 * h2, gS, p * h1 + (p - 1) * h1, t.worker, dh, tmp);
                    for (int r = 0; r < p; r++) {
                        System.arraycopy(gS, r * h1, dh, 0, h1);
                        rnn1.backward(x.data, base + r * rowStride, x.c, p, cache, k + r * seq1, dh, gx, base + r * rowStride, t.worker, tmp);
                    }
                    for (int c = 0; c < p; c++) {
                        System.arraycopy(gS, (p + c) * h1, dh, 0, h1);
                        rnn1.backward(x.data, base + c * x.c, rowStride, p, cache, k + (p + c) * seq1, dh, gx, base + c * x.c, t.worker, tmp);
                    }
                }
            }
        });
        return y;
    }

    /** RNN2 backward for one pass: inputs are summaries in the cache; their gradients go to gS at gOff. */
    private static void back2(FastGrnn rnn2, float[] cache, int off, int stride, int p, int k, float[] gy, int o,
                              float[] gS, int gOff, int worker, float[] dh, float[] tmp) {
        System.arraycopy(gy, o, dh, 0, rnn2.hidden);
        rnn2.backward(cache, off, stride, p, cache, k, dh, gS, gOff, worker, tmp);
    }
}
