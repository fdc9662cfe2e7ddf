package dev.winnow.tools.onnx;

/**
 * FastGRNN recurrences unrolled into standard ONNX ops, and the RNNPool layer built from them.
 * A cell's step is h ← z ⊙ h + (ζ(1 − z) + ν) ⊙ tanh(pre + bh) with z = sigmoid(pre + bg) and
 * pre = W x + U h (W and U full or low rank), from a zero state; every sequence of a batch advances
 * together, so one step is a handful of matrix products over all sequences at once.
 */
final class RnnExport {
    /** A FastGRNN cell's weights as Winnow stores them ([out][in]; low-rank factors when w2/u2 are set; ζ, ν after the sigmoid). */
    record Cell(int input, int hidden, float[] w1, float[] w2, int wRank, float[] u1, float[] u2, int uRank, float[] bg, float[] bh,
                float zeta, float nu) {}

    private final OnnxModel onnx;

    RnnExport(OnnxModel onnx) {
        this.onnx = onnx;
    }

    /** The final state [batch, hidden] of the cell run over {@code seq} [steps, batch, input]. */
    String run(String base, Cell c, String seq, int steps) {
        String xw = project(base + ".xW", seq, c.w1, c.w2, c.wRank, c.input, c.hidden);
        String bg = weights(base + ".bg", new long[] {c.hidden}, c.bg), bh = weights(base + ".bh", new long[] {c.hidden}, c.bh);
        String zeta = onnx.scalar(base + ".zeta", c.zeta), zetaNu = onnx.scalar(base + ".zeta_nu", c.zeta + c.nu);
        String h = null;
        for (int t = 0; t < steps; t++) {
            String idx = onnx.fresh(base + ".t");
            onnx.int64s(idx, new long[0], new long[] {t});
            String pre = node("Gather", base, new String[] {xw, idx}, "axis", 0L);
            if (h != null) pre = node("Add", base, new String[] {pre, project(base + ".hU", h, c.u1, c.u2, c.uRank, c.hidden, c.hidden)});
            String z = node("Sigmoid", base, new String[] {node("Add", base, new String[] {pre, bg})});
            String cand = node("Tanh", base, new String[] {node("Add", base, new String[] {pre, bh})});
            String gate = node("Sub", base, new String[] {zetaNu, node("Mul", base, new String[] {zeta, z})});
            String update = node("Mul", base, new String[] {gate, cand});
            h = h == null ? update : node("Add", base, new String[] {node("Mul", base, new String[] {z, h}), update});
        }
        return h;
    }

    /** v · Mᵀ for M [rows][cols] given whole (m2 null) or as M2 [rows][rank] · M1 [rank][cols]. */
    private String project(String base, String v, float[] m1, float[] m2, int rank, int cols, int rows) {
        if (m2 == null) return node("MatMul", base, new String[] {v, weights(base + ".T", new long[] {cols, rows}, transpose(m1, rows, cols))});
        String low = node("MatMul", base, new String[] {v, weights(base + ".1T", new long[] {cols, rank}, transpose(m1, rank, cols))});
        return node("MatMul", base, new String[] {low, weights(base + ".2T", new long[] {rank, rows}, transpose(m2, rows, rank))});
    }

    /**
     * RNNPool over x (NCHW [1, C, H, W]): RNN1 over every row and column of every k x k patch (stride s),
     * RNN2 forwards and backwards over the row summaries and the column summaries; the output is NCHW
     * [1, 4·h2, gH, gW] in Winnow's channel order (row-fwd, row-bwd, col-fwd, col-bwd), padded by one
     * replicated row and column when {@code padOutput}.
     */
    String rnnPool(String base, String x, String out, int h, int w, int k, int s, boolean padOutput, Cell rnn1, Cell rnn2) {
        int gH = (h - k) / s + 1, gW = (w - k) / s + 1, p = gH * gW, c = rnn1.input, h1 = rnn1.hidden, h2 = rnn2.hidden;
        String pixels = reshape(base, node("Transpose", base, new String[] {x}, "perm", new long[] {0, 2, 3, 1}), h * w, c);
        long[] idx = new long[k * 2 * p * k];
        for (int t = 0; t < k; t++) {
            for (int patch = 0; patch < p; patch++) {
                int y0 = (patch / gW) * s, x0 = (patch % gW) * s;
                for (int r = 0; r < k; r++) {
                    idx[(t * 2 * p * k) + patch * k + r] = (long) (y0 + r) * w + x0 + t;            // rows: step t along the row
                    idx[(t * 2 * p * k) + p * k + patch * k + r] = (long) (y0 + t) * w + x0 + r;     // columns: step t down the column
                }
            }
        }
        String indices = onnx.fresh(base + ".patch_index");
        onnx.int64s(indices, new long[] {k, 2L * p * k}, idx);
        String h1s = run(base + ".rnn1", rnn1, node("Gather", base, new String[] {pixels, indices}, "axis", 0L), k);
        // [2(rows, cols), P, k, h1] → sequences over k, and the same reversed for the backward runs
        String fwd = node("Transpose", base, new String[] {reshape(base, h1s, 2, p, k, h1)}, "perm", new long[] {0, 2, 1, 3});
        String rev = onnx.fresh(base + ".reverse");
        long[] back = new long[k];
        for (int t = 0; t < k; t++) back[t] = k - 1 - t;
        onnx.int64s(rev, new long[] {k}, back);
        String bwd = node("Gather", base, new String[] {fwd, rev}, "axis", 1L);
        String both = node("Concat", base, new String[] {reshape(base, fwd, 2, 1, k, p, h1), reshape(base, bwd, 2, 1, k, p, h1)}, "axis", 1L);
        String seq2 = reshape(base, node("Transpose", base, new String[] {both}, "perm", new long[] {2, 0, 1, 3, 4}), k, 4 * p, h1);
        String h2s = run(base + ".rnn2", rnn2, seq2, k);
        String perPatch = node("Transpose", base, new String[] {reshape(base, h2s, 4, p, h2)}, "perm", new long[] {1, 0, 2});
        String grid = reshape(base, perPatch, 1, gH, gW, 4 * h2);
        String nchw = padOutput ? onnx.fresh(base + ".grid") : out;
        onnx.node("Transpose", onnx.fresh(base + ".to_nchw"), new String[] {grid}, new String[] {nchw}, "perm", new long[] {0, 3, 1, 2});
        if (padOutput) {
            String pads = onnx.fresh(base + ".pads");
            onnx.int64s(pads, new long[] {8}, new long[] {0, 0, 0, 0, 0, 0, 1, 1});
            onnx.node("Pad", onnx.fresh(base + ".pad"), new String[] {nchw, pads}, new String[] {out}, "mode", "edge");
        }
        return out;
    }

    String reshape(String base, String x, long... shape) {
        String s = onnx.fresh(base + ".shape");
        onnx.int64s(s, new long[] {shape.length}, shape);
        return node("Reshape", base, new String[] {x, s});
    }

    private String weights(String name, long[] dims, float[] v) {
        String n = onnx.fresh(name);
        onnx.floats(n, dims, v);
        return n;
    }

    private String node(String op, String base, String[] in, Object... attrs) {
        String out = onnx.fresh(base + "." + op.toLowerCase());
        onnx.node(op, out, in, new String[] {out}, attrs);
        return out;
    }

    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }
}
