package dev.winnow.tools.model;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Huffman;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.QuantizationInfo;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.quant.QuantParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Assembles Bonsai and ProtoNN artifacts (one family node in the graph) from float parameters in
 * the runtime's layouts, storing each tensor as its {@link TensorEncoding} says, and reads them
 * back. The EdgeML importer, the trainers and the compressors all write through here.
 */
public final class FamilyArtifacts {
    private FamilyArtifacts() {}

    /** Bonsai parameters in the runtime's layout: Z [D̂][D+1], W, V [L·nodes][D̂], θ [internal][D̂], mean and std [D+1]. */
    public record BonsaiTensors(int features, int projection, int classes, int depth, float sigma,
                                float[] mean, float[] std, float[] z, float[] w, float[] v, float[] theta) {
        public int internal() { return (1 << depth) - 1; }
        public int nodes() { return 2 * internal() + 1; }
    }

    /**
     * ProtoNN parameters, row-major: W [d̂][D], B [m][d̂], Z [m][L]; {@code inputRange} {min, max} of
     * the raw features (from training or calibration data), needed for int8 arithmetic; may be null.
     */
    public record ProtoNnTensors(int features, int projection, int prototypes, int classes, float[] w, float[] b, float[] z, double gamma, float[] inputRange) {
        public ProtoNnTensors(int features, int projection, int prototypes, int classes, float[] w, float[] b, float[] z, double gamma) {
            this(features, projection, prototypes, classes, w, b, z, gamma, null);
        }
    }

    /** Whether an encoding gives int8 values with one symmetric scale per row (int8/row or binary). */
    static boolean int8Rows(TensorEncoding e) {
        return (e.kind() == TensorEncoding.Kind.INT8 && e.perRow()) || e.kind() == TensorEncoding.Kind.BINARY;
    }

    /** Whether a ProtoNN with these encodings runs the runtime's integer kernel (W int8 per row or binary, B int8 per tensor, input range known). */
    public static boolean protoNnInt8(ProtoNnTensors t, Map<String, TensorEncoding> enc) {
        TensorEncoding b = enc.getOrDefault("B", TensorEncoding.FLOAT);
        return t.inputRange() != null && int8Rows(enc.getOrDefault("W", TensorEncoding.FLOAT)) && b.kind() == TensorEncoding.Kind.INT8 && !b.perRow();
    }

    /** The input's int8 parameters for a feature range (asymmetric per tensor, as TFLite quantizes activations). */
    public static QuantParams inputParams(float[] range) {
        return QuantParams.forRange(range[0], range[1]);
    }

    /** Encoding per tensor name; unnamed tensors are float32. */
    public static Map<String, TensorEncoding> encodings() {
        return new LinkedHashMap<>();
    }

