package dev.winnow.tools.imports.tfjs;

import dev.winnow.runtime.format.Float16;
import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js graph model read from disk: {@code model.json} (format {@code graph-model}: the
 * topology is a GraphDef in JSON, the weights manifest lists groups of shards) and its weight
 * shards, decoded as TF.js's {@code io.decodeWeights} does: float32, int32 and bool tensors, and
 * the manifest's quantizations (uint8 and uint16 affine, {@code q * scale + min}; float16).
 *
 * <p>Every size is checked against the files before anything large is allocated, and a shard path
 * may not leave the model's directory. Errors name the tensor concerned.
 */
public final class TfjsModel {
    /** model.json is JSON text; real ones are a few hundred KB. */
    static final long MAX_JSON_BYTES = 64L << 20;
    /** All weights together; the teachers Winnow imports are a few MB. */
    static final long MAX_WEIGHT_BYTES = 1L << 30;

    final Path dir;
    final String format;
    final String generatedBy;
    final String convertedBy;
    final List<TfNode> nodes;
    final Map<String, ConstTensor> weights;
    /** Signature input and output node names, in the order model.json lists them (may be empty). */
    final List<String> signatureInputs;
    final List<String> signatureOutputs;
    final String jsonSha256;
    final String weightsSha256;

    private TfjsModel(Path dir, String format, String generatedBy, String convertedBy, List<TfNode> nodes, Map<String, ConstTensor> weights,
                      List<String> sigIn, List<String> sigOut, String jsonSha256, String weightsSha256) {
        this.dir = dir;
        this.format = format;
        this.generatedBy = generatedBy;
        this.convertedBy = convertedBy;
        this.nodes = nodes;
        this.weights = weights;
        this.signatureInputs = sigIn;
        this.signatureOutputs = sigOut;
        this.jsonSha256 = jsonSha256;
        this.weightsSha256 = weightsSha256;
    }

    /** Reads {@code model.json} from {@code path} (the file, or the directory holding it) and its shards. */
    @SuppressWarnings("unchecked")
    public static TfjsModel read(Path path) throws IOException {
        Path json = Files.isDirectory(path) ? path.resolve("model.json") : path;
        if (Files.isDirectory(path) && !Files.exists(json)) {
            // human and others name the file after the model: accept one *.json in the directory
            try (var s = Files.list(path)) {
                List<Path> js = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
                if (js.size() == 1) json = js.get(0);
            }
        }
        if (!Files.isRegularFile(json)) throw new NoSuchFileException(json.toString(), null, "no TF.js model.json there");
        Path dir = json.toAbsolutePath().getParent();
        long size = Files.size(json);
        if (size > MAX_JSON_BYTES) throw new TfjsFormatException(json + " is " + size + " bytes, more than " + MAX_JSON_BYTES);
        byte[] text = Files.readAllBytes(json);
        Map<String, Object> root;
        try {
            root = Json.parseObject(new String(text, StandardCharsets.UTF_8));
        } catch (ModelFormatException e) {
            throw new TfjsFormatException(json.getFileName() + ": not valid JSON: " + e.getMessage());
        }
        String format = str(root, "format");
        if (format != null && !format.equals("graph-model")) {
            throw new TfjsFormatException(json.getFileName() + ": format '" + format + "' is not a TF.js graph model (a layers model has no GraphDef)");
        }
        Object topo = root.get("modelTopology");
        if (!(topo instanceof Map)) throw new TfjsFormatException(json.getFileName() + ": no modelTopology object");
        Object nodeList = ((Map<String, Object>) topo).get("node");
        if (!(nodeList instanceof List)) throw new TfjsFormatException(json.getFileName() + ": modelTopology has no node list");
        List<TfNode> nodes = new ArrayList<>();
        int k = 0;
        for (Object o : (List<Object>) nodeList) nodes.add(TfNode.of(o, k++));
        Object manifest = root.get("weightsManifest");
        if (!(manifest instanceof List)) throw new TfjsFormatException(json.getFileName() + ": no weightsManifest list");
        MessageDigest wd = sha256();
        Map<String, ConstTensor> weights = readWeights(dir, (List<Object>) manifest, wd);
        checkConsts(nodes, weights);
        List<String> sigIn = new ArrayList<>(), sigOut = new ArrayList<>();
        if (root.get("signature") instanceof Map) {
            Map<String, Object> sig = (Map<String, Object>) root.get("signature");
            signatureNames(sig.get("inputs"), sigIn);
            signatureNames(sig.get("outputs"), sigOut);
        }
        return new TfjsModel(dir, format, str(root, "generatedBy"), str(root, "convertedBy"), List.copyOf(nodes), weights,
                List.copyOf(sigIn), List.copyOf(sigOut), HexFormat.of().formatHex(sha256().digest(text)), HexFormat.of().formatHex(wd.digest()));
    }

