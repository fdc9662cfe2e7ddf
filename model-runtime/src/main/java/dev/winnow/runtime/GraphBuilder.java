package dev.winnow.runtime;

import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.QuantizationInfo;
import dev.winnow.runtime.quant.QuantParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a graph artifact: declare activation tensors, add nodes with their weights, then
 * {@link #toBytes}. The tools' exporters and the tests use it; the result is read back by
 * {@link Model#load(byte[])} like any artifact.
 */
public final class GraphBuilder {
    private final List<Object> tensors = new ArrayList<>();
    private final List<Object> nodes = new ArrayList<>();
    private final List<Object> inputs = new ArrayList<>();
    private final List<Object> outputs = new ArrayList<>();
    private final List<java.util.function.Consumer<ArtifactWriter>> writes = new ArrayList<>();
    private int counter;

    public GraphBuilder tensor(String name, int[] shape) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("shape", shape);
        t.put("dtype", "float32");
        tensors.add(t);
        return this;
    }

    public GraphBuilder tensorInt8(String name, int[] shape, QuantParams q) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("shape", shape);
        t.put("dtype", "int8");
        t.put("scale", (double) q.scale());
        t.put("zeroPoint", (long) q.zeroPoint());
        tensors.add(t);
        return this;
    }

    public GraphBuilder input(String name) {
        inputs.add(name);
        return this;
    }

    public GraphBuilder output(String name) {
        outputs.add(name);
        return this;
    }

    /** A node; {@code weights} maps role to tensor name, {@code attrs} holds JSON-able values. */
    public GraphBuilder node(String op, String name, List<String> in, List<String> out, Map<String, String> weights, Map<String, Object> attrs) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("op", op);
        n.put("name", name == null ? op + "_" + counter++ : name);
        n.put("inputs", new ArrayList<Object>(in));
        n.put("outputs", new ArrayList<Object>(out));
        if (weights != null && !weights.isEmpty()) n.put("weights", stable(weights));
        if (attrs != null && !attrs.isEmpty()) n.put("attrs", stable(attrs));
        nodes.add(n);
        return this;
    }

    public GraphBuilder weightFloat(String name, int[] shape, float[] values) {
        writes.add(w -> w.addFloat32(name, shape, values));
        return this;
    }

    /** float16 weights, given as binary16 bits (kept as stored, e.g. from a TF.js float16 manifest). */
    public GraphBuilder weightFloat16(String name, int[] shape, short[] halfBits) {
        writes.add(w -> w.addFloat16(name, shape, halfBits));
        return this;
    }

    /** Symmetric int8 weights with per-channel scales along {@code axis}. */
    public GraphBuilder weightInt8(String name, int[] shape, byte[] values, int axis, float[] scales) {
        writes.add(w -> w.addInt8(name, shape, values, QuantizationInfo.symmetric(axis, scales), false));
        return this;
    }

    public GraphBuilder weightInt32(String name, int[] shape, int[] values) {
        writes.add(w -> w.addInt32(name, shape, values));
        return this;
    }

    /** Any other tensor: codebook, sparse, binary, Huffman-coded… */
    public GraphBuilder weight(java.util.function.Consumer<ArtifactWriter> write) {
        writes.add(write);
        return this;
    }

    public Map<String, Object> graphJson() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("inputs", inputs);
        g.put("outputs", outputs);
        g.put("tensors", tensors);
        g.put("nodes", nodes);
        return g;
    }

    public ArtifactWriter writer(Metadata.Builder metadata) {
        ArtifactWriter w = new ArtifactWriter(metadata.graph(graphJson()).build());
        for (java.util.function.Consumer<ArtifactWriter> c : writes) c.accept(w);
        return w;
    }

    public byte[] toBytes(Metadata.Builder metadata) {
        return writer(metadata).toBytes();
    }

    /** A copy in {@link Json#inStableOrder}: the same graph gives the same bytes and digest. */
    private static <V> Map<String, Object> stable(Map<String, V> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : Json.inStableOrder(m)) out.put(e.getKey(), e.getValue());
        return out;
    }
}
