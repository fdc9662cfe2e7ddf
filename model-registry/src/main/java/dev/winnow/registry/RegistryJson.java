package dev.winnow.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON shapes of the HTTP API, shared by server and client. */
final class RegistryJson {
    private RegistryJson() {}

    static Map<String, Object> version(ModelVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", v.model());
        m.put("version", (long) v.version());
        m.put("sha256", v.sha256());
        if (v.signer() != null) m.put("signer", v.signer());
        m.put("size", v.size());
        m.put("family", v.family());
        m.put("metrics", new LinkedHashMap<String, Object>(v.metrics()));
        m.put("tags", new LinkedHashMap<String, Object>(v.tags()));
        m.put("uploader", v.uploader());
        m.put("published", v.publishedMillis());
        m.put("archived", v.archived());
        return m;
    }

    @SuppressWarnings("unchecked")
    static ModelVersion version(Map<String, Object> m) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        ((Map<String, Object>) m.getOrDefault("metrics", Map.of())).forEach((k, v) -> metrics.put(k, ((Number) v).doubleValue()));
        Map<String, String> tags = new LinkedHashMap<>();
        ((Map<String, Object>) m.getOrDefault("tags", Map.of())).forEach((k, v) -> tags.put(k, String.valueOf(v)));
        return ModelVersion.builder((String) m.get("model"), versionNumber(m.get("version"), "version"), (String) m.get("sha256"))
                .signer((String) m.get("signer")).size(((Number) m.get("size")).longValue()).family((String) m.get("family")).metrics(metrics).tags(tags)
                .uploader((String) m.get("uploader")).publishedMillis(((Number) m.get("published")).longValue())
                .archived(Boolean.TRUE.equals(m.get("archived"))).build();
    }

    /**
     * A version number from JSON: an integer in int range, else IllegalArgumentException (callers turn
     * it into a registry error). Narrowing a long silently would turn 2^32 + 1 into version 1.
     */
    static int versionNumber(Object o, String what) {
        if (!(o instanceof Long) || (Long) o < 0 || (Long) o > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be an integer from 0 to " + Integer.MAX_VALUE + ", is " + Names.abbreviate(String.valueOf(o)));
        }
        return (int) (long) (Long) o;
    }

    static Map<String, Object> event(RegistryEvent e) throws RegistryException {
        try {
            return dev.winnow.runtime.format.Json.parseObject(new String(e.toJson(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (dev.winnow.runtime.format.ModelFormatException x) {
            throw new IllegalStateException(x);
        }
    }

    static RegistryEvent event(Map<String, Object> m) throws RegistryException {
        return RegistryEvent.fromJson(dev.winnow.runtime.format.Json.write(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static List<Object> list(List<?> items) {
        return new ArrayList<>(items);
    }
}
