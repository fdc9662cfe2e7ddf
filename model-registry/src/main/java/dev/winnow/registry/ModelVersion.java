package dev.winnow.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable published version of a model: its artifact (by digest) and what was known at publish
 * time. Build one with {@link #builder}; the canonical constructor checks the same rules, so no
 * version with a blank name, a version number below 1 or a malformed digest exists.
 */
public record ModelVersion(String model, int version, String sha256, String signer, long size, String family, Map<String, Double> metrics,
                           Map<String, String> tags, String uploader, long publishedMillis, boolean archived) {

    public ModelVersion {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("model version: model name is missing");
        if (version < 1) throw new IllegalArgumentException("model version " + model + ": version must be >= 1, is " + version);
        Digests.requireHex64(sha256, "sha256", "model version " + model + ":" + version);
        if (signer != null) Digests.requireHex64(signer, "signer", "model version " + model + ":" + version);
        if (size < 0) throw new IllegalArgumentException("model version " + model + ":" + version + ": size must be >= 0, is " + size);
        if (publishedMillis < 0) throw new IllegalArgumentException("model version " + model + ":" + version + ": publish time must be >= 0, is " + publishedMillis);
        // insertion order is kept: the CLI and the HTTP API print metrics and tags as they were published
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** A version to fill in by name; {@link Builder#build} checks it. */
    public static Builder builder(String model, int version, String sha256) {
        return new Builder(model, version, sha256);
    }

    ModelVersion archive() {
        return toBuilder().archived(true).build();
    }

    Builder toBuilder() {
        return builder(model, version, sha256).signer(signer).size(size).family(family).metrics(metrics).tags(tags).uploader(uploader)
                .publishedMillis(publishedMillis).archived(archived);
    }

    /** Names the optional parts of a {@link ModelVersion}; the identity (model, version, digest) is required up front. */
    public static final class Builder {
        private final String model;
        private final int version;
        private final String sha256;
        private String signer;
        private long size;
        private String family;
        private Map<String, Double> metrics = Map.of();
        private Map<String, String> tags = Map.of();
        private String uploader;
        private long publishedMillis;
        private boolean archived;

        private Builder(String model, int version, String sha256) {
            this.model = model;
            this.version = version;
            this.sha256 = sha256;
        }

        /** Hex of the raw Ed25519 key that signed the artifact; null for an unsigned one. */
        public Builder signer(String signer) { this.signer = signer; return this; }
        public Builder size(long bytes) { this.size = bytes; return this; }
        public Builder family(String family) { this.family = family; return this; }
        public Builder metrics(Map<String, Double> metrics) { this.metrics = metrics; return this; }
        public Builder tags(Map<String, String> tags) { this.tags = tags; return this; }
        public Builder uploader(String uploader) { this.uploader = uploader; return this; }
        public Builder publishedMillis(long millis) { this.publishedMillis = millis; return this; }
        public Builder archived(boolean archived) { this.archived = archived; return this; }

        /** The version; throws IllegalArgumentException naming the first field that is out of range. */
        public ModelVersion build() {
            return new ModelVersion(model, version, sha256, signer, size, family, metrics, tags, uploader, publishedMillis, archived);
        }
    }
}
