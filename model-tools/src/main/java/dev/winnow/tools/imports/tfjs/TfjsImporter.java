package dev.winnow.tools.imports.tfjs;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Translates a TensorFlow.js graph model into a Winnow graph artifact.
 *
 * <p>Tensors keep the names of the TF nodes that produce them, so a golden output named after a
 * TF node can be compared with the same tensor here. The batch dimension (which must be 1) is
 * dropped: Winnow's activations are HWC. Constants become weights (float16 constants stay
 * float16); filters are repacked from TF's HWIO to Winnow's OHWI. Three patterns are fused, each
 * only where no intermediate value is needed elsewhere: a Relu or Relu6 into the convolution before
 * it, MobileNetV3's hard swish {@code (x * 1/6) * Relu6(x + 3)} into one {@code hard_swish} op, and
 * its hard sigmoid {@code 1/6 * Relu6(x + 3)} into {@code hard_sigmoid}. A CenterNet decode tail
 * becomes one {@code centernet_decode} op ({@link CenterNetTail}).
 *
 * <p>Nothing is written unless the whole graph translates: every op without a translation is
 * named, with the nodes that use it, in one error.
 */
public final class TfjsImporter {
    /** TF op types translated one for one (the decode tail's ops are handled by {@link CenterNetTail}). */
    static final Set<String> SUPPORTED = Set.of("Placeholder", "Const", "Identity", "StopGradient", "Conv2D", "_FusedConv2D",
            "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative", "Relu", "Relu6", "Sigmoid", "Tanh", "Add", "AddV2", "Sub", "Mul", "BiasAdd",
            "Mean", "ResizeBilinear", "ConcatV2", "MaxPool", "AvgPool");

    /** 1/6 as float16 is 0.16662598: the fused ops take the graph's own constant as their {@code scale}. */
    private static final float SIXTH_TOLERANCE = 1e-3f;

    /** What to import and how to name it. */
    public static final class Options {
        String name = "tfjs-model";
        String description;
        final List<String> outputs = new ArrayList<>();
        final List<String> extraOutputs = new ArrayList<>();
        List<String> labels;
        boolean fuse = true;
        final Map<String, Object> preprocess = new LinkedHashMap<>();
        final Map<String, Object> metadata = new LinkedHashMap<>();

        public Options name(String n) { this.name = n; return this; }
        public Options description(String d) { this.description = d; return this; }
        /** The graph's outputs (TF node names); default: the signature's outputs. */
        public Options outputs(List<String> names) { outputs.clear(); outputs.addAll(names); return this; }
        /** Intermediate tensors to keep as extra outputs, e.g. for golden comparisons. */
        public Options extraOutputs(List<String> names) { extraOutputs.clear(); extraOutputs.addAll(names); return this; }
        public Options labels(List<String> l) { this.labels = List.copyOf(l); return this; }
        /** Whether to fuse activations and the hard swish patterns (on by default; off for debugging). */
        public Options fuse(boolean f) { this.fuse = f; return this; }
        /** An input preprocessing entry (e.g. {@code fit = letterbox}) beside the derived colour space, scale and size. */
        public Options preprocess(String key, Object value) { preprocess.put(key, value); return this; }
        /** A top-level metadata entry (e.g. {@code personClass}, {@code scoreThreshold}). */
        public Options metadata(String key, Object value) { metadata.put(key, value); return this; }
    }

    /** The artifact and what the translation did, for the command's report. */
    public record Result(byte[] artifact, Map<String, Integer> tfOps, Map<String, Integer> winnowOps, int fused, boolean decodeTail) {}

    private final TfjsModel model;
    private final Options opt;
    private final Map<String, TfNode> nodes;
    private final Map<String, List<TfNode>> consumers = new HashMap<>();
    private final GraphBuilder g = new GraphBuilder();
    /** Activation values by TF reference: the Winnow tensor and its HWC shape. */
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Map<String, String> tensorOf = new HashMap<>();
    private final Map<String, String> outName = new HashMap<>();
    /** Fused patterns by the node where they are emitted, and the nodes they swallow. */
    private final Map<String, Fusion> fusions = new HashMap<>();
    private final Set<String> absorbed = new HashSet<>();
    private final Map<String, Integer> winnowOps = new TreeMap<>();
    private final Set<String> weightNames = new HashSet<>();
    /** TF nodes whose value another node's op produces (a fused Relu is the convolution's output). */
    private final Map<String, List<String>> aliases = new HashMap<>();
    private final Map<String, String> emittedBy = new HashMap<>();

    private record Fusion(String kind, String input, String activation, float scale) {}

