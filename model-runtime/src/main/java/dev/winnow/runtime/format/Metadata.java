package dev.winnow.runtime.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata block of an artifact: a JSON object with typed accessors for the keys Winnow
 * understands. Unknown keys are kept, so a newer writer's extras survive a round trip.
 */
public final class Metadata {
    private final Map<String, Object> json;
    private final InputSpec input;

    private Metadata(Map<String, Object> frozen) throws ModelFormatException {
        this.json = frozen;
        requireString("name");
        requireString("family");
        this.input = parseInput(json.get("input"));
        checkOptional("labels", List.class);
        checkOptional("metrics", Map.class);
        checkOptional("provenance", Map.class);
        checkOptional("graph", Map.class);
        checkOptional("description", String.class);
        Object metrics = json.get("metrics");
        if (metrics != null) {
            for (Map.Entry<String, Object> e : asMap(metrics).entrySet()) {
                if (!(e.getValue() instanceof Number)) throw new ModelFormatException("metadata: metric '" + e.getKey() + "' is not a number");
            }
        }
    }

    /** Validates a parsed JSON tree as artifact metadata. */
    @SuppressWarnings("unchecked")
    public static Metadata of(Map<String, Object> json) throws ModelFormatException {
        return new Metadata((Map<String, Object>) Json.freeze(json));
    }

    public static Builder builder(String name, String family) {
        return new Builder(name, family);
    }

    private void requireString(String key) throws ModelFormatException {
        Object v = json.get(key);
        if (!(v instanceof String) || ((String) v).isEmpty()) {
            throw new ModelFormatException("metadata: '" + key + "' must be a non-empty string");
        }
    }

    private void checkOptional(String key, Class<?> type) throws ModelFormatException {
        Object v = json.get(key);
        if (v != null && !type.isInstance(v)) {
            throw new ModelFormatException("metadata: '" + key + "' must be a " + type.getSimpleName());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static InputSpec parseInput(Object o) throws ModelFormatException {
        if (!(o instanceof Map)) throw new ModelFormatException("metadata: 'input' must be an object");
        Map<String, Object> m = asMap(o);
        Object name = m.get("name");
        Object shape = m.get("shape");
        Object dtype = m.getOrDefault("dtype", "float32");
        Object layout = m.getOrDefault("layout", "features");
        Object pre = m.get("preprocess");
        if (!(name instanceof String)) throw new ModelFormatException("metadata: input.name must be a string");
        if (!(dtype instanceof String) || !(layout instanceof String)) {
            throw new ModelFormatException("metadata: input.dtype and input.layout must be strings");
        }
        if (pre != null && !(pre instanceof Map)) throw new ModelFormatException("metadata: input.preprocess must be an object");
        int[] dims = intArray(shape, "input.shape");
        long n = 1;
        for (int d : dims) {
            if (d < 1) throw new ModelFormatException("metadata: input.shape has a dimension < 1");
            n *= d;
            if (n > TensorData.MAX_ELEMENTS) throw new ModelFormatException("metadata: input.shape is absurdly large");
        }
        return new InputSpec((String) name, dims, (String) dtype, (String) layout, pre == null ? Map.of() : asMap(pre));
    }

    /** Reads a JSON array of integers, e.g. a shape. */
    public static int[] intArray(Object o, String what) throws ModelFormatException {
        if (!(o instanceof List)) throw new ModelFormatException("metadata: " + what + " must be an array of integers");
        List<?> l = (List<?>) o;
        if (l.size() > 16) throw new ModelFormatException("metadata: " + what + " has too many entries");
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = l.get(i);
            if (!(v instanceof Long) || (Long) v < Integer.MIN_VALUE || (Long) v > Integer.MAX_VALUE) {
                throw new ModelFormatException("metadata: " + what + "[" + i + "] is not an integer");
            }
            out[i] = (int) (long) (Long) v;
        }
        return out;
    }

    public String name() { return (String) json.get("name"); }
    public String family() { return (String) json.get("family"); }
    public String description() { return (String) json.getOrDefault("description", ""); }
    public InputSpec inputSpec() { return input; }

    public List<String> labels() {
        Object v = json.get("labels");
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add(String.valueOf(o));
        return Collections.unmodifiableList(out);
    }

    public Map<String, Double> metrics() {
        Object v = json.get("metrics");
        if (v == null) return Map.of();
        Map<String, Double> out = new LinkedHashMap<>();
        asMap(v).forEach((k, n) -> out.put(k, ((Number) n).doubleValue()));
        return Collections.unmodifiableMap(out);
    }

    public Map<String, Object> provenance() {
        Object v = json.get("provenance");
        return v == null ? Map.of() : asMap(v);
    }

    public Optional<Map<String, Object>> graph() {
        Object v = json.get("graph");
        return v == null ? Optional.empty() : Optional.of(asMap(v));
    }

    /** Any top-level key, as parsed JSON. */
    public Object get(String key) {
        return json.get(key);
    }

    /** The whole metadata object (unmodifiable). */
    public Map<String, Object> json() {
        return json;
    }

    public String toJson() {
        return Json.write(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata && json.equals(((Metadata) o).json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    /** Builds metadata in code (tools, tests). */
    public static final class Builder {
        private final Map<String, Object> m = new LinkedHashMap<>();

        private Builder(String name, String family) {
            m.put("name", name);
            m.put("family", family);
        }

        public Builder description(String d) { m.put("description", d); return this; }

        public Builder input(String name, int[] shape, String dtype, String layout, Map<String, Object> preprocess) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("name", name);
            in.put("shape", toList(shape));
            in.put("dtype", dtype);
            in.put("layout", layout);
            if (preprocess != null && !preprocess.isEmpty()) in.put("preprocess", preprocess);
            m.put("input", in);
            return this;
        }

        public Builder labels(List<String> labels) { m.put("labels", new ArrayList<Object>(labels)); return this; }

        @SuppressWarnings("unchecked")
        public Builder metric(String key, double value) {
            ((Map<String, Object>) m.computeIfAbsent("metrics", k -> new LinkedHashMap<String, Object>())).put(key, value);
            return this;
        }

        @SuppressWarnings("unchecked")
        public Builder provenance(String key, Object value) {
            ((Map<String, Object>) m.computeIfAbsent("provenance", k -> new LinkedHashMap<String, Object>())).put(key, value);
            return this;
        }

        public Builder graph(Map<String, Object> graph) { m.put("graph", graph); return this; }

        public Builder put(String key, Object value) { m.put(key, value); return this; }

        public Metadata build() {
            try {
                // normalise through JSON so what is built equals what is read back
                return Metadata.of(Json.parseObject(Json.write(m)));
            } catch (ModelFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        private static List<Object> toList(int[] a) {
            List<Object> l = new ArrayList<>();
            for (int x : a) l.add((long) x);
            return l;
        }
    }
}
