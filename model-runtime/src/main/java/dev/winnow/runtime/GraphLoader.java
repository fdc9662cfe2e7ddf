package dev.winnow.runtime;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.Graph;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.OpRegistry;
import dev.winnow.runtime.graph.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a planned {@link Graph} from the graph section of an artifact's metadata (docs/graph-ops.md). */
final class GraphLoader {
    static final int MAX_NODES = 10_000;
    /** No model Winnow runs comes near this; a larger plan is a hostile or broken artifact. */
    static final long MAX_ARENA_BYTES = 256L << 20;

    private GraphLoader() {}

    static Graph load(Artifact artifact, OpRegistry registry) throws ModelFormatException {
        Map<String, Object> g = artifact.metadata().graph()
                .orElseThrow(() -> new ModelFormatException("artifact '" + artifact.metadata().name() + "' has no graph"));
        Map<String, TensorSpec> tensors = new LinkedHashMap<>();
        for (Object o : list(g, "tensors")) {
            TensorSpec t = tensor(map(o, "graph.tensors[]"));
            if (tensors.put(t.name(), t) != null) throw new ModelFormatException("graph: tensor '" + t.name() + "' declared twice");
        }
        List<Object> nodes = list(g, "nodes");
        if (nodes.size() > MAX_NODES) throw new ModelFormatException("graph: " + nodes.size() + " nodes exceed " + MAX_NODES);
        List<Op> ops = new ArrayList<>();
        int index = 0;
        for (Object o : nodes) {
            Map<String, Object> n = map(o, "graph.nodes[" + index + "]");
            String op = string(n, "op", null);
            String name = string(n, "name", op + "_" + index);
            Map<String, Object> attrs = n.containsKey("attrs") ? map(n.get("attrs"), "node " + name + " attrs") : Map.of();
            Map<String, String> weights = new LinkedHashMap<>();
            if (n.containsKey("weights")) {
                for (Map.Entry<String, Object> e : map(n.get("weights"), "node " + name + " weights").entrySet()) {
                    if (!(e.getValue() instanceof String)) throw new ModelFormatException("node '" + name + "': weight '" + e.getKey() + "' must name a tensor");
                    weights.put(e.getKey(), (String) e.getValue());
                }
            }
            NodeContext ctx = new NodeContext(op, name, attrs, specs(tensors, list(n, "inputs"), name),
                    specs(tensors, list(n, "outputs"), name), weights, artifact);
            ops.add(registry.create(ctx));
            index++;
        }
        List<TensorSpec> inputs = specs(tensors, list(g, "inputs"), "graph inputs");
        List<TensorSpec> outputs = specs(tensors, list(g, "outputs"), "graph outputs");
        Metadata m = artifact.metadata();
        if (inputs.get(0).elementCount() != m.inputSpec().elementCount()) {
            throw new ModelFormatException("graph input '" + inputs.get(0).name() + "' has " + inputs.get(0).elementCount()
                    + " elements but the input spec declares " + m.inputSpec());
        }
        Graph graph;
        try {
            graph = Graph.compile(ops, inputs, outputs);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("graph: " + e.getMessage(), e);
        }
        if (graph.plan().arenaBytes() > MAX_ARENA_BYTES) {
            throw new ModelFormatException("graph needs an arena of " + graph.plan().arenaBytes() + " bytes, more than " + MAX_ARENA_BYTES);
        }
        return graph;
    }

    private static TensorSpec tensor(Map<String, Object> t) throws ModelFormatException {
        String name = string(t, "name", null);
        int[] shape = Metadata.intArray(t.get("shape"), "tensor " + name + " shape");
        String dtype = string(t, "dtype", "float32");
        try {
            ElementType type = ElementType.parse(dtype);
            if (type == ElementType.INT8) {
                Object s = t.get("scale");
                Object zp = t.get("zeroPoint");
                if (!(s instanceof Number) || !(zp instanceof Long)) throw new ModelFormatException("int8 tensor '" + name + "' needs scale and zeroPoint");
                return new TensorSpec(name, shape, type, ((Number) s).floatValue(), (int) (long) (Long) zp);
            }
            return new TensorSpec(name, shape, type, 1f, 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("graph tensor '" + name + "': " + e.getMessage());
        }
    }

    private static List<TensorSpec> specs(Map<String, TensorSpec> tensors, List<Object> names, String where) throws ModelFormatException {
        List<TensorSpec> out = new ArrayList<>();
        for (Object o : names) {
            if (!(o instanceof String)) throw new ModelFormatException(where + ": tensor names must be strings");
            TensorSpec t = tensors.get(o);
            if (t == null) throw new ModelFormatException(where + ": tensor '" + o + "' is not declared in graph.tensors");
            out.add(t);
        }
        if (out.isEmpty()) throw new ModelFormatException(where + ": no tensors");
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) throws ModelFormatException {
        if (!(o instanceof Map)) throw new ModelFormatException(where + " must be an object");
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) throws ModelFormatException {
        Object o = m.get(key);
        if (!(o instanceof List)) throw new ModelFormatException("graph: '" + key + "' must be an array");
        return (List<Object>) o;
    }

    private static String string(Map<String, Object> m, String key, String dflt) throws ModelFormatException {
        Object o = m.get(key);
        if (o == null && dflt != null) return dflt;
        if (!(o instanceof String)) throw new ModelFormatException("graph: '" + key + "' must be a string");
        return (String) o;
    }
}