    private TfjsImporter(TfjsModel model, Options opt) throws TfjsFormatException {
        this.model = model;
        this.opt = opt;
        this.nodes = model.byName();
        for (TfNode n : nodes.values()) {
            for (String ref : n.inputs) {
                String p = TfNode.producer(ref);
                if (!nodes.containsKey(p)) throw n.error("input '" + ref + "' names no node of the graph");
                consumers.computeIfAbsent(p, x -> new ArrayList<>()).add(n);
            }
        }
    }

    public static Result translate(TfjsModel model, Options opt) throws TfjsFormatException {
        return new TfjsImporter(model, opt).run();
    }

    private Result run() throws TfjsFormatException {
        List<String> outputs = new ArrayList<>(opt.outputs.isEmpty() ? model.signatureOutputs : opt.outputs);
        if (outputs.isEmpty()) {
            for (TfNode n : nodes.values()) if (!n.op.equals("Const") && consumers.getOrDefault(n.name, List.of()).isEmpty()) outputs.add(n.name);
        }
        List<String> all = new ArrayList<>(outputs);
        all.addAll(opt.extraOutputs);
        for (String o : all) if (!nodes.containsKey(TfNode.producer(o))) throw new TfjsFormatException("output '" + o + "' names no node of the graph");

        CenterNetTail.Miss miss = new CenterNetTail.Miss();
        CenterNetTail tail = CenterNetTail.find(nodes, consumers, model.weights, miss);
        Set<String> needed = needed(all, tail);
        checkSupported(needed, tail, miss);
        Set<String> keep = new HashSet<>();
        for (String o : all) keep.add(TfNode.producer(o));
        if (opt.fuse) planFusions(needed, keep);
        planNames(needed, keep);

        Map<String, Integer> tfOps = new TreeMap<>();
        for (String name : needed) tfOps.merge(nodes.get(name).op, 1, Integer::sum);
        for (TfNode n : order(needed, tail)) {
            if (tail != null && tail.nodes.contains(n.name)) continue;
            if (absorbed.contains(n.name)) continue;
            emit(n);
        }
        if (tail != null && needed.contains(tail.sink)) emitDecode(tail);
        for (String o : all) {
            String t = tensorOf.get(o);
            if (t == null) {
                String by = absorbedInto(TfNode.producer(o));
                throw new TfjsFormatException("output '" + o + "' is not a tensor of the imported graph" + (by == null ? "" : " (it was fused into '" + by + "')"));
            }
        }
        for (String o : outputs) g.output(tensorOf.get(o));
        for (String o : opt.extraOutputs) if (!outputs.contains(o)) g.output(tensorOf.get(o));
        byte[] bytes = g.toBytes(metadata());
        return new Result(bytes, tfOps, winnowOps, absorbed.size(), tail != null);
    }

    private String absorbedInto(String node) {
        if (!absorbed.contains(node)) return null;
        if (emittedBy.containsKey(node)) return emittedBy.get(node);
        for (String at : fusions.keySet()) if (isPartOf(node, at)) return at;
        return null;
    }

