package dev.winnow.tools.imports.tfjs;

import dev.winnow.runtime.format.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Writes small TF.js graph models (model.json + one shard) for the importer's tests. */
final class TinyTfjs {
    final List<Object> nodes = new ArrayList<>();
    final List<Object> weights = new ArrayList<>();
    final ByteArrayOutputStream bin = new ByteArrayOutputStream();
    final List<String> outputs = new ArrayList<>();

    static Map<String, Object> s(String v) { return Map.of("s", Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))); }
    static Map<String, Object> b(boolean v) { return Map.of("b", v); }
    static Map<String, Object> ints(long... v) {
        List<Object> l = new ArrayList<>();
        for (long x : v) l.add(String.valueOf(x));
        return Map.of("list", Map.of("i", l));
    }
    static Map<String, Object> strs(String... v) {
        List<Object> l = new ArrayList<>();
        for (String x : v) l.add(Base64.getEncoder().encodeToString(x.getBytes(StandardCharsets.UTF_8)));
        return Map.of("list", Map.of("s", l));
    }

    TinyTfjs node(String name, String op, List<String> in, Map<String, Object> attr) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", name);
        n.put("op", op);
        if (!in.isEmpty()) n.put("input", new ArrayList<Object>(in));
        n.put("attr", attr == null ? Map.of() : attr);
        nodes.add(n);
        return this;
    }

    TinyTfjs placeholder(String name, int... shape) {
        List<Object> dims = new ArrayList<>();
        for (int d : shape) dims.add(Map.of("size", String.valueOf(d)));
        return node(name, "Placeholder", List.of(), Map.of("shape", Map.of("shape", Map.of("dim", dims)), "dtype", Map.of("type", "DT_FLOAT")));
    }

    private void manifest(String name, int[] shape, String dtype, Map<String, Object> quant) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", name);
        List<Object> s = new ArrayList<>();
        for (int d : shape) s.add((long) d);
        w.put("shape", s);
        w.put("dtype", dtype);
        if (quant != null) w.put("quantization", quant);
        weights.add(w);
        node(name, "Const", List.of(), Map.of("dtype", Map.of("type", dtype.equals("int32") ? "DT_INT32" : "DT_FLOAT")));
    }

    TinyTfjs constF(String name, int[] shape, float... v) {
        return const32(name, shape, "float32", v.length, bb -> {
            for (float x : v) bb.putFloat(x);
        });
    }

    /** A constant of {@code n} four-byte values, which {@code put} writes little-endian into the shard. */
    private TinyTfjs const32(String name, int[] shape, String dtype, int n, Consumer<ByteBuffer> put) {
        manifest(name, shape, dtype, null);
        ByteBuffer bb = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        put.accept(bb);
        bin.writeBytes(bb.array());
        return this;
    }

    /** float32 values stored as uint8 affine (q * scale + min), as tfjs-converter's --quantize_uint8 writes. */
    TinyTfjs constU8(String name, int[] shape, double scale, double min, int... q) {
        manifest(name, shape, "float32", Map.of("dtype", "uint8", "scale", scale, "min", min));
        for (int x : q) bin.write(x);
        return this;
    }

    TinyTfjs constI(String name, int[] shape, int... v) {
        return const32(name, shape, "int32", v.length, bb -> {
            for (int x : v) bb.putInt(x);
        });
    }

    TinyTfjs output(String name) {
        outputs.add(name);
        return this;
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "graph-model");
        root.put("generatedBy", "test");
        root.put("modelTopology", Map.of("node", nodes));
        root.put("weightsManifest", List.of(Map.of("paths", List.of("group1-shard1of1.bin"), "weights", weights)));
        Map<String, Object> outs = new LinkedHashMap<>();
        for (String o : outputs) outs.put(o, Map.of("name", o));
        root.put("signature", Map.of("outputs", outs));
        Files.writeString(dir.resolve("model.json"), Json.write(root));
        Files.write(dir.resolve("group1-shard1of1.bin"), bin.toByteArray());
        return dir;
    }
}
