package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mean} over the axes in attribute {@code axes} of a float32 tensor (rank ≤ 4), with
 * {@code keep_dims} 0 or 1. Sums run in double, then divide: at most one rounding per output.
 * The reduced axes are folded so the loop is [outer, reduced, inner] when they are contiguous,
 * which squeeze-excite's mean over H and W is.
 */
final class MeanOp extends Op {
    private final int[] shape;
    private final boolean[] reduced;
    private final int n, count;
    private final int outer, middle, inner;
    private final boolean contiguous;

    private MeanOp(NodeContext node, TensorSpec in, TensorSpec out, boolean[] reduced) {
        super(node.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.shape = in.shape();
        this.reduced = reduced;
        this.n = in.elementCount();
        int first = -1, last = -1, c = 1;
        for (int k = 0; k < shape.length; k++) if (reduced[k]) { if (first < 0) first = k; last = k; c *= shape[k]; }
        this.count = c;
        boolean contig = true;
        for (int k = first; k <= last; k++) contig &= reduced[k];
        this.contiguous = contig;
        int o = 1, i = 1;
        for (int k = 0; k < first; k++) o *= shape[k];
        for (int k = last + 1; k < shape.length; k++) i *= shape[k];
        this.outer = o;
        this.middle = c;
        this.inner = i;
    }

    static Op create(NodeContext node) throws ModelFormatException {
        TensorSpec in = node.floatInput(), out = node.floatOutput();
        if (in.rank() < 1 || in.rank() > 4) throw node.error("input rank must be 1 to 4, is " + in.rank());
        Object axes = node.raw("axes");
        if (!(axes instanceof List) || ((List<?>) axes).isEmpty()) throw node.error("attribute 'axes' must be a non-empty list");
        boolean[] reduced = new boolean[in.rank()];
        for (Object o : (List<?>) axes) {
            if (!(o instanceof Long)) throw node.error("axes must be integers");
            long ax = (Long) o < 0 ? (Long) o + in.rank() : (Long) o;
            if (ax < 0 || ax >= in.rank()) throw node.error("axis " + o + " is outside rank " + in.rank());
            if (reduced[(int) ax]) throw node.error("axis " + o + " listed twice");
            reduced[(int) ax] = true;
        }
        boolean keep = node.integer("keep_dims", 0, 0, 1) == 1;
        List<Integer> shape = new ArrayList<>();
        for (int k = 0; k < in.rank(); k++) {
            if (!reduced[k]) shape.add(in.dim(k));
            else if (keep) shape.add(1);
        }
        if (shape.isEmpty()) shape.add(1);
        node.expectShape(out, shape.stream().mapToInt(Integer::intValue).toArray());
        return new MeanOp(node, in, out, reduced);
    }

    @Override public String type() { return "mean"; }
    @Override public long macs() { return n; }
    @Override public long parameterCount() { return 0; }

    @Override
    public void invoke(Arena a) {
        float[] f = a.f;
        if (contiguous) {
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double s = 0;
                    int base = in[0] + o * middle * inner + i;
                    for (int m = 0; m < middle; m++) s += f[base + m * inner];
                    f[out[0] + o * inner + i] = (float) (s / count);
                }
            }
            return;
        }
        general(f);
    }

    /** Non-contiguous axes (e.g. 0 and 2): accumulate in the output, in float, element by element. */
    private void general(float[] f) {
        int rank = shape.length;
        int outN = n / count;
        for (int k = 0; k < outN; k++) f[out[0] + k] = 0f;
        int c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int i = 0; i < n; i++) {
            int o = 0;
            for (int k = 0; k < rank; k++) {
                int c = k == 0 ? c0 : k == 1 ? c1 : k == 2 ? c2 : c3;
                if (!reduced[k]) o = o * shape[k] + c;
            }
            f[out[0] + o] += f[in[0] + i] / count;
            // advance the multi-index
            for (int k = rank - 1; k >= 0; k--) {
                int c = (k == 0 ? ++c0 : k == 1 ? ++c1 : k == 2 ? ++c2 : ++c3);
                if (c < shape[k]) break;
                if (k == 0) c0 = 0; else if (k == 1) c1 = 0; else if (k == 2) c2 = 0; else c3 = 0;
            }
        }
    }
}
