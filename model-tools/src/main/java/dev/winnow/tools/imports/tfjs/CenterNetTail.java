package dev.winnow.tools.imports.tfjs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises the decode tail a CenterNet export ends with and replaces it by one runtime op,
 * {@code centernet_decode}. The tail keeps the heatmap's local maxima
 * ({@code heat * (heat == MaxPool(heat))}), takes the top k of the flattened result
 * ({@code TopKV2}), splits each index into row, column and class ({@code FloorDiv}, {@code FloorMod}),
 * gathers the four box offsets at that cell ({@code GatherV2}, {@code StridedSlice}) and writes
 * {@code [x*s - l, y*s - t, x*s + r, y*s + b, score, class]} ({@code ConcatV2}).
 *
 * <p>Only the structure is matched here (op types, which coordinate feeds which column, which
 * offset channel is subtracted or added, the constants); that the op then gives the same detections
 * as TensorFlow.js is what the golden tests check. A tail that differs in any way is not replaced,
 * and its ops are reported as unsupported.
 */
final class CenterNetTail {
    /** Op types that may occur inside the tail. */
    static final Set<String> TAIL_OPS = Set.of("MaxPool", "Equal", "Cast", "Mul", "Reshape", "TopKV2", "ExpandDims", "FloorDiv", "FloorMod",
            "Add", "AddV2", "GatherV2", "StridedSlice", "Sub", "ConcatV2", "Identity");

    final Set<String> nodes;
    final String heat;
    final String wh;
    final String sink;
    final int k;
    final int pool;
    final float stride;

    private CenterNetTail(Set<String> nodes, String heat, String wh, String sink, int k, int pool, float stride) {
        this.nodes = nodes;
        this.heat = heat;
        this.wh = wh;
        this.sink = sink;
        this.k = k;
        this.pool = pool;
        this.stride = stride;
    }

    /** Why the last candidate did not match, for the error message when nothing matched. */
    static final class Miss {
        String reason;
    }

    /** The tail, or null when the graph has none (reason in {@code miss}). */
    static CenterNetTail find(Map<String, TfNode> nodes, Map<String, List<TfNode>> consumers, Map<String, ConstTensor> consts, Miss miss)
            throws TfjsFormatException {
        for (TfNode p : nodes.values()) {
            if (!p.op.equals("MaxPool")) continue;
            String heatRef = p.inputs.get(0);
            TfNode eq = null;
            for (TfNode c : consumers.getOrDefault(p.name, List.of())) {
                if (c.op.equals("Equal") && c.inputs.contains(heatRef) && c.inputs.contains(p.name)) eq = c;
            }
            if (eq == null) continue;
            CenterNetTail t = match(p, heatRef, nodes, consumers, consts, miss);
            if (t != null) return t;
        }
        return null;
    }

    private static CenterNetTail match(TfNode pool, String heatRef, Map<String, TfNode> nodes, Map<String, List<TfNode>> consumers,
                                       Map<String, ConstTensor> consts, Miss miss) throws TfjsFormatException {
        Set<String> tail = downstream(pool, consumers);
        String whRef = null;
        for (String name : List.copyOf(tail)) {
            for (String ref : nodes.get(name).inputs) {
                String prod = TfNode.producer(ref);
                if (tail.contains(prod) || consts.containsKey(prod) || ref.equals(heatRef)) continue;
                TfNode x = nodes.get(prod);
                if (x != null && x.op.equals("Reshape") && !consts.containsKey(TfNode.producer(x.inputs.get(0)))
                        && tail.containsAll(consumers.getOrDefault(x.name, List.of()).stream().map(c -> c.name).toList()) && whRef == null) {
                    tail.add(x.name);
                    whRef = x.inputs.get(0);
                    continue;
                }
                return miss(miss, "node '" + name + "' reads '" + ref + "', which is neither the heatmap, the box map nor a constant");
            }
        }
        if (whRef == null) return miss(miss, "no box-size map is gathered");
        String sink = null;
        for (String name : tail) {
            TfNode n = nodes.get(name);
            if (!TAIL_OPS.contains(n.op)) return miss(miss, "node '" + name + "' (" + n.op + ") is not a decode op");
            List<TfNode> cs = consumers.getOrDefault(name, List.of());
            if (cs.isEmpty()) {
                if (sink != null) return miss(miss, "two results ('" + sink + "' and '" + name + "')");
                sink = name;
            }
        }
        if (sink == null) return miss(miss, "no result node");
        // pooling: a p x p window, stride 1, SAME padding
        long[] ksize = pool.ints("ksize"), strides = pool.ints("strides");
        if (ksize == null || ksize.length != 4 || ksize[1] != ksize[2] || ksize[1] % 2 == 0 || strides == null || strides[1] != 1 || strides[2] != 1
                || !pool.string("padding", "").equals("SAME")) {
            return miss(miss, "the peak MaxPool is not an odd square window with stride 1 and SAME padding");
        }
        TfNode topk = null;
        for (String name : tail) if (nodes.get(name).op.equals("TopKV2")) {
            if (topk != null) return miss(miss, "two TopKV2 nodes");
            topk = nodes.get(name);
        }
        if (topk == null || !topk.bool("sorted", true)) return miss(miss, "no sorted TopKV2");
        ConstTensor kc = consts.get(TfNode.producer(topk.inputs.get(1)));
        if (kc == null) return miss(miss, "TopKV2's k is not a constant");
        int k = (int) kc.scalar();
        if (k < 1) return miss(miss, "TopKV2's k is " + k);
        // the scale from heat cells to input pixels: every Mul of a cast coordinate by a constant
        Float stride = null;
        for (String name : tail) {
            TfNode n = nodes.get(name);
            if (!n.op.equals("Mul")) continue;
            TfNode a = nodes.get(TfNode.producer(n.inputs.get(0))), b = nodes.get(TfNode.producer(n.inputs.get(1)));
            ConstTensor c = consts.get(b == null ? "" : b.name);
            if (a != null && a.op.equals("Cast") && c != null && c.isFloat()) {
                float s = c.scalar();
                if (stride != null && stride != s) return miss(miss, "coordinates are scaled by " + stride + " and by " + s);
                stride = s;
            }
        }
        if (stride == null || !(stride > 0)) return miss(miss, "no positive coordinate scale");
        // the result: [x1, y1, x2, y2, score, class] = [x*s - w0, y*s - w1, x*s + w2, y*s + w3, value, class]
        TfNode concat = nodes.get(sink);
        while (concat.op.equals("Identity")) concat = nodes.get(TfNode.producer(concat.inputs.get(0)));
        if (!concat.op.equals("ConcatV2") || concat.inputs.size() != 7) return miss(miss, "the result is not a concatenation of six columns");
        String columns = columnMismatch(concat, topk, nodes, consts);
        if (columns != null) return miss(miss, columns);
        return new CenterNetTail(tail, heatRef, whRef, sink, k, (int) ksize[1], stride);
    }

