package dev.winnow.runtime.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader and a deterministic writer for artifact metadata. Values map to
 * {@code Map<String, Object>} (insertion-ordered), {@code List<Object>}, {@code String},
 * {@code Long} (integers), {@code Double}, {@code Boolean} and {@code null}.
 *
 * <p>The runtime has no dependencies, and metadata comes from untrusted files, so this parser is
 * iterative-safe by a depth limit, rejects duplicate keys and trailing garbage, and reports every
 * problem as a {@link ModelFormatException} with the character offset.
 */
public final class Json {
    public static final int MAX_DEPTH = 64;

    /** The one-letter escapes JSON reads (after a backslash) and the characters they stand for. */
    private static final String ESCAPES = "\"\\/bfnrt", ESCAPED = "\"\\/\b\f\n\r\t";
    /** The characters the writer escapes with one letter, and those letters; other control characters it writes as four hex digits. */
    private static final String WRITTEN_ESCAPED = "\"\\\n\r\t", WRITTEN_ESCAPES = "\"\\nrt";

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value filling the whole text. */
    public static Object parse(String text) throws ModelFormatException {
        Json p = new Json(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) throw p.error("unexpected trailing characters");
        return v;
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) throws ModelFormatException {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new ModelFormatException("metadata: expected a JSON object");
        return (Map<String, Object>) v;
    }

    private ModelFormatException error(String what) {
        return new ModelFormatException("metadata JSON: " + what + " at character " + pos);
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    private Object value(int depth) throws ModelFormatException {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        if (pos >= s.length()) throw error("unexpected end");
        char c = s.charAt(pos);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected character '" + c + "'");
        }
    }

    private Object literal(String word, Object v) throws ModelFormatException {
        if (!s.startsWith(word, pos)) throw error("expected " + word);
        pos += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) throws ModelFormatException {
        Map<String, Object> m = new LinkedHashMap<>();
        if (opensEmpty('}')) return m;
        do {
            ws();
            if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a string key");
            String key = string();
            ws();
            expect(':');
            ws();
            Object v = value(depth + 1);
            if (m.containsKey(key)) throw error("duplicate key '" + key + "'");
            m.put(key, v);
        } while (another('}', "object"));
        return m;
    }

    private List<Object> array(int depth) throws ModelFormatException {
        List<Object> list = new ArrayList<>();
        if (opensEmpty(']')) return list;
        do {
            ws();
            list.add(value(depth + 1));
        } while (another(']', "array"));
        return list;
    }

    /** Steps past an opening bracket and the white space after it; true, past {@code close} too, when nothing stands between them. */
    private boolean opensEmpty(char close) {
        pos++;
        ws();
        if (pos < s.length() && s.charAt(pos) == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After an element: true past a ',' (another element follows), false past {@code close}; anything else is an error. */
    private boolean another(char close, String container) throws ModelFormatException {
        ws();
        if (pos >= s.length()) throw error("unterminated " + container);
        char c = s.charAt(pos++);
        if (c == close) return false;
        if (c != ',') throw error("expected ',' or '" + close + "'");
        return true;
    }

    private void expect(char c) throws ModelFormatException {
        if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "'");
        pos++;
    }

    private String string() throws ModelFormatException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("control character in string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            int k = ESCAPES.indexOf(e);
            if (k >= 0) {
                sb.append(ESCAPED.charAt(k));
            } else if (e == 'u') {
                if (pos + 4 > s.length()) throw error("short \\u escape");
                int cp = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(s.charAt(pos++), 16);
                    if (d < 0) throw error("bad hex digit in \\u escape");
                    cp = cp * 16 + d;
                }
                sb.append((char) cp);
            } else {
                throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private Object number() throws ModelFormatException {
        int start = pos;
        if (s.charAt(pos) == '-') pos++;
        int intStart = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        if (pos == intStart) throw error("digit expected");
        if (s.charAt(intStart) == '0' && pos - intStart > 1) throw error("leading zero");
        boolean integral = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            int fs = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos == fs) throw error("digit expected after '.'");
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
            int es = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos == es) throw error("digit expected in exponent");
        }
        String lit = s.substring(start, pos);
        if (integral && pos - start <= 18) return Long.parseLong(lit);
        double d = Double.parseDouble(lit);
        if (Double.isInfinite(d)) throw error("number out of range");
        return d;
    }

    /** Writes a value as compact JSON; maps keep their iteration order, so output is deterministic. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            quote(sb, (String) v);
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON cannot hold " + d);
            if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d).append(".0");
            else sb.append(d);
        } else if (v instanceof Number) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : inStableOrder((Map<String, Object>) v)) {
                if (!first) sb.append(',');
                first = false;
                quote(sb, e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<Object>) v) {
                if (!first) sb.append(',');
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else if (v instanceof int[]) {
            List<Object> l = new ArrayList<>();
            for (int x : (int[]) v) l.add((long) x);
            write(sb, l);
        } else if (v instanceof float[]) {
            List<Object> l = new ArrayList<>();
            for (float x : (float[]) v) l.add((double) x);
            write(sb, l);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int k = WRITTEN_ESCAPED.indexOf(c);
            if (k >= 0) sb.append('\\').append(WRITTEN_ESCAPES.charAt(k));
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        sb.append('"');
    }

    /**
     * A map's entries in an order that depends on its content only: insertion order for the maps that keep one
     * (LinkedHashMap, sorted maps, and the parsed trees {@link #freeze} wraps), key order for the rest. Map.of
     * iterates in an order salted per JVM run, so without this the same model exported twice gets two digests.
     * The writer walks maps in this order, and so does every builder that copies a caller's map into the tree.
     */
    public static <V> Iterable<Map.Entry<String, V>> inStableOrder(Map<String, V> m) {
        if (m instanceof LinkedHashMap || m instanceof java.util.SortedMap || m.getClass() == FROZEN_MAP) return m.entrySet();
        List<Map.Entry<String, V>> es = new ArrayList<>(m.entrySet());
        es.sort(Map.Entry.comparingByKey());
        return es;
    }

    private static final Class<?> FROZEN_MAP = Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();

    /** Deep-unmodifiable view, so a parsed tree can be shared by an immutable model. */
    @SuppressWarnings("unchecked")
    static Object freeze(Object v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) m.put(e.getKey(), freeze(e.getValue()));
            return Collections.unmodifiableMap(m);
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object o : (List<Object>) v) l.add(freeze(o));
            return Collections.unmodifiableList(l);
        }
        return v;
    }
}
