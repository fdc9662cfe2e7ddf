package dev.winnow.tools.detect;

import dev.winnow.registry.HttpRegistryClient;
import dev.winnow.registry.RegistryLocations;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model registry as {@code winnow detector adapt} uses it: a directory (in-process, through
 * {@link ModelRegistry}) or a server URL (through {@link HttpRegistryClient}). The zoo of a model name is
 * every version some alias points at: the per-camera students that adapt published under their
 * camera's alias, and whatever else the operators promoted.
 */
final class ModelZoo {
    /** A zoo member: its version and the aliases pointing at it. */
    record Member(int version, List<String> aliases, byte[] artifact) {}

    private final ModelRegistry local;
    private final HttpRegistryClient http;
    private final String actor = System.getProperty("user.name", "winnow-adapt");

    private ModelZoo(ModelRegistry local, HttpRegistryClient http) {
        this.local = local;
        this.http = http;
    }

    /**
     * {@code where}: a registry location (directory, s3://, hdfs://) or an http(s) URL. {@code trusted}: keys whose signatures the registry
     * requires (empty: any artifact); a local registry then also refuses to store anything they did not sign.
     */
    static ModelZoo open(String where, List<PublicKey> trusted, String token) throws IOException, RegistryException {
        if (where.startsWith("http://") || where.startsWith("https://"))
            return new ModelZoo(null, new HttpRegistryClient(URI.create(where), token, null, trusted, 3, java.time.Duration.ofMillis(200)));
        return new ModelZoo(new ModelRegistry(RegistryLocations.open(where), trusted, Clock.systemUTC()), null);
    }

    /** The versions of {@code model} that an alias points at, oldest first; empty when the model is not published yet. */
    List<Member> members(String model) throws IOException, RegistryException {
        Map<Integer, List<String>> byVersion = new TreeMap<>();
        try {
            for (Map.Entry<String, Integer> e : aliases(model).entrySet()) byVersion.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.NOT_FOUND) return List.of();
            throw e;
        }
        List<Member> out = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> e : byVersion.entrySet()) {
            List<String> names = new ArrayList<>(e.getValue());
            names.sort(null);
            out.add(new Member(e.getKey(), names, artifact(model, e.getKey())));
        }
        return out;
    }

    private Map<String, Integer> aliases(String model) throws IOException, RegistryException {
        if (local != null) return local.aliases(model);
        Map<String, Integer> out = new TreeMap<>();
        Object a = http.show(model).get("aliases");
        if (a instanceof Map<?, ?> m) m.forEach((k, v) -> out.put((String) k, ((Number) v).intValue()));
        return out;
    }

    private byte[] artifact(String model, int version) throws IOException, RegistryException {
        if (local != null) return local.artifact(local.version(model, version));
        return http.fetch(http.resolve(model + ":" + version));
    }

    /** Publishes {@code artifact} as the next version of {@code model} and points {@code alias} at it, in one commit. */
    ModelVersion publish(String model, byte[] artifact, Map<String, String> tags, String alias) throws IOException, RegistryException {
        // one commit: a crash or a lost connection between two calls left the student published and the camera's alias unmoved
        return local != null ? local.publish(model, artifact, actor, tags, false, alias) : http.publish(model, artifact, tags, false, alias);
    }
}
