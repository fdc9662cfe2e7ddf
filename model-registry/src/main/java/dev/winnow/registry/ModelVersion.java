package dev.winnow.registry;

import java.util.Map;

/** An immutable published version of a model: its artifact (by digest) and what was known at publish time. */
public record ModelVersion(String model, int version, String sha256, long size, String family, Map<String, Double> metrics,
                           Map<String, String> tags, String uploader, long publishedMillis, boolean archived) {

    ModelVersion archive() {
        return new ModelVersion(model, version, sha256, size, family, metrics, tags, uploader, publishedMillis, true);
    }
}