    public static byte[] bonsai(BonsaiTensors t, Map<String, TensorEncoding> enc, Metadata.Builder md) {
        int dim = t.features() + 1;
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {t.features()}).tensor("scores", new int[] {t.classes()}).input("x").output("scores");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("depth", (long) t.depth());
        attrs.put("projection", (long) t.projection());
        attrs.put("classes", (long) t.classes());
        attrs.put("sigma", (double) t.sigma());
        // int8 arithmetic needs every tree matrix in int8 with a scale per row (the runtime requantizes per row)
        boolean int8 = true;
        for (String n : List.of("Z", "W", "V", "T")) {
            TensorEncoding e = enc.getOrDefault(n, TensorEncoding.FLOAT);
            int8 &= int8Rows(e);
        }
        if (int8) attrs.put("arithmetic", "int8");
        Map<String, String> roles = new LinkedHashMap<>(); // ordered, so the metadata (and the digest) repeat run to run
        for (String r : List.of("mean", "std", "Z", "W", "V")) roles.put(r, r);
        roles.put("theta", "T");
        g.node("bonsai", "bonsai", List.of("x"), List.of("scores"), roles, attrs);
        int rows = t.classes() * t.nodes();
        add(g, "mean", new int[] {dim}, t.mean(), TensorEncoding.FLOAT);
        add(g, "std", new int[] {dim}, t.std(), TensorEncoding.FLOAT);
        add(g, "Z", new int[] {t.projection(), dim}, t.z(), enc.getOrDefault("Z", TensorEncoding.FLOAT));
        add(g, "W", new int[] {rows, t.projection()}, t.w(), enc.getOrDefault("W", TensorEncoding.FLOAT));
        add(g, "V", new int[] {rows, t.projection()}, t.v(), enc.getOrDefault("V", TensorEncoding.FLOAT));
        add(g, "T", new int[] {Math.max(1, t.internal()), t.projection()}, t.theta(), enc.getOrDefault("T", TensorEncoding.FLOAT));
        return g.toBytes(md);
    }

    /**
     * A ProtoNN artifact. When {@link #protoNnInt8} holds, the graph quantizes the input (asymmetric
     * int8 over {@code inputRange}) and the protonn node runs on it in integer arithmetic; otherwise
     * the node takes the float input.
     */
    public static byte[] protoNn(ProtoNnTensors t, Map<String, TensorEncoding> enc, Metadata.Builder md) {
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {t.features()}).tensor("scores", new int[] {t.classes()}).input("x").output("scores");
        String in = "x";
        if (protoNnInt8(t, enc)) {
            g.tensorInt8("xq", new int[] {t.features()}, inputParams(t.inputRange())).node("quantize", "quantize", List.of("x"), List.of("xq"), null, null);
            in = "xq";
        }
        Map<String, String> roles = new LinkedHashMap<>(); // ordered, so the metadata (and the digest) repeat run to run
        roles.put("W", "W");
        roles.put("B", "B");
        roles.put("Z", "Z");
        g.node("protonn", "protonn", List.of(in), List.of("scores"), roles, Map.of("gamma", t.gamma()));
        add(g, "W", new int[] {t.projection(), t.features()}, t.w(), enc.getOrDefault("W", TensorEncoding.FLOAT));
        add(g, "B", new int[] {t.prototypes(), t.projection()}, t.b(), enc.getOrDefault("B", TensorEncoding.FLOAT));
        add(g, "Z", new int[] {t.prototypes(), t.classes()}, t.z(), enc.getOrDefault("Z", TensorEncoding.FLOAT));
        return g.toBytes(md);
    }

    /** Adds one tensor as {@code e} says. */
    public static void add(GraphBuilder g, String name, int[] shape, float[] values, TensorEncoding e) {
        g.weight(encode(name, shape, values, e));
    }

    static Consumer<ArtifactWriter> encode(String name, int[] shape, float[] f, TensorEncoding e) {
        switch (e.kind()) {
            case BINARY: {
                Binary bn = binarize(f, shape[0]);
                return w -> w.addBinary(name, shape, bn.words(), bn.alpha(), e.huffman() && shrinks(bn.bytes()));
            }
            case INT8: {
                int rows = e.perRow() ? shape[0] : 1;
                Int8 q = quantize(f, rows, e.clip(), e.levels());
                QuantizationInfo qi = e.perRow() ? QuantizationInfo.symmetric(0, q.scales) : QuantizationInfo.perTensor(q.scales[0], 0);
                int nnz = 0;
                for (byte b : q.values) if (b != 0) nnz++;
                if (4L + 5L * nnz < f.length) {
                    int[] idx = new int[nnz];
                    byte[] vals = new byte[nnz];
                    for (int i = 0, k = 0; i < f.length; i++) if (q.values[i] != 0) { idx[k] = i; vals[k++] = q.values[i]; }
                    return w -> w.addSparseInt8(name, shape, idx, vals, qi, e.huffman() && shrinks(sparseBytes(idx, vals)));
                }
                return w -> w.addInt8(name, shape, q.values, qi, e.huffman() && shrinks(q.values));
            }
            case CODEBOOK: {
                Codebook cb = Codebook.fit(f, e.bits());
                return w -> w.addCodebook(name, shape, cb.centroids(), cb.indices(), e.huffman() && shrinks(cb.payload()));
            }
            default: {
                int nnz = 0;
                for (float v : f) if (v != 0) nnz++;
                if (nnz * 2 < f.length) {
                    int[] idx = new int[nnz];
                    float[] vals = new float[nnz];
                    for (int i = 0, k = 0; i < f.length; i++) if (f[i] != 0) { idx[k] = i; vals[k++] = f[i]; }
                    byte[] raw = new byte[4 + 8 * nnz];
                    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(nnz);
                    for (int i : idx) bb.putInt(i);
                    for (float v : vals) bb.putFloat(v);
                    return w -> w.addSparse(name, shape, idx, vals, e.huffman() && shrinks(raw));
                }
                byte[] raw = new byte[4 * f.length];
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float v : f) bb.putFloat(v);
                return w -> w.addFloat32(name, shape, f, e.huffman() && shrinks(raw));
            }
        }
    }

    private static byte[] sparseBytes(int[] idx, byte[] vals) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(4 + 5 * idx.length).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(idx.length);
        for (int i : idx) bb.putInt(i);
        bb.put(vals);
        return bb.array();
    }

    /** Whether Huffman coding makes this payload smaller. */
    static boolean shrinks(byte[] payload) {
        return payload.length > 0 && Huffman.encode(payload).length < payload.length;
    }

    /** Symmetric int8 values with one scale per row (rows = 1: per tensor). */
    public record Int8(byte[] values, float[] scales) {}

    public static Int8 quantize(float[] f, int rows, double clip) {
        return quantize(f, rows, clip, 127);
    }

    /**
     * Symmetric integers in [−levels, levels] with step clip·max|row|/levels. Fewer than 8 bits are
     * stored spread over the int8 range (each level times m = ⌊127/levels⌋, the scale divided by
     * m): the same real values, but the integer kernels then work on a grid as fine as int8's
     * (ProtoNN requantizes its projection into B's scale), and Huffman coding still sees only
     * 2·levels + 1 symbols. {@code FakeQuant} trains against exactly these values.
     */
    public static Int8 quantize(float[] f, int rows, double clip, int levels) {
        int per = f.length / rows, mult = 127 / levels;
        float[] s = new float[rows];
        byte[] q = new byte[f.length];
        for (int r = 0; r < rows; r++) {
            float m = 0;
            for (int i = 0; i < per; i++) m = Math.max(m, Math.abs(f[r * per + i]));
            s[r] = m > 0 ? (float) (m * clip / ((double) levels * mult)) : 1f;
            float step = s[r] * mult;
            for (int i = 0; i < per; i++) q[r * per + i] = (byte) (mult * Math.max(-levels, Math.min(levels, Math.round(f[r * per + i] / step))));
        }
        return new Int8(q, s);
    }

    /** Bit-packed signs (1 = +1; zero counts as +1) and α = mean |row| per row (XNOR-Net). */
    public record Binary(long[] words, float[] alpha, byte[] bytes) {}

    public static Binary binarize(float[] f, int rows) {
        int per = f.length / rows, wpr = (per + 63) >>> 6;
        long[] words = new long[rows * wpr];
        float[] alpha = new float[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int i = 0; i < per; i++) {
                float v = f[r * per + i];
                sum += Math.abs(v);
                if (v >= 0) words[r * wpr + (i >>> 6)] |= 1L << (i & 63);
            }
            alpha[r] = sum > 0 ? (float) (sum / per) : 1e-8f;
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 * words.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long w : words) bb.putLong(w);
        return new Binary(words, alpha, bb.array());
    }

    /** The values an encoding gives back at load time (what the runtime will compute with). */
    public static float[] roundTrip(float[] f, int[] shape, TensorEncoding e) {
        switch (e.kind()) {
            case BINARY: {
                Binary bn = binarize(f, shape[0]);
                int per = f.length / shape[0];
                float[] out = new float[f.length];
                for (int i = 0; i < f.length; i++) out[i] = f[i] >= 0 ? bn.alpha()[i / per] : -bn.alpha()[i / per];
                return out;
            }
            case INT8: {
                Int8 q = quantize(f, e.perRow() ? shape[0] : 1, e.clip(), e.levels());
                int per = f.length / q.scales.length;
                float[] out = new float[f.length];
                for (int i = 0; i < f.length; i++) out[i] = q.values[i] * q.scales[i / per];
                return out;
            }
            case CODEBOOK: {
                Codebook cb = Codebook.fit(f, e.bits());
                float[] out = new float[f.length];
                for (int i = 0; i < f.length; i++) out[i] = cb.centroids()[cb.indices()[i]];
                return out;
            }
            default:
                return f.clone();
        }
    }

    // ---- reading back ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> node(Artifact a, String op) throws ModelFormatException {
        Map<String, Object> graph = a.metadata().graph().orElseThrow(() -> new ModelFormatException("artifact has no graph"));
        for (Object n : (List<Object>) graph.getOrDefault("nodes", List.of())) {
            Map<String, Object> m = (Map<String, Object>) n;
            if (op.equals(m.get("op"))) return m;
        }
        throw new ModelFormatException("artifact has no '" + op + "' node (family " + a.metadata().family() + ")");
    }

    @SuppressWarnings("unchecked")
    private static TensorData weight(Artifact a, Map<String, Object> node, String role) throws ModelFormatException {
        Object name = ((Map<String, Object>) node.getOrDefault("weights", Map.of())).get(role);
        if (!(name instanceof String)) throw new ModelFormatException("node has no weight '" + role + "'");
        return a.tensor((String) name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attrs(Map<String, Object> node) {
        return (Map<String, Object>) node.getOrDefault("attrs", Map.of());
    }

    public static BonsaiTensors readBonsai(Artifact a) throws ModelFormatException {
        Map<String, Object> n = node(a, "bonsai");
        Map<String, Object> at = attrs(n);
        int depth = ((Number) at.getOrDefault("depth", 0L)).intValue(), proj = ((Number) at.get("projection")).intValue();
        int classes = ((Number) at.get("classes")).intValue();
        float sigma = ((Number) at.getOrDefault("sigma", 1.0)).floatValue();
        float[] mean = weight(a, n, "mean").toFloatArray();
        return new BonsaiTensors(mean.length - 1, proj, classes, depth, sigma, mean, weight(a, n, "std").toFloatArray(),
                weight(a, n, "Z").toFloatArray(), weight(a, n, "W").toFloatArray(), weight(a, n, "V").toFloatArray(), weight(a, n, "theta").toFloatArray());
    }

    @SuppressWarnings("unchecked")
    public static ProtoNnTensors readProtoNn(Artifact a) throws ModelFormatException {
        Map<String, Object> n = node(a, "protonn");
        TensorData w = weight(a, n, "W"), b = weight(a, n, "B"), z = weight(a, n, "Z");
        double gamma = ((Number) attrs(n).getOrDefault("gamma", 1.0)).doubleValue();
        // an int8 graph records the input range it was calibrated on in the quantized input's parameters
        float[] range = null;
        Object input = ((List<Object>) n.getOrDefault("inputs", List.of())).stream().findFirst().orElse(null);
        Map<String, Object> graph = a.metadata().graph().orElseThrow();
        for (Object o : (List<Object>) graph.getOrDefault("tensors", List.of())) {
            Map<String, Object> t = (Map<String, Object>) o;
            if (t.get("name").equals(input) && "int8".equals(t.get("dtype"))) {
                double sc = ((Number) t.get("scale")).doubleValue();
                long zp = ((Number) t.get("zeroPoint")).longValue();
                range = new float[] {(float) ((-128 - zp) * sc), (float) ((127 - zp) * sc)};
            }
        }
        return new ProtoNnTensors(w.dim(1), w.dim(0), b.dim(0), z.dim(1), w.toFloatArray(), b.toFloatArray(), z.toFloatArray(), gamma, range);
    }

    /** Bytes per tensor as stored, for size tables. */
    public static Map<String, Integer> storedBytes(Artifact a) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (TensorData t : a.tensors()) m.put(t.name() + " " + t.codec() + (t.huffmanCoded() ? "+H" : ""), t.storedBytes());
        return m;
    }

    static List<Integer> list(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) l.add(v);
        return l;
    }

    static String shape(int[] s) {
        return Arrays.toString(s);
    }
}
