package dev.winnow.registry;

import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change to the registry, with its place in the registry-wide sequence. The log of events is
 * the registry: versions, aliases and archive marks are what replaying it gives.
 */
public record RegistryEvent(long sequence, Type type, String model, int version, String alias, int previousVersion,
                            String sha256, long size, String family, Map<String, Double> metrics, Map<String, String> tags,
                            String actor, long timeMillis) {

    public enum Type { PUBLISH, ALIAS_SET, ALIAS_REMOVED, ARCHIVE }

    public RegistryEvent {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", sequence);
        m.put("type", type.name().toLowerCase());
        m.put("model", model);
        m.put("version", (long) version);
        if (alias != null) m.put("alias", alias);
        if (previousVersion > 0) m.put("previous", (long) previousVersion);
        if (sha256 != null) m.put("sha256", sha256);
        if (size > 0) m.put("size", size);
        if (family != null) m.put("family", family);
        if (!metrics.isEmpty()) m.put("metrics", new LinkedHashMap<String, Object>(metrics));
        if (!tags.isEmpty()) m.put("tags", new LinkedHashMap<String, Object>(tags));
        m.put("actor", actor);
        m.put("time", timeMillis);
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static RegistryEvent fromJson(byte[] bytes) throws RegistryException {
        try {
            Map<String, Object> m = Json.parseObject(new String(bytes, StandardCharsets.UTF_8));
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (m.get("metrics") instanceof Map) ((Map<String, Object>) m.get("metrics")).forEach((k, v) -> metrics.put(k, ((Number) v).doubleValue()));
            Map<String, String> tags = new LinkedHashMap<>();
            if (m.get("tags") instanceof Map) ((Map<String, Object>) m.get("tags")).forEach((k, v) -> tags.put(k, String.valueOf(v)));
            return new RegistryEvent(((Number) m.get("seq")).longValue(), Type.valueOf(((String) m.get("type")).toUpperCase()),
                    (String) m.get("model"), ((Number) m.get("version")).intValue(), (String) m.get("alias"),
                    m.containsKey("previous") ? ((Number) m.get("previous")).intValue() : 0, (String) m.get("sha256"),
                    m.containsKey("size") ? ((Number) m.get("size")).longValue() : 0, (String) m.get("family"), metrics, tags,
                    (String) m.get("actor"), ((Number) m.get("time")).longValue());
        } catch (ModelFormatException | RuntimeException e) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "unreadable event record: " + e.getMessage(), e);
        }
    }
}
