package dev.winnow.tools.onnx;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.DType;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Some nodes of a graph artifact as an artifact of their own, with the same weights: the tensors
 * they read and nothing among them writes become the inputs, the tensors they write and nothing
 * among them reads (or the original graph outputs) become the outputs. How single layers of a
 * shipped model are timed and exported on their own, and how a graph loses its last op (detect) so
 * the rest can go to ONNX.
 */
public final class GraphSlice {
    private GraphSlice() {}

    /** The nodes before {@code node}, which must be a node of the graph other than its first. */
    @SuppressWarnings("unchecked")
    public static byte[] before(Artifact a, String node) throws ModelFormatException {
        Map<String, Object> graph = a.metadata().graph().orElseThrow(() -> new ModelFormatException("artifact has no graph"));
        Set<String> keep = new LinkedHashSet<>();
        for (Object o : (List<Object>) graph.get("nodes")) {
            String name = (String) ((Map<String, Object>) o).get("name");
            if (name != null && name.equals(node)) {
                if (keep.isEmpty()) throw new ModelFormatException("node '" + node + "' is the graph's first: nothing before it to export");
                return of(a, a.metadata().name(), keep::contains);
            }
            keep.add(name);
        }
        throw new ModelFormatException("the graph has no node '" + node + "'");
    }

    /** The nodes {@code keep} accepts by name, in their order. */
    @SuppressWarnings("unchecked")
    public static byte[] of(Artifact a, String name, Predicate<String> keep) throws ModelFormatException {
        Map<String, Object> graph = a.metadata().graph().orElseThrow(() -> new ModelFormatException("artifact has no graph"));
        List<Map<String, Object>> nodes = new ArrayList<>();
        Set<String> written = new LinkedHashSet<>(), read = new LinkedHashSet<>(), inputs = new LinkedHashSet<>();
        for (Object o : (List<Object>) graph.get("nodes")) {
            Map<String, Object> n = (Map<String, Object>) o;
            if (!keep.test((String) n.get("name"))) continue;
            nodes.add(n);
            for (Object in : (List<Object>) n.get("inputs")) {
                read.add((String) in);
                if (!written.contains(in)) inputs.add((String) in);
            }
            for (Object out : (List<Object>) n.get("outputs")) written.add((String) out);
        }
        if (nodes.isEmpty()) throw new ModelFormatException("no node of '" + a.metadata().name() + "' is selected");
        List<Object> outputs = new ArrayList<>();
        for (String t : written) if (!read.contains(t) || ((List<Object>) graph.get("outputs")).contains(t)) outputs.add(t);
        Set<String> used = new LinkedHashSet<>(inputs);
        used.addAll(written);
        List<Object> tensors = new ArrayList<>();
        Map<String, Object> first = null;
        for (Object o : (List<Object>) graph.get("tensors")) {
            Map<String, Object> t = (Map<String, Object>) o;
            if (!used.contains(t.get("name"))) continue;
            tensors.add(t);
            if (t.get("name").equals(inputs.iterator().next())) first = t;
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("inputs", new ArrayList<Object>(inputs));
        g.put("outputs", outputs);
        g.put("tensors", tensors);
        g.put("nodes", new ArrayList<Object>(nodes));
        int[] shape = Metadata.intArray(first.get("shape"), "input shape");
        Metadata.Builder m = Metadata.builder(name, a.metadata().family())
                .input((String) first.get("name"), shape, "float32", shape.length == 3 ? "HWC" : "flat", null).graph(g);
        ArtifactWriter w = new ArtifactWriter(m.build());
        Set<String> copied = new LinkedHashSet<>();
        for (Map<String, Object> n : nodes) {
            Map<String, Object> weights = (Map<String, Object>) n.getOrDefault("weights", Map.of());
            for (Object t : weights.values()) if (copied.add((String) t)) copy(a.tensor((String) t), w);
        }
        return w.toBytes();
    }

    private static void copy(TensorData t, ArtifactWriter w) throws ModelFormatException {
        if (t.dtype() == DType.INT8) w.addInt8(t.name(), t.shape(), t.toInt8Array(), t.quantization());
        else if (t.dtype() == DType.INT32) w.addInt32(t.name(), t.shape(), t.toInt32Array());
        else w.addFloat32(t.name(), t.shape(), t.toFloatArray());
    }
}