    /** The pooling node and every node that reads from it, directly or not: the candidate decode tail. */
    private static Set<String> downstream(TfNode pool, Map<String, List<TfNode>> consumers) {
        Set<String> tail = new LinkedHashSet<>();
        Deque<TfNode> todo = new ArrayDeque<>();
        todo.add(pool);
        while (!todo.isEmpty()) {
            TfNode n = todo.poll();
            if (!tail.add(n.name)) continue;
            todo.addAll(consumers.getOrDefault(n.name, List.of()));
        }
        return tail;
    }

    /**
     * Why the six concatenated columns are not [x·s − w0, y·s − w1, x·s + w2, y·s + w3, top-k value,
     * class], or null when they are.
     */
    private static String columnMismatch(TfNode concat, TfNode topk, Map<String, TfNode> nodes, Map<String, ConstTensor> consts) throws TfjsFormatException {
        String[] ops = {"Sub", "Sub", "Add", "Add", "ExpandDims", "Cast"};
        char[] axis = {'x', 'y', 'x', 'y'};
        for (int col = 0; col < 6; col++) {
            TfNode c = nodes.get(TfNode.producer(concat.inputs.get(col)));
            String op = c.op.equals("AddV2") ? "Add" : c.op;
            if (!op.equals(ops[col])) return "column " + col + " is " + c.op + ", expected " + ops[col];
            if (col < 4) {
                char got = coordinate(nodes.get(TfNode.producer(c.inputs.get(0))), nodes);
                if (got != axis[col]) return "column " + col + " does not start from the " + axis[col] + " coordinate";
                TfNode slice = nodes.get(TfNode.producer(c.inputs.get(1)));
                if (slice == null || !slice.op.equals("StridedSlice")) return "column " + col + " does not take a slice of the box map";
                ConstTensor begin = consts.get(TfNode.producer(slice.inputs.get(1)));
                if (begin == null || begin.size() == 0 || begin.ints()[begin.size() - 1] != col) return "column " + col + " slices another box channel";
            } else if (col == 4) {
                TfNode v = nodes.get(TfNode.producer(c.inputs.get(0)));
                if (v != topk || TfNode.outputIndex(c.inputs.get(0)) != 0) return "column 4 is not the top-k values";
            } else if (coordinate(c, nodes) != 'c') {
                return "column 5 is not the class index";
            }
        }
        return null;
    }

    /** Follows Mul, Cast and ExpandDims down to the index arithmetic: x (FloorMod of a FloorDiv), y (FloorDiv of a FloorDiv), class (FloorMod of the index). */
    private static char coordinate(TfNode n, Map<String, TfNode> nodes) {
        while (n != null && (n.op.equals("Mul") || n.op.equals("Cast") || n.op.equals("ExpandDims"))) {
            TfNode next = nodes.get(TfNode.producer(n.inputs.get(0)));
            if (n.op.equals("Mul") && (next == null || next.op.equals("Const"))) next = nodes.get(TfNode.producer(n.inputs.get(1)));
            n = next;
        }
        if (n == null || n.inputs.isEmpty()) return '?';
        TfNode src = nodes.get(TfNode.producer(n.inputs.get(0)));
        boolean fromIndex = src != null && src.op.equals("TopKV2");
        if (n.op.equals("FloorMod")) return fromIndex ? 'c' : 'x';
        if (n.op.equals("FloorDiv") && !fromIndex) return 'y';
        return '?';
    }

    private static CenterNetTail miss(Miss miss, String reason) {
        miss.reason = reason;
        return null;
    }
}
