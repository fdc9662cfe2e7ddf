package dev.winnow.tools.imports.tfjs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One node of the GraphDef that a TF.js {@code model.json} carries as JSON: its name, op type, data
 * inputs ({@code name} or {@code name:k}; control inputs {@code ^name} are dropped, they order
 * execution but carry no value) and attributes in the AttrValue JSON encoding.
 */
final class TfNode {
    final String name;
    final String op;
    final List<String> inputs;
    private final Map<String, Object> attrs;

    TfNode(String name, String op, List<String> inputs, Map<String, Object> attrs) {
        this.name = name;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.attrs = attrs;
    }

    @SuppressWarnings("unchecked")
    static TfNode of(Object json, int index) throws TfjsFormatException {
        if (!(json instanceof Map)) throw new TfjsFormatException("model.json: node " + index + " is not an object");
        Map<String, Object> m = (Map<String, Object>) json;
        Object name = m.get("name"), op = m.get("op");
        if (!(name instanceof String) || ((String) name).isEmpty()) throw new TfjsFormatException("model.json: node " + index + " has no name");
        if (!(op instanceof String)) throw new TfjsFormatException("model.json: node '" + name + "' has no op");
        List<String> in = new ArrayList<>();
        Object raw = m.get("input");
        if (raw != null) {
            if (!(raw instanceof List)) throw new TfjsFormatException("model.json: node '" + name + "': input must be a list");
            for (Object o : (List<Object>) raw) {
                if (!(o instanceof String)) throw new TfjsFormatException("model.json: node '" + name + "': an input is not a string");
                if (!((String) o).startsWith("^")) in.add((String) o);
            }
        }
        Object a = m.get("attr");
        if (a != null && !(a instanceof Map)) throw new TfjsFormatException("model.json: node '" + name + "': attr must be an object");
        return new TfNode((String) name, (String) op, in, a == null ? Map.of() : (Map<String, Object>) a);
    }

    /** The node that produces an input reference {@code name}, {@code name:k}. */
    static String producer(String ref) {
        int c = ref.lastIndexOf(':');
        if (c > 0 && ref.substring(c + 1).chars().allMatch(Character::isDigit)) return ref.substring(0, c);
        return ref;
    }

    /** Which output of its producer an input reference names (0 unless {@code :k}). */
    static int outputIndex(String ref) {
        int c = ref.lastIndexOf(':');
        if (c > 0 && c < ref.length() - 1 && ref.substring(c + 1).chars().allMatch(Character::isDigit)) return Integer.parseInt(ref.substring(c + 1));
        return 0;
    }

    boolean has(String key) {
        return attrs.containsKey(key);
    }

    TfjsFormatException error(String what) {
        return new TfjsFormatException("node '" + name + "' (" + op + "): " + what);
    }

    @SuppressWarnings("unchecked")
    private Object value(String key, String kind) throws TfjsFormatException {
        Object v = attrs.get(key);
        if (v == null) return null;
        if (!(v instanceof Map)) throw error("attribute '" + key + "' is not an AttrValue object");
        return ((Map<String, Object>) v).get(kind);
    }

    /** A string attribute; TF.js stores {@code s} base64-encoded. */
    String string(String key, String dflt) throws TfjsFormatException {
        Object v = value(key, "s");
        if (v == null) return dflt;
        if (!(v instanceof String)) throw error("attribute '" + key + "' is not a string");
        try {
            return new String(Base64.getDecoder().decode((String) v), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw error("attribute '" + key + "' is not base64");
        }
    }

    boolean bool(String key, boolean dflt) throws TfjsFormatException {
        Object v = value(key, "b");
        if (v == null) return dflt;
        if (!(v instanceof Boolean)) throw error("attribute '" + key + "' is not a boolean");
        return (Boolean) v;
    }

    /** An integer attribute; int64 values arrive as JSON strings. */
    long integer(String key, long dflt) throws TfjsFormatException {
        Object v = value(key, "i");
        if (v == null) return dflt;
        return toLong(key, v);
    }

    String type(String key, String dflt) throws TfjsFormatException {
        Object v = value(key, "type");
        if (v == null) return dflt;
        if (!(v instanceof String)) throw error("attribute '" + key + "' is not a type name");
        return (String) v;
    }

    /** A list of integers ({@code list.i}), or null when absent. */
    @SuppressWarnings("unchecked")
    long[] ints(String key) throws TfjsFormatException {
        Object l = value(key, "list");
        if (l == null) return null;
        if (!(l instanceof Map)) throw error("attribute '" + key + "' is not a list");
        Object i = ((Map<String, Object>) l).get("i");
        if (i == null) return new long[0];
        if (!(i instanceof List)) throw error("attribute '" + key + "' is not an integer list");
        List<Object> li = (List<Object>) i;
        long[] out = new long[li.size()];
        for (int k = 0; k < out.length; k++) out[k] = toLong(key, li.get(k));
        return out;
    }

    /** A list of strings ({@code list.s}, base64), or an empty list when absent. */
    @SuppressWarnings("unchecked")
    List<String> strings(String key) throws TfjsFormatException {
        Object l = value(key, "list");
        if (l == null) return List.of();
        if (!(l instanceof Map)) throw error("attribute '" + key + "' is not a list");
        Object s = ((Map<String, Object>) l).get("s");
        if (s == null) return List.of();
        if (!(s instanceof List)) throw error("attribute '" + key + "' is not a string list");
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) s) {
            if (!(o instanceof String)) throw error("attribute '" + key + "' has a non-string entry");
            try {
                out.add(new String(Base64.getDecoder().decode((String) o), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw error("attribute '" + key + "' is not base64");
            }
        }
        return out;
    }

    /** A shape attribute ({@code shape.dim[].size}; -1 for an unknown size), or null when absent or unknown rank. */
    @SuppressWarnings("unchecked")
    int[] shapeAttr(String key) throws TfjsFormatException {
        Object v = value(key, "shape");
        if (!(v instanceof Map)) return null;
        Map<String, Object> s = (Map<String, Object>) v;
        if (Boolean.TRUE.equals(s.get("unknownRank"))) return null;
        Object dims = s.get("dim");
        if (dims == null) return new int[0];
        if (!(dims instanceof List)) throw error("attribute '" + key + "' has no dim list");
        List<Object> dl = (List<Object>) dims;
        int[] out = new int[dl.size()];
        for (int k = 0; k < out.length; k++) {
            Object size = dl.get(k) instanceof Map ? ((Map<String, Object>) dl.get(k)).get("size") : null;
            out[k] = size == null ? -1 : (int) toLong(key, size);
        }
        return out;
    }

    /** The {@code value.tensor} declaration of a Const node: dtype and shape, or null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> tensorDecl() throws TfjsFormatException {
        Object t = value("value", "tensor");
        if (t == null) return null;
        if (!(t instanceof Map)) throw error("attribute 'value' has no tensor object");
        return (Map<String, Object>) t;
    }

    private long toLong(String key, Object v) throws TfjsFormatException {
        try {
            if (v instanceof String) return Long.parseLong((String) v);
            if (v instanceof Long) return (Long) v;
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw error("attribute '" + key + "' has a non-integer value " + v);
    }

    @Override
    public String toString() {
        return op + " " + name;
    }
}
