package dev.winnow.examples.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which model versions decided a run's records, per camera or sensor and overall, read back from
 * the CSV outputs: "person-detector v1 (64 frames), v2 (30 frames)".
 */
public final class ModelsUsed {
    /** "name vN" in version order, then by name. */
    private static final java.util.Comparator<String> ORDER = java.util.Comparator
            .<String>comparingInt(v -> Integer.parseInt(v.substring(v.lastIndexOf(" v") + 2))).thenComparing(v -> v);

    private final Map<String, Map<String, Long>> byKey = new TreeMap<>();
    private final Map<String, Long> all = new TreeMap<>(ORDER);

    /** Counts one record of {@code key} decided by {@code model} version {@code version}. */
    public void add(String key, String model, int version) {
        String v = model + " v" + version;
        byKey.computeIfAbsent(key, k -> new TreeMap<>(ORDER)).merge(v, 1L, Long::sum);
        all.merge(v, 1L, Long::sum);
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    /** The versions that decided {@code key}'s records, e.g. "person-detector v1, v2"; "none" without records; {@code *}: any key's. */
    public String of(String key) {
        if (key.equals("*")) return all.isEmpty() ? "none" : compact(new ArrayList<>(all.keySet()));
        Map<String, Long> m = byKey.get(key);
        return m == null ? "none" : compact(new ArrayList<>(m.keySet()));
    }

    /** The versions that decided any of {@code keys}' records. */
    public String of(List<String> keys) {
        List<String> vs = new ArrayList<>();
        for (String k : keys) {
            Map<String, Long> m = byKey.get(k);
            if (m != null) for (String v : m.keySet()) if (!vs.contains(v)) vs.add(v);
        }
        vs.sort(ORDER);
        return vs.isEmpty() ? "none" : compact(vs);
    }

    /** Every version with its record count, e.g. "person-detector v1 (64 frames), v2 (30 frames)". */
    public String summary(String unit) {
        if (all.isEmpty()) return "no " + unit + " decided";
        List<String> parts = new ArrayList<>();
        String lastModel = null;
        for (Map.Entry<String, Long> e : all.entrySet()) {
            int sp = e.getKey().lastIndexOf(" v");
            String model = e.getKey().substring(0, sp);
            parts.add((model.equals(lastModel) ? e.getKey().substring(sp + 1) : e.getKey()) + " (" + e.getValue() + " " + unit + ")");
            lastModel = model;
        }
        return String.join(", ", parts);
    }

    /** "a v1", "a v2" → "a v1, v2": the model name once per run of versions. */
    private static String compact(List<String> versions) {
        StringBuilder b = new StringBuilder();
        String lastModel = null;
        for (String v : versions) {
            int sp = v.lastIndexOf(" v");
            String model = v.substring(0, sp);
            if (b.length() > 0) b.append(", ");
            b.append(model.equals(lastModel) ? v.substring(sp + 1) : v);
            lastModel = model;
        }
        return b.toString();
    }
}
