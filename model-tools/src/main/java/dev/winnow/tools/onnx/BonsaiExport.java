package dev.winnow.tools.onnx;

/**
 * Bonsai's hard root-to-leaf path in standard ONNX ops: the projection x̂ = Z·[(x − μ)/σ, 1] / D̂,
 * every node's term (W_n x̂) ⊙ tanh(σ V_n x̂), and a 0/1 weight per node (the product of the branch
 * tests θ_p·x̂ > 0 on the way to it), so the score is that weight vector times the node terms.
 * ONNX Runtime computes all nodes' terms where Winnow computes the depth + 1 on the path: the
 * export has no data-dependent control flow.
 */
final class BonsaiExport {
    /** Bonsai's parameters as the graph node stores them (z dense [D̂][D+1], w and v [nodes·L][D̂], theta [internal][D̂]). */
    record Params(int features, int projection, int classes, int depth, float sigma, float[] mean, float[] std,
                  float[] z, float[] w, float[] v, float[] theta) {}

    private final OnnxModel onnx;

    BonsaiExport(OnnxModel onnx) {
        this.onnx = onnx;
    }

    /** x [1, D] → scores [1, L] written to {@code out}. */
    void export(String base, Params p, String x, String out) {
        int d = p.features, dim = d + 1, proj = p.projection, l = p.classes, internal = (1 << p.depth) - 1, nodes = 2 * internal + 1;
        float[] mean = java.util.Arrays.copyOf(p.mean, d), inv = new float[d];
        for (int i = 0; i < d; i++) inv[i] = 1f / (Math.abs(p.std[i]) < 1e-6f ? 1f : p.std[i]);
        float biasFeature = (1f - p.mean[d]) / (Math.abs(p.std[d]) < 1e-6f ? 1f : p.std[d]);
        String norm = op("Mul", base, op("Sub", base, x, floats(base + ".mean", new long[] {1, d}, mean)), floats(base + ".inv_std", new long[] {1, d}, inv));
        String full = onnx.fresh(base + ".features");
        onnx.node("Concat", full, new String[] {norm, floats(base + ".bias_feature", new long[] {1, 1}, new float[] {biasFeature})}, new String[] {full}, "axis", 1L);
        String xh = op("Mul", base, op("MatMul", base, full, floats(base + ".Z", new long[] {dim, proj}, RnnExport.transpose(p.z, proj, dim))),
                onnx.scalar(base + ".inv_projection", 1f / proj));
        String wx = reshape(base, op("MatMul", base, xh, floats(base + ".W", new long[] {proj, (long) nodes * l}, RnnExport.transpose(p.w, nodes * l, proj))), nodes, l);
        String vx = reshape(base, op("MatMul", base, xh, floats(base + ".V", new long[] {proj, (long) nodes * l}, RnnExport.transpose(p.v, nodes * l, proj))), nodes, l);
        String terms = op("Mul", base, wx, op("Tanh", base, op("Mul", base, vx, onnx.scalar(base + ".sigma", p.sigma))));
        if (p.depth == 0) {
            onnx.node("Identity", onnx.fresh(base + ".out"), new String[] {reshape(base, terms, 1, l)}, new String[] {out});
            return;
        }
        onnx.node("MatMul", base, new String[] {pathWeights(base, p, xh, internal, nodes), terms}, new String[] {out});
    }

    /** [1, nodes]: 1 on the nodes of x̂'s path, 0 elsewhere. */
    private String pathWeights(String base, Params p, String xh, int internal, int nodes) {
        String t = op("MatMul", base, xh, floats(base + ".theta", new long[] {p.projection, internal}, RnnExport.transpose(p.theta, internal, p.projection)));
        String left = onnx.fresh(base + ".left");
        onnx.node("Cast", left, new String[] {op("Greater", base, t, onnx.scalar(base + ".zero", 0f))}, new String[] {left}, "to", (long) OnnxModel.FLOAT);
        String right = op("Sub", base, onnx.scalar(base + ".one", 1f), left);
        String choices = onnx.fresh(base + ".choices");
        onnx.node("Concat", choices, new String[] {left, right, floats(base + ".always", new long[] {1, 1}, new float[] {1f})}, new String[] {choices}, "axis", 1L);
        long[] idx = new long[nodes * p.depth];
        for (int n = 0; n < nodes; n++) {
            int k = 0;
            for (int c = n; c > 0; c = (c - 1) / 2, k++) {
                int parent = (c - 1) / 2;
                idx[n * p.depth + k] = c == 2 * parent + 1 ? parent : internal + parent;  // the left test, or the right one
            }
            for (; k < p.depth; k++) idx[n * p.depth + k] = 2L * internal;              // padding: the constant 1
        }
        String ancestors = onnx.fresh(base + ".ancestors");
        onnx.int64s(ancestors, new long[] {nodes, p.depth}, idx);
        String picked = onnx.fresh(base + ".picked");
        onnx.node("Gather", picked, new String[] {reshape(base, choices, 2L * internal + 1), ancestors}, new String[] {picked}, "axis", 0L);
        String prod = onnx.fresh(base + ".on_path");
        onnx.node("ReduceProd", prod, new String[] {picked}, new String[] {prod}, "axes", new long[] {1}, "keepdims", 0L);
        return reshape(base, prod, 1, nodes);
    }

    private String op(String type, String base, String... in) {
        String out = onnx.fresh(base + "." + type.toLowerCase());
        onnx.node(type, out, in, new String[] {out});
        return out;
    }

    private String reshape(String base, String x, long... shape) {
        String s = onnx.fresh(base + ".shape");
        onnx.int64s(s, new long[] {shape.length}, shape);
        return op("Reshape", base, x, s);
    }

    private String floats(String name, long[] dims, float[] v) {
        String n = onnx.fresh(name);
        onnx.floats(n, dims, v);
        return n;
    }
}