    @SuppressWarnings("unchecked")
    private static void signatureNames(Object o, List<String> out) {
        if (!(o instanceof Map)) return;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) o).entrySet()) {
            Object n = e.getValue() instanceof Map ? ((Map<String, Object>) e.getValue()).get("name") : null;
            out.add(TfNode.producer(n instanceof String ? (String) n : e.getKey()));
        }
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String ? (String) v : null;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One manifest entry: where its bytes are and how they decode. */
    private record Entry(String name, String dtype, int[] shape, long count, String quant, double scale, double min, int elementBytes) {}

    @SuppressWarnings("unchecked")
    private static Map<String, ConstTensor> readWeights(Path dir, List<Object> groups, MessageDigest digest) throws IOException {
        Map<String, ConstTensor> out = new LinkedHashMap<>();
        long total = 0;
        int g = 0;
        for (Object go : groups) {
            if (!(go instanceof Map)) throw new TfjsFormatException("weightsManifest group " + g + " is not an object");
            Map<String, Object> group = (Map<String, Object>) go;
            if (!(group.get("paths") instanceof List) || !(group.get("weights") instanceof List)) {
                throw new TfjsFormatException("weightsManifest group " + g + " needs 'paths' and 'weights' lists");
            }
            List<Entry> entries = new ArrayList<>();
            long need = 0;
            for (Object wo : (List<Object>) group.get("weights")) {
                Entry e = entry(wo, g);
                entries.add(e);
                need += e.count * e.elementBytes;
                if (need > MAX_WEIGHT_BYTES) throw new TfjsFormatException("weights of group " + g + " exceed " + MAX_WEIGHT_BYTES + " bytes (at tensor '" + e.name + "')");
            }
            List<Path> shards = new ArrayList<>();
            long have = 0;
            for (Object po : (List<Object>) group.get("paths")) {
                if (!(po instanceof String)) throw new TfjsFormatException("weightsManifest group " + g + ": a path is not a string");
                Path p = shardPath(dir, (String) po);
                if (!Files.isRegularFile(p)) {
                    throw new TfjsFormatException("weight shard '" + po + "' is missing (it holds tensors from '" + (entries.isEmpty() ? "?" : entries.get(0).name) + "' on)");
                }
                shards.add(p);
                have += Files.size(p);
            }
            if (have < need) {
                long at = 0;
                for (Entry e : entries) {
                    long end = at + e.count * e.elementBytes;
                    if (end > have) {
                        throw new TfjsFormatException("weight shards of group " + g + " are short: tensor '" + e.name + "' needs bytes " + at + ".." + end
                                + ", the shards hold " + have);
                    }
                    at = end;
                }
            }
            if (have > need) throw new TfjsFormatException("weight shards of group " + g + " hold " + have + " bytes, the manifest describes " + need);
            total += need;
            if (total > MAX_WEIGHT_BYTES) throw new TfjsFormatException("weights exceed " + MAX_WEIGHT_BYTES + " bytes");
            byte[] buf = new byte[(int) need];
            int off = 0;
            for (Path p : shards) {
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while (off < buf.length && (n = in.read(buf, off, buf.length - off)) > 0) off += n;
                }
            }
            if (off != buf.length) throw new TfjsFormatException("weight shards of group " + g + " changed while being read");
            digest.update(buf);
            ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries) {
                if (out.containsKey(e.name)) throw new TfjsFormatException("tensor '" + e.name + "' is listed twice in the weights manifest");
                out.put(e.name, decode(e, bb));
            }
            g++;
        }
        return out;
    }

    /** A shard path relative to the model directory; absolute paths and '..' escapes are refused. */
    private static Path shardPath(Path dir, String rel) throws TfjsFormatException {
        Path p;
        try {
            p = dir.resolve(rel).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new TfjsFormatException("weight shard path '" + rel + "' is not a valid path");
        }
        if (Path.of(rel).isAbsolute() || !p.startsWith(dir.normalize())) {
            throw new TfjsFormatException("weight shard path '" + rel + "' leaves the model's directory");
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Entry entry(Object wo, int g) throws TfjsFormatException {
        if (!(wo instanceof Map)) throw new TfjsFormatException("weightsManifest group " + g + ": a weight entry is not an object");
        Map<String, Object> w = (Map<String, Object>) wo;
        if (!(w.get("name") instanceof String)) throw new TfjsFormatException("weightsManifest group " + g + ": a weight has no name");
        String name = (String) w.get("name");
        if (!(w.get("dtype") instanceof String)) throw new TfjsFormatException("tensor '" + name + "': no dtype in the manifest");
        String dtype = (String) w.get("dtype");
        if (!(w.get("shape") instanceof List)) throw new TfjsFormatException("tensor '" + name + "': no shape in the manifest");
        List<Object> sh = (List<Object>) w.get("shape");
        if (sh.size() > 8) throw new TfjsFormatException("tensor '" + name + "': rank " + sh.size() + " is too large");
        int[] shape = new int[sh.size()];
        long count = 1;
        for (int k = 0; k < shape.length; k++) {
            Object d = sh.get(k);
            if (!(d instanceof Long) || (Long) d < 0 || (Long) d > (1L << 28)) throw new TfjsFormatException("tensor '" + name + "': bad dimension " + d);
            shape[k] = (int) (long) (Long) d;
            count *= shape[k];
            if (count > (1L << 28)) throw new TfjsFormatException("tensor '" + name + "': more than 2^28 elements");
        }
        int bytes;
        switch (dtype) {
            case "float32": case "int32": bytes = 4; break;
            case "bool": bytes = 1; break;
            default: throw new TfjsFormatException("tensor '" + name + "': dtype '" + dtype + "' is not supported (float32, int32, bool)");
        }
        String quant = null;
        double scale = 1, min = 0;
        if (w.get("quantization") != null) {
            if (!(w.get("quantization") instanceof Map)) throw new TfjsFormatException("tensor '" + name + "': quantization is not an object");
            Map<String, Object> q = (Map<String, Object>) w.get("quantization");
            if (!(q.get("dtype") instanceof String)) throw new TfjsFormatException("tensor '" + name + "': quantization has no dtype");
            quant = (String) q.get("dtype");
            switch (quant) {
                case "uint8": bytes = 1; break;
                case "uint16": bytes = 2; break;
                case "float16":
                    if (!dtype.equals("float32")) throw new TfjsFormatException("tensor '" + name + "': float16 quantization of a " + dtype + " tensor");
                    bytes = 2;
                    break;
                default: throw new TfjsFormatException("tensor '" + name + "': quantization dtype '" + quant + "' is not supported (uint8, uint16, float16)");
            }
            if (!quant.equals("float16")) {
                if (!(q.get("scale") instanceof Number) || !(q.get("min") instanceof Number)) {
                    throw new TfjsFormatException("tensor '" + name + "': " + quant + " quantization needs a scale and a min");
                }
                scale = ((Number) q.get("scale")).doubleValue();
                min = ((Number) q.get("min")).doubleValue();
                if (!Double.isFinite(scale) || !Double.isFinite(min)) throw new TfjsFormatException("tensor '" + name + "': quantization scale and min must be finite");
                if (dtype.equals("bool")) throw new TfjsFormatException("tensor '" + name + "': a bool tensor cannot be quantized");
            }
        }
        return new Entry(name, dtype, shape, count, quant, scale, min, bytes);
    }

    private static ConstTensor decode(Entry e, ByteBuffer bb) {
        int n = (int) e.count;
        if (e.quant == null) {
            if (e.dtype.equals("float32")) {
                float[] f = new float[n];
                for (int k = 0; k < n; k++) f[k] = bb.getFloat();
                return ConstTensor.ofFloats(e.name, e.shape, f, null);
            }
            int[] v = new int[n];
            for (int k = 0; k < n; k++) v[k] = e.dtype.equals("bool") ? (bb.get() != 0 ? 1 : 0) : bb.getInt();
            return ConstTensor.ofInts(e.name, e.dtype, e.shape, v);
        }
        if (e.quant.equals("float16")) {
            short[] h = new short[n];
            float[] f = new float[n];
            for (int k = 0; k < n; k++) {
                h[k] = bb.getShort();
                f[k] = Float16.toFloat(h[k]);
            }
            return ConstTensor.ofFloats(e.name, e.shape, f, h);
        }
        // uint8/uint16 affine: TF.js computes q * scale + min in double and stores the result as float32 or rounds it to int32
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            int q = e.quant.equals("uint8") ? Byte.toUnsignedInt(bb.get()) : Short.toUnsignedInt(bb.getShort());
            d[k] = q * e.scale + e.min;
        }
        if (e.dtype.equals("int32")) {
            int[] v = new int[n];
            for (int k = 0; k < n; k++) v[k] = (int) Math.round(d[k]);
            return ConstTensor.ofInts(e.name, e.dtype, e.shape, v);
        }
        float[] f = new float[n];
        for (int k = 0; k < n; k++) f[k] = (float) d[k];
        return ConstTensor.ofFloats(e.name, e.shape, f, null);
    }

    /** Every Const node needs a manifest entry of its declared dtype and shape. */
    @SuppressWarnings("unchecked")
    private static void checkConsts(List<TfNode> nodes, Map<String, ConstTensor> weights) throws TfjsFormatException {
        for (TfNode n : nodes) {
            if (!n.op.equals("Const")) continue;
            ConstTensor t = weights.get(n.name);
            if (t == null) throw new TfjsFormatException("tensor '" + n.name + "': Const node without weights in the manifest");
            String declared = n.type("dtype", null);
            if (declared != null) {
                String want;
                switch (declared) {
                    case "DT_FLOAT": want = "float32"; break;
                    case "DT_INT32": want = "int32"; break;
                    case "DT_BOOL": want = "bool"; break;
                    default: want = declared;
                }
                if (!want.equals(t.dtype)) throw new TfjsFormatException("tensor '" + n.name + "': the graph declares " + declared + ", the manifest " + t.dtype);
            }
            Map<String, Object> decl = n.tensorDecl();
            if (decl != null && decl.get("tensorShape") instanceof Map) {
                Object dims = ((Map<String, Object>) decl.get("tensorShape")).get("dim");
                List<Object> dl = dims instanceof List ? (List<Object>) dims : List.of();
                int[] shape = new int[dl.size()];
                for (int k = 0; k < shape.length; k++) {
                    Object size = dl.get(k) instanceof Map ? ((Map<String, Object>) dl.get(k)).get("size") : null;
                    try {
                        shape[k] = size == null ? 0 : Integer.parseInt(String.valueOf(size));
                    } catch (NumberFormatException e) {
                        throw new TfjsFormatException("tensor '" + n.name + "': bad declared dimension " + size);
                    }
                }
                if (!Arrays.equals(shape, t.shape)) {
                    throw new TfjsFormatException("tensor '" + n.name + "': the graph declares shape " + Arrays.toString(shape) + ", the manifest " + Arrays.toString(t.shape));
                }
            }
        }
    }

    /** The graph's nodes by name. */
    Map<String, TfNode> byName() throws TfjsFormatException {
        Map<String, TfNode> m = new LinkedHashMap<>();
        for (TfNode n : nodes) if (m.put(n.name, n) != null) throw new TfjsFormatException("model.json: two nodes are named '" + n.name + "'");
        return m;
    }
}
