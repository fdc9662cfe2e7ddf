package dev.winnow.registry;

import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change to the registry, with its place in the registry-wide sequence. The log of events is
 * the registry: versions, aliases and archive marks are what replaying it gives. Build one with
 * {@link #builder}; the canonical constructor checks the same rules, so an event read from a log
 * that breaks them is refused as unreadable rather than replayed.
 */
public record RegistryEvent(long sequence, Type type, String model, int version, String alias, int previousVersion,
                            String sha256, String signer, long size, String family, Map<String, Double> metrics, Map<String, String> tags,
                            String actor, long timeMillis) {

    public enum Type { PUBLISH, ALIAS_SET, ALIAS_REMOVED, ARCHIVE }

    public RegistryEvent {
        if (sequence < 1) throw new IllegalArgumentException("registry event: sequence must be >= 1, is " + sequence);
        if (type == null) throw new IllegalArgumentException("registry event " + sequence + ": type is missing");
        if (model == null || model.isBlank()) throw new IllegalArgumentException("registry event " + sequence + ": model is missing");
        if (version < 1) throw new IllegalArgumentException("registry event " + sequence + ": version must be >= 1, is " + version);
        if ((type == Type.ALIAS_SET || type == Type.ALIAS_REMOVED) && (alias == null || alias.isBlank())) {
            throw new IllegalArgumentException("registry event " + sequence + ": " + type + " needs an alias");
        }
        if (type == Type.PUBLISH && sha256 == null) throw new IllegalArgumentException("registry event " + sequence + ": PUBLISH needs the artifact's sha256");
        if (sha256 != null) Digests.requireHex64(sha256, "sha256", "registry event " + sequence);
        if (signer != null) Digests.requireHex64(signer, "signer", "registry event " + sequence);
        if (previousVersion < 0 || size < 0 || timeMillis < 0) {
            throw new IllegalArgumentException("registry event " + sequence + ": previous version, size and time must be >= 0");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** An event to fill in by name: what every event has is required up front, the rest as its type needs. */
    public static Builder builder(long sequence, Type type, String model, int version) {
        return new Builder(sequence, type, model, version);
    }

    /** Names the parts of a {@link RegistryEvent} that only some types carry; {@link #build} checks them. */
    public static final class Builder {
        private final long sequence;
        private final Type type;
        private final String model;
        private final int version;
        private String alias;
        private int previousVersion;
        private String sha256;
        private String signer;
        private long size;
        private String family;
        private Map<String, Double> metrics;
        private Map<String, String> tags;
        private String actor;
        private long timeMillis;

        private Builder(long sequence, Type type, String model, int version) {
            this.sequence = sequence;
            this.type = type;
            this.model = model;
            this.version = version;
        }

        public Builder alias(String alias) { this.alias = alias; return this; }
        /** The version the alias pointed at before (0: none). */
        public Builder previousVersion(int previous) { this.previousVersion = previous; return this; }
        public Builder sha256(String sha256) { this.sha256 = sha256; return this; }
        /** Hex of the raw Ed25519 key that signed the artifact (null: unsigned); part of the stored blob's name. */
        public Builder signer(String signer) { this.signer = signer; return this; }
        public Builder size(long bytes) { this.size = bytes; return this; }
        public Builder family(String family) { this.family = family; return this; }
        public Builder metrics(Map<String, Double> metrics) { this.metrics = metrics; return this; }
        public Builder tags(Map<String, String> tags) { this.tags = tags; return this; }
        public Builder actor(String actor) { this.actor = actor; return this; }
        public Builder timeMillis(long millis) { this.timeMillis = millis; return this; }

        /** The event; throws IllegalArgumentException naming the first rule it breaks. */
        public RegistryEvent build() {
            return new RegistryEvent(sequence, type, model, version, alias, previousVersion, sha256, signer, size, family, metrics, tags, actor, timeMillis);
        }
    }

    /** True when replaying this event points {@link #alias} at {@link #version}: an ALIAS_SET, or a PUBLISH that named an alias. */
    public boolean movesAlias() {
        return alias != null && (type == Type.ALIAS_SET || type == Type.PUBLISH);
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
        if (signer != null) m.put("signer", signer);
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
            return builder(((Number) m.get("seq")).longValue(), Type.valueOf(((String) m.get("type")).toUpperCase()),
                    (String) m.get("model"), RegistryJson.versionNumber(m.get("version"), "version"))
                    .alias((String) m.get("alias")).previousVersion(m.containsKey("previous") ? RegistryJson.versionNumber(m.get("previous"), "previous") : 0)
                    .sha256((String) m.get("sha256")).signer((String) m.get("signer")).size(m.containsKey("size") ? ((Number) m.get("size")).longValue() : 0)
                    .family((String) m.get("family")).metrics(metrics).tags(tags)
                    .actor((String) m.get("actor")).timeMillis(((Number) m.get("time")).longValue()).build();
        } catch (ModelFormatException | RuntimeException e) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "unreadable event record: " + e.getMessage(), e);
        }
    }
}