    private boolean isPartOf(String node, String fusedAt) {
        Deque<String> todo = new ArrayDeque<>(List.of(fusedAt));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String x = todo.poll();
            if (!seen.add(x)) continue;
            if (x.equals(node)) return true;
            for (String ref : nodes.get(x).inputs) if (absorbed.contains(TfNode.producer(ref))) todo.add(TfNode.producer(ref));
        }
        return false;
    }

    // ---------------------------------------------------------------- planning

    /** Nodes the outputs depend on; the decode tail counts as one node reading the heatmap and the box map. */
    private Set<String> needed(List<String> outputs, CenterNetTail tail) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String o : outputs) todo.add(TfNode.producer(o));
        while (!todo.isEmpty()) {
            String x = todo.poll();
            if (!seen.add(x)) continue;
            if (tail != null && x.equals(tail.sink)) {
                seen.addAll(tail.nodes);
                todo.add(TfNode.producer(tail.heat));
                todo.add(TfNode.producer(tail.wh));
                continue;
            }
            for (String ref : nodes.get(x).inputs) todo.add(TfNode.producer(ref));
        }
        Set<String> ordered = new java.util.LinkedHashSet<>();
        for (TfNode n : nodes.values()) if (seen.contains(n.name)) ordered.add(n.name);
        return ordered;
    }

    private void checkSupported(Set<String> needed, CenterNetTail tail, CenterNetTail.Miss miss) throws TfjsFormatException {
        Map<String, Set<String>> bad = new TreeMap<>();
        for (String name : needed) {
            TfNode n = nodes.get(name);
            if (tail != null && tail.nodes.contains(name)) continue;
            if (!SUPPORTED.contains(n.op)) bad.computeIfAbsent(n.op, x -> new TreeSet<>()).add(name);
        }
        if (bad.isEmpty()) return;
        StringBuilder sb = new StringBuilder("unsupported ops (nothing written): ");
        int k = 0;
        for (Map.Entry<String, Set<String>> e : bad.entrySet()) {
            if (k++ > 0) sb.append("; ");
            List<String> users = new ArrayList<>(e.getValue());
            sb.append(e.getKey()).append(" used by ").append(users.size() <= 3 ? String.join(", ", users)
                    : String.join(", ", users.subList(0, 3)) + " and " + (users.size() - 3) + " more");
        }
        boolean tailOps = bad.keySet().stream().anyMatch(op -> op.equals("TopKV2") || op.equals("GatherV2"));
        if (tailOps && miss.reason != null) sb.append(" (a CenterNet decode tail was looked for: ").append(miss.reason).append(')');
        throw new TfjsFormatException(sb.toString());
    }

    private boolean single(String node, Set<String> keep) {
        return consumers.getOrDefault(node, List.of()).size() == 1 && !keep.contains(node);
    }

    private TfNode producerOf(String ref) {
        return nodes.get(TfNode.producer(ref));
    }

    private ConstTensor constOf(String ref) {
        TfNode p = producerOf(ref);
        return p != null && p.op.equals("Const") ? model.weights.get(p.name) : null;
    }

    private boolean isConst(String ref, float value, float tol) {
        ConstTensor c = constOf(ref);
        try {
            return c != null && c.isFloat() && c.size() == 1 && Math.abs(c.scalar() - value) <= tol * Math.abs(value);
        } catch (TfjsFormatException e) {
            return false;
        }
    }

    private float scalarOf(String ref) {
        try {
            return constOf(ref).scalar();
        } catch (TfjsFormatException e) {
            throw new IllegalStateException(e); // only called on references isConst accepted
        }
    }

    /** For a binary node with one constant operand: the other operand's reference, or null. */
    private String nonConstOperand(TfNode n, float value, float tol) {
        if (n.inputs.size() != 2) return null;
        if (isConst(n.inputs.get(0), value, tol)) return n.inputs.get(1);
        if (isConst(n.inputs.get(1), value, tol)) return n.inputs.get(0);
        return null;
    }

    /** Relu6(x + 3), returning x, or null. */
    private String relu6Plus3(TfNode r, Set<String> keep) {
        if (r == null || !r.op.equals("Relu6") || !single(r.name, keep)) return null;
        TfNode add = producerOf(r.inputs.get(0));
        if (add == null || !(add.op.equals("Add") || add.op.equals("AddV2")) || !single(add.name, keep)) return null;
        return nonConstOperand(add, 3f, 0f);
    }

    private void planFusions(Set<String> needed, Set<String> keep) {
        for (String name : needed) {
            TfNode n = nodes.get(name);
            if (!n.op.equals("Mul") || n.inputs.size() != 2 || absorbed.contains(name)) continue;
            // hard swish: Mul(Mul(1/6, x), Relu6(Add(x, 3))) in either operand order
            for (int s = 0; s < 2; s++) {
                TfNode scaled = producerOf(n.inputs.get(s)), relu = producerOf(n.inputs.get(1 - s));
                if (scaled == null || !scaled.op.equals("Mul") || !single(scaled.name, keep)) continue;
                String x = nonConstOperand(scaled, 1f / 6, SIXTH_TOLERANCE);
                String x2 = relu6Plus3(relu, keep);
                if (x == null || x2 == null || !x.equals(x2)) continue;
                fusions.put(name, new Fusion("hard_swish", x, null, constOf(scaled.inputs.get(0)) != null ? scalarOf(scaled.inputs.get(0)) : scalarOf(scaled.inputs.get(1))));
                absorbed.addAll(List.of(scaled.name, relu.name, producerOf(relu.inputs.get(0)).name));
                break;
            }
            if (fusions.containsKey(name)) continue;
            // hard sigmoid: Mul(1/6, Relu6(Add(x, 3)))
            String r = nonConstOperand(n, 1f / 6, SIXTH_TOLERANCE);
            TfNode relu = r == null ? null : producerOf(r);
            String x = relu6Plus3(relu, keep);
            if (x != null) {
                fusions.put(name, new Fusion("hard_sigmoid", x, null, constOf(n.inputs.get(0)) != null ? scalarOf(n.inputs.get(0)) : scalarOf(n.inputs.get(1))));
                absorbed.addAll(List.of(relu.name, producerOf(relu.inputs.get(0)).name));
            }
        }
        // a Relu or Relu6 right after a convolution with no activation of its own
        for (String name : needed) {
            TfNode n = nodes.get(name);
            if (!(n.op.equals("Relu") || n.op.equals("Relu6")) || absorbed.contains(name)) continue;
            TfNode conv = producerOf(n.inputs.get(0));
            if (conv == null || absorbed.contains(conv.name) || !single(conv.name, keep) || !isConv(conv)) continue;
            try {
                if (!convActivation(conv).equals("none")) continue;
            } catch (TfjsFormatException e) {
                continue;
            }
            fusions.put(conv.name, new Fusion("activation", null, n.op.toLowerCase(), 0f));
            outName.put(conv.name, n.name);
            absorbed.add(n.name);
            // the Relu's own consumers read the convolution's output under the Relu's name
            aliases.computeIfAbsent(conv.name, k -> new ArrayList<>()).add(n.name);
            emittedBy.put(n.name, conv.name);
        }
    }

    private static boolean isConv(TfNode n) {
        return n.op.equals("Conv2D") || n.op.equals("_FusedConv2D") || n.op.equals("DepthwiseConv2dNative") || n.op.equals("FusedDepthwiseConv2dNative");
    }

    /** A node whose only consumer is an Identity writes its result under the Identity's name (outputs keep their signature names). */
    private void planNames(Set<String> needed, Set<String> keep) {
        for (String name : needed) {
            TfNode n = nodes.get(name);
            if (!n.op.equals("Identity") && !n.op.equals("StopGradient")) continue;
            TfNode p = producerOf(n.inputs.get(0));
            if (p == null || p.op.equals("Const") || p.op.equals("Placeholder") || consumers.get(p.name).size() != 1 || keep.contains(p.name)) continue;
            String target = emittedBy.getOrDefault(p.name, p.name);
            if (absorbed.contains(target)) continue;
            outName.put(target, n.name);
        }
    }

    /** Topological order of the needed nodes (Kahn; ties keep model.json's order). */
    private List<TfNode> order(Set<String> needed, CenterNetTail tail) throws TfjsFormatException {
        Map<String, Integer> indeg = new LinkedHashMap<>();
        for (String name : needed) indeg.put(name, 0);
        for (String name : needed) {
            for (String ref : nodes.get(name).inputs) if (needed.contains(TfNode.producer(ref))) indeg.merge(name, 1, Integer::sum);
        }
        Deque<String> ready = new ArrayDeque<>();
        indeg.forEach((k, v) -> { if (v == 0) ready.add(k); });
        List<TfNode> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            String x = ready.poll();
            out.add(nodes.get(x));
            for (TfNode c : consumers.getOrDefault(x, List.of())) {
                if (!needed.contains(c.name)) continue;
                for (String ref : c.inputs) {
                    if (!TfNode.producer(ref).equals(x)) continue;
                    if (indeg.merge(c.name, -1, Integer::sum) == 0) ready.add(c.name);
                }
            }
        }
        if (out.size() != needed.size()) throw new TfjsFormatException("model.json: the graph has a cycle");
        return out;
    }

    // ---------------------------------------------------------------- emission

    private String name(TfNode n) {
        return outName.getOrDefault(n.name, n.name);
    }

    private int[] act(TfNode user, String ref) throws TfjsFormatException {
        int[] s = shapes.get(ref);
        if (s == null) {
            TfNode p = producerOf(ref);
            if (p != null && p.op.equals("Const")) throw user.error("input '" + ref + "' is a constant where an activation is expected");
            throw user.error("input '" + ref + "' has no value (output " + TfNode.outputIndex(ref) + " of its node is not translated)");
        }
        return s;
    }

    private void define(TfNode n, String tensor, int[] shape) {
        g.tensor(tensor, shape);
        shapes.put(n.name, shape);
        tensorOf.put(n.name, tensor);
        for (String a : aliases.getOrDefault(n.name, List.of())) {
            shapes.put(a, shape);
            tensorOf.put(a, tensor);
        }
    }

    private void node(String op, String name, List<String> in, String out, Map<String, String> weights, Map<String, Object> attrs) {
        g.node(op, name, in, List.of(out), weights, attrs);
        winnowOps.merge(op, 1, Integer::sum);
    }

    private String weight(String name, int[] shape, float[] values, short[] half) {
        String w = name;
        for (int k = 2; weightNames.contains(w); k++) w = name + "#" + k;
        weightNames.add(w);
        if (half != null) g.weightFloat16(w, shape, half);
        else g.weightFloat(w, shape, values);
        return w;
    }

    private void emit(TfNode n) throws TfjsFormatException {
        Fusion f = fusions.get(n.name);
        if (f != null && !f.kind.equals("activation")) {
            int[] s = act(n, f.input);
            String out = name(n);
            node(f.kind, n.name, List.of(tensorOf.get(TfNode.producer(f.input))), out, null, Map.of("scale", (double) f.scale));
            define(n, out, s);
            return;
        }
        switch (n.op) {
            case "Placeholder": placeholder(n); break;
            case "Const": break;
            case "Identity": case "StopGradient": identity(n); break;
            case "Conv2D": case "_FusedConv2D": conv(n, f == null ? null : f.activation); break;
            case "DepthwiseConv2dNative": case "FusedDepthwiseConv2dNative": depthwise(n, f == null ? null : f.activation); break;
            case "Relu": case "Relu6": case "Sigmoid": case "Tanh": unary(n, n.op.toLowerCase()); break;
            case "Add": case "AddV2": case "BiasAdd": binary(n, "add"); break;
            case "Sub": binary(n, "sub"); break;
            case "Mul": binary(n, "mul"); break;
            case "Mean": mean(n); break;
            case "ResizeBilinear": resize(n); break;
            case "ConcatV2": concat(n); break;
            case "MaxPool": case "AvgPool": pool(n); break;
            default: throw n.error("no translation");
        }
    }

    private void placeholder(TfNode n) throws TfjsFormatException {
        int[] dims = n.shapeAttr("shape");
        if (dims == null || dims.length != 4) throw n.error("the input must be a rank-4 NHWC tensor with a known shape, is " + Arrays.toString(dims));
        if (dims[0] != 1 && dims[0] != -1) throw n.error("batch size " + dims[0] + " (Winnow runs one frame at a time)");
        for (int k = 1; k < 4; k++) if (dims[k] < 1) throw n.error("input dimension " + k + " is unknown (" + dims[k] + ")");
        int[] s = {dims[1], dims[2], dims[3]};
        define(n, name(n), s);
        g.input(name(n));
        inputName = name(n);
        inputShape = s;
    }

    private String inputName;
    private int[] inputShape;

    private void identity(TfNode n) throws TfjsFormatException {
        String ref = n.inputs.get(0);
        int[] s = act(n, ref);
        shapes.put(n.name, s);
        tensorOf.put(n.name, tensorOf.get(TfNode.producer(ref)));
    }

    private static int outSize(int in, int k, int stride, boolean same) {
        return same ? (in + stride - 1) / stride : (in - k + stride) / stride;
    }

    private int[] strides(TfNode n) throws TfjsFormatException {
        long[] s = n.ints("strides");
        if (s == null || s.length != 4 || s[0] != 1 || s[3] != 1 || s[1] < 1 || s[2] < 1) throw n.error("strides must be [1, sh, sw, 1], are " + Arrays.toString(s));
        long[] d = n.ints("dilations");
        if (d != null) for (long x : d) if (x != 1) throw n.error("dilated convolutions are not supported (dilations " + Arrays.toString(d) + ")");
        if (!n.string("data_format", "NHWC").equals("NHWC")) throw n.error("data_format must be NHWC");
        return new int[] {(int) s[1], (int) s[2]};
    }

    private String padding(TfNode n) throws TfjsFormatException {
        String p = n.string("padding", "VALID");
        if (!p.equals("SAME") && !p.equals("VALID")) throw n.error("padding '" + p + "' is not supported (SAME, VALID)");
        return p.toLowerCase();
    }

    /** A fused op's activation: {@code fused_ops} is BiasAdd, optionally followed by Relu or Relu6. */
    private String convActivation(TfNode n) throws TfjsFormatException {
        if (!n.op.startsWith("_Fused") && !n.op.startsWith("Fused")) return "none";
        List<String> ops = n.strings("fused_ops");
        if (ops.isEmpty() || !ops.get(0).equals("BiasAdd")) throw n.error("fused ops " + ops + " are not supported (BiasAdd, then Relu or Relu6)");
        if (n.integer("num_args", 1) != 1) throw n.error("fused ops with " + n.integer("num_args", 1) + " extra arguments are not supported");
        if (ops.size() == 1) return "none";
        if (ops.size() == 2 && (ops.get(1).equals("Relu") || ops.get(1).equals("Relu6"))) return ops.get(1).toLowerCase();
        throw n.error("fused ops " + ops + " are not supported (BiasAdd, then Relu or Relu6)");
    }

    private ConstTensor filter(TfNode n, int rank) throws TfjsFormatException {
        ConstTensor w = constOf(n.inputs.get(1));
        if (w == null || !w.isFloat() || w.shape.length != rank) throw n.error("the filter must be a float constant of rank " + rank);
        return w;
    }

    private String bias(TfNode n, int channels) throws TfjsFormatException {
        if (!(n.op.startsWith("_Fused") || n.op.startsWith("Fused"))) return null;
        if (n.inputs.size() < 3) throw n.error("the fused BiasAdd has no bias input");
        ConstTensor b = constOf(n.inputs.get(2));
        if (b == null || !b.isFloat() || b.size() != channels) throw n.error("the bias must be a float constant of " + channels + " values");
        return weight(b.name, new int[] {channels}, b.floats(), b.halfBits());
    }

    private void conv(TfNode n, String fusedAct) throws TfjsFormatException {
        int[] x = act(n, n.inputs.get(0));
        ConstTensor w = filter(n, 4);
        int kh = w.shape[0], kw = w.shape[1], ic = w.shape[2], oc = w.shape[3];
        if (ic != x[2]) throw n.error("the filter takes " + ic + " channels, the input has " + x[2]);
        String actName = convActivation(n);
        if (fusedAct != null) actName = fusedAct;
        // TF keeps filters HWIO; Winnow's conv2d wants OHWI (the dot product over contiguous input channels)
        float[] src = w.floats();
        short[] half = w.halfBits();
        float[] dst = new float[src.length];
        short[] dh = half == null ? null : new short[half.length];
        for (int o = 0; o < oc; o++) {
            for (int k = 0; k < kh * kw; k++) {
                for (int i = 0; i < ic; i++) {
                    int from = (k * ic + i) * oc + o, to = (o * kh * kw + k) * ic + i;
                    dst[to] = src[from];
                    if (dh != null) dh[to] = half[from];
                }
            }
        }
        Map<String, String> weights = new LinkedHashMap<>();
        weights.put("filter", weight(n.name + "/filter", new int[] {oc, kh, kw, ic}, dst, dh));
        String b = bias(n, oc);
        if (b != null) weights.put("bias", b);
        emitConv(n, "conv2d", x, kh, kw, oc, weights, actName, Map.of());
    }

    /** Emits a conv-like node: output shape from TF's SAME/VALID rule, stride, padding and activation attributes. */
    private void emitConv(TfNode n, String op, int[] x, int kh, int kw, int oc, Map<String, String> weights, String actName,
                          Map<String, Object> extra) throws TfjsFormatException {
        int[] st = strides(n);
        String pad = padding(n);
        int[] out = {outSize(x[0], kh, st[0], pad.equals("same")), outSize(x[1], kw, st[1], pad.equals("same")), oc};
        if (out[0] < 1 || out[1] < 1) throw n.error("the kernel is larger than the input");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("stride", List.of((long) st[0], (long) st[1]));
        attrs.put("padding", pad);
        attrs.putAll(extra);
        if (!actName.equals("none")) attrs.put("activation", actName);
        String name = name(n);
        node(op, n.name, List.of(tensorOf.get(TfNode.producer(n.inputs.get(0)))), name, weights, attrs);
        define(n, name, out);
    }

    private void depthwise(TfNode n, String fusedAct) throws TfjsFormatException {
        int[] x = act(n, n.inputs.get(0));
        ConstTensor w = filter(n, 4);
        int kh = w.shape[0], kw = w.shape[1], c = w.shape[2], m = w.shape[3];
        if (c != x[2]) throw n.error("the filter takes " + c + " channels, the input has " + x[2]);
        String actName = fusedAct != null ? fusedAct : convActivation(n);
        // TF's [kH, kW, C, m] is Winnow's [kH, kW, C*m] in the same memory order (output channel c*m + j)
        Map<String, String> weights = new LinkedHashMap<>();
        weights.put("filter", weight(w.name, new int[] {kh, kw, c * m}, w.floats(), w.halfBits()));
        String b = bias(n, c * m);
        if (b != null) weights.put("bias", b);
        emitConv(n, "depthwise_conv2d", x, kh, kw, c * m, weights, actName, Map.of("multiplier", (long) m));
    }

    private void unary(TfNode n, String op) throws TfjsFormatException {
        int[] x = act(n, n.inputs.get(0));
        String name = name(n);
        node(op, n.name, List.of(tensorOf.get(TfNode.producer(n.inputs.get(0)))), name, null, null);
        define(n, name, x);
    }

    /** A constant's shape with TF's leading batch dimension dropped (it must be 1), scalars as [1]. */
    private static int[] constShape(TfNode n, ConstTensor c, int rank) throws TfjsFormatException {
        int[] s = c.shape;
        if (s.length == 0) return new int[] {1};
        int drop = 0;
        while (s.length - drop > rank) {
            if (s[drop] != 1) throw n.error("constant '" + c.name + "' " + Arrays.toString(s) + " does not broadcast against a rank-" + rank + " activation");
            drop++;
        }
        return Arrays.copyOfRange(s, drop, s.length);
    }

    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int k = 0; k < r; k++) {
            int da = k - (r - a.length) >= 0 ? a[k - (r - a.length)] : 1;
            int db = k - (r - b.length) >= 0 ? b[k - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) return null;
            out[k] = Math.max(da, db);
        }
        return out;
    }

    private void binary(TfNode n, String op) throws TfjsFormatException {
        if (n.inputs.size() != 2) throw n.error("expects two inputs");
        ConstTensor c0 = constOf(n.inputs.get(0)), c1 = constOf(n.inputs.get(1));
        String name = name(n);
        if (c0 != null && c1 != null) throw n.error("both operands are constants (constant folding is not supported)");
        if (c0 == null && c1 == null) {
            int[] a = act(n, n.inputs.get(0)), b = act(n, n.inputs.get(1));
            int[] out = broadcast(a, b);
            if (out == null) throw n.error("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            node(op, n.name, List.of(tensorOf.get(TfNode.producer(n.inputs.get(0))), tensorOf.get(TfNode.producer(n.inputs.get(1)))), name, null, null);
            define(n, name, out);
            return;
        }
        boolean reverse = c0 != null;
        ConstTensor c = reverse ? c0 : c1;
        String xref = n.inputs.get(reverse ? 1 : 0);
        int[] x = act(n, xref);
        if (!c.isFloat()) throw n.error("constant '" + c.name + "' is " + c.dtype + ", a float is expected");
        int[] cs = constShape(n, c, x.length);
        int[] out = broadcast(x, cs);
        if (out == null) throw n.error("constant '" + c.name + "' " + Arrays.toString(c.shape) + " does not broadcast against " + Arrays.toString(x));
        Map<String, Object> attrs = new LinkedHashMap<>();
        if (reverse && op.equals("sub")) attrs.put("reverse", 1L);
        node(op, n.name, List.of(tensorOf.get(TfNode.producer(xref))), name, Map.of("b", weight(c.name, cs, c.floats(), c.halfBits())), attrs);
        define(n, name, out);
    }

    private void mean(TfNode n) throws TfjsFormatException {
        int[] x = act(n, n.inputs.get(0));
        ConstTensor axesC = constOf(n.inputs.get(1));
        if (axesC == null) throw n.error("the reduction axes must be a constant");
        int tfRank = x.length + 1;
        TreeSet<Integer> axes = new TreeSet<>();
        for (int a : axesC.ints()) {
            int ax = a < 0 ? a + tfRank : a;
            if (ax <= 0 || ax >= tfRank) throw n.error("reduction axis " + a + " is the batch axis or out of range");
            axes.add(ax - 1);
        }
        boolean keep = n.bool("keep_dims", false);
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < x.length; k++) {
            if (!axes.contains(k)) out.add(x[k]);
            else if (keep) out.add(1);
        }
        if (out.isEmpty()) out.add(1);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("axes", axes.stream().map(Integer::longValue).toList());
        attrs.put("keep_dims", keep ? 1L : 0L);
        String name = name(n);
        node("mean", n.name, List.of(tensorOf.get(TfNode.producer(n.inputs.get(0)))), name, null, attrs);
        define(n, name, out.stream().mapToInt(Integer::intValue).toArray());
    }

    private void resize(TfNode n) throws TfjsFormatException {
        int[] x = act(n, n.inputs.get(0));
        if (x.length != 3) throw n.error("the input must be HWC");
        ConstTensor size = constOf(n.inputs.get(1));
        if (size == null || size.size() != 2) throw n.error("the output size must be a constant [height, width]");
        int[] hw = size.ints();
        if (hw[0] < 1 || hw[1] < 1 || hw[0] > 16384 || hw[1] > 16384) throw n.error("output size " + Arrays.toString(hw) + " out of range");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("size", List.of((long) hw[0], (long) hw[1]));
        attrs.put("align_corners", n.bool("align_corners", false) ? 1L : 0L);
        attrs.put("half_pixel_centers", n.bool("half_pixel_centers", false) ? 1L : 0L);
        String name = name(n);
        node("resize_bilinear", n.name, List.of(tensorOf.get(TfNode.producer(n.inputs.get(0)))), name, null, attrs);
        define(n, name, new int[] {hw[0], hw[1], x[2]});
    }

    private void concat(TfNode n) throws TfjsFormatException {
        if (n.inputs.size() < 2) throw n.error("expects values and an axis");
        ConstTensor axisC = constOf(n.inputs.get(n.inputs.size() - 1));
        if (axisC == null) throw n.error("the axis must be a constant");
        int axis = (int) axisC.scalar();
        List<String> ins = new ArrayList<>();
        int[] first = null;
        int channels = 0;
        for (int k = 0; k < n.inputs.size() - 1; k++) {
            int[] s = act(n, n.inputs.get(k));
            if (first == null) first = s;
            int rank = s.length + 1;
            if ((axis < 0 ? axis + rank : axis) != rank - 1) throw n.error("only concatenation along the channel axis is supported (axis " + axis + ")");
            if (s.length != first.length || (s.length == 3 && (s[0] != first[0] || s[1] != first[1]))) throw n.error("inputs differ in height or width");
            channels += s[s.length - 1];
            ins.add(tensorOf.get(TfNode.producer(n.inputs.get(k))));
        }
        int[] out = first.clone();
        out[out.length - 1] = channels;
        String name = name(n);
        node("concat", n.name, ins, name, null, null);
        define(n, name, out);
    }

    private void pool(TfNode n) throws TfjsFormatException {
        int[] x = act(n, n.inputs.get(0));
        long[] k = n.ints("ksize");
        if (k == null || k.length != 4 || k[0] != 1 || k[3] != 1) throw n.error("ksize must be [1, kh, kw, 1]");
        int[] st = strides(n);
        String pad = padding(n);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("size", List.of(k[1], k[2]));
        attrs.put("stride", List.of((long) st[0], (long) st[1]));
        attrs.put("padding", pad);
        int[] out = {outSize(x[0], (int) k[1], st[0], pad.equals("same")), outSize(x[1], (int) k[2], st[1], pad.equals("same")), x[2]};
        String name = name(n);
        node(n.op.equals("MaxPool") ? "max_pool2d" : "avg_pool2d", n.name, List.of(tensorOf.get(TfNode.producer(n.inputs.get(0)))), name, null, attrs);
        define(n, name, out);
    }

    private void emitDecode(CenterNetTail t) throws TfjsFormatException {
        TfNode sink = nodes.get(t.sink);
        int[] heat = act(sink, t.heat), wh = act(sink, t.wh);
        if (heat.length != 3 || wh.length != 3 || wh[0] != heat[0] || wh[1] != heat[1] || wh[2] != 4) {
            throw sink.error("the decode tail needs a heatmap [H,W,K] and a box map [H,W,4], has " + Arrays.toString(heat) + " and " + Arrays.toString(wh));
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("max_detections", (long) t.k);
        attrs.put("pool_size", (long) t.pool);
        attrs.put("stride", (double) t.stride);
        node("centernet_decode", "decode", List.of(tensorOf.get(TfNode.producer(t.heat)), tensorOf.get(TfNode.producer(t.wh))), t.sink, null, attrs);
        define(sink, t.sink, new int[] {t.k, 6});
    }

    private Metadata.Builder metadata() {
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("colorSpace", inputShape != null && inputShape[2] == 1 ? "gray" : "rgb");
        pre.put("scale", 1.0);
        if (inputShape != null) {
            pre.put("width", (long) inputShape[1]);
            pre.put("height", (long) inputShape[0]);
        }
        pre.putAll(opt.preprocess);
        Metadata.Builder m = Metadata.builder(opt.name, "cnn")
                .description(opt.description != null ? opt.description : "imported from a TensorFlow.js graph model")
                .input(inputName == null ? "input" : inputName, inputShape == null ? new int[] {1} : inputShape, "float32", "HWC", pre)
                .provenance("importedFrom", "tfjs graph-model")
                .provenance("modelJsonSha256", model.jsonSha256)
                .provenance("weightsSha256", model.weightsSha256);
        if (model.generatedBy != null) m.provenance("generatedBy", model.generatedBy);
        if (model.convertedBy != null) m.provenance("convertedBy", model.convertedBy);
        if (opt.labels != null) m.labels(opt.labels);
        opt.metadata.forEach(m::put);
        return m;
    }
}
