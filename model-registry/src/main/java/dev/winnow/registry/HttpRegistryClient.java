package dev.winnow.registry;

import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Client of {@link RegistryHttpServer}. Transient failures (connection refused, timeouts, 5xx) are
 * retried with exponential backoff; 4xx answers are final. With a cache directory, every fetched
 * artifact and every resolved reference is kept there, so a job restarts on its last known model
 * while the registry is unreachable. A 503 is retried after the server's {@code Retry-After}.
 *
 * <p>Threads: any thread may call any method at once; the JDK HttpClient is thread-safe, and cache
 * files are written to a temporary name and renamed, so concurrent fetches of one artifact leave a
 * whole file.
 */
public final class HttpRegistryClient implements RegistryClient {
    private final URI base;
    private final String token;
    private final Path cache;
    private final List<PublicKey> trusted;
    private final int attempts;
    private final Duration backoff;
    private final HttpClient http;

    public HttpRegistryClient(URI base, String token, Path cacheDir, List<PublicKey> trusted, int attempts, Duration backoff) {
        this.base = base;
        this.token = token;
        this.cache = cacheDir;
        this.trusted = List.copyOf(trusted);
        this.attempts = Math.max(1, attempts);
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpRegistryClient(URI base, String token, Path cacheDir) {
        this(base, token, cacheDir, List.of(), 4, Duration.ofMillis(200));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Sends with retries; returns the final response (any status) or throws the last transport error. */
    private HttpResponse<byte[]> send(HttpRequest.Builder req) throws IOException {
        IOException last = null;
        long delay = backoff.toMillis();
        for (int i = 0; i < attempts; i++) {
            long retryAfter = 0;
            try {
                HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() < 500) return r;
                last = new IOException("registry answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
                // an overloaded server says when to come back; retrying sooner only adds to its load
                if (r.statusCode() == 503) retryAfter = retryAfterMillis(r.headers().firstValue("Retry-After").orElse(null));
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (i + 1 < attempts) {
                try {
                    Thread.sleep(Math.max(delay, retryAfter));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                delay = Math.min(delay * 2, 10_000);
            }
        }
        throw last;
    }

    /** A Retry-After in seconds, capped at a minute (a hostile or broken answer must not park the caller); 0 when absent or not a number. */
    static long retryAfterMillis(String header) {
        if (header == null) return 0;
        try {
            return Math.min(60, Math.max(0, Long.parseLong(header.trim()))) * 1000;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private static Map<String, Object> jsonOrThrow(HttpResponse<byte[]> r) throws RegistryException {
        Map<String, Object> m;
        try {
            m = Json.parseObject(new String(r.body(), StandardCharsets.UTF_8));
        } catch (ModelFormatException e) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent malformed JSON (" + r.statusCode() + ")");
        }
        if (r.statusCode() >= 400) {
            RegistryException.Kind kind;
            switch (r.statusCode()) {
                case 404: kind = RegistryException.Kind.NOT_FOUND; break;
                case 409: kind = RegistryException.Kind.CONFLICT; break;
                case 422: kind = RegistryException.Kind.UNTRUSTED; break;
                default: kind = RegistryException.Kind.BAD_REQUEST;
            }
            throw new RegistryException(kind, r.statusCode() + ": " + m.get("error"));
        }
        return m;
    }

    @Override
    public ModelVersion resolve(String reference) throws IOException, RegistryException {
        ModelReference.parse(reference);
        try {
            ModelVersion v = versionAnswer(jsonOrThrow(send(request("/resolve?ref=" + enc(reference)).GET())));
            if (cache != null) write(cache.resolve("refs").resolve(enc(reference) + ".json"), Json.write(RegistryJson.version(v)).getBytes(StandardCharsets.UTF_8));
            return v;
        } catch (IOException unreachable) {
            Optional<ModelVersion> cached = cachedReference(reference);
            if (cached.isPresent()) return cached.get();
            throw unreachable;
        }
    }

    private Optional<ModelVersion> cachedReference(String reference) {
        if (cache == null) return Optional.empty();
        Path f = cache.resolve("refs").resolve(enc(reference) + ".json");
        try {
            return Optional.of(RegistryJson.version(Json.parseObject(Files.readString(f))));
        } catch (IOException | ModelFormatException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A version as the server described it. The digest becomes a file name in the cache, so it is
     * checked here, at the trust boundary: a server answering "../../x" must not name a path.
     */
    private static ModelVersion versionAnswer(Map<String, Object> m) throws RegistryException {
        Object sha = m.get("sha256");
        if (!(sha instanceof String) || !Digests.isHex64((String) sha)) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent a version whose sha256 is not 64 lowercase hex digits: "
                    + Names.abbreviate(String.valueOf(sha)));
        }
        try {
            return RegistryJson.version(m);
        } catch (RuntimeException e) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent a malformed version: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] fetch(ModelVersion v) throws IOException, RegistryException {
        if (!Digests.isHex64(v.sha256()) || (v.signer() != null && !Digests.isHex64(v.signer()))) {
            throw new RegistryException(RegistryException.Kind.BAD_REQUEST, "sha256 or signer is not 64 lowercase hex digits");
        }
        // the signer is part of the name: the unsigned and a signed copy of the same weights share a digest
        Path cached = cache == null ? null : cache.resolve("blobs").resolve(v.sha256() + (v.signer() == null ? "" : "." + v.signer()) + ".wnm");
        if (cached != null && Files.isRegularFile(cached)) {
            byte[] b = Files.readAllBytes(cached);
            try {
                ArtifactVerifier.verify(b, v, trusted);
                return b;
            } catch (RegistryException corruptCache) {
                Files.deleteIfExists(cached);
            }
        }
        HttpResponse<byte[]> r = send(request("/models/" + enc(v.model()) + "/versions/" + v.version() + "/artifact").GET());
        if (r.statusCode() != 200) jsonOrThrow(r);
        ArtifactVerifier.verify(r.body(), v, trusted);
        if (cached != null) write(cached, r.body());
        return r.body();
    }

    /** A field of a JSON answer with the type the API promises; anything else is the server's error, not a crash here. */
    private static <T> T field(Map<String, Object> m, String key, Class<T> type) throws RegistryException {
        Object v = m.get(key);
        if (!type.isInstance(v)) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent malformed JSON: '" + key + "' is "
                    + (v == null ? "missing" : "a " + v.getClass().getSimpleName() + ", expected a " + type.getSimpleName()));
        }
        return type.cast(v);
    }

    @Override
    public List<RegistryEvent> events(long after, int waitSeconds) throws IOException, RegistryException {
        Map<String, Object> m = jsonOrThrow(send(request("/events?after=" + after + "&wait=" + waitSeconds).GET()));
        List<RegistryEvent> out = new ArrayList<>();
        for (Object o : field(m, "events", List.class)) {
            if (!(o instanceof Map)) throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent malformed JSON: an event is not an object");
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) o;
            out.add(RegistryJson.event(e));
        }
        return out;
    }

    public List<String> models() throws IOException, RegistryException {
        List<String> out = new ArrayList<>();
        for (Object o : field(jsonOrThrow(send(request("/models").GET())), "models", List.class)) {
            if (!(o instanceof String)) throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent malformed JSON: a model name is not a string");
            out.add((String) o);
        }
        return out;
    }

    /** GET /models/{m}, checked: "versions" is a list of objects and "aliases" maps names to integers. */
    public Map<String, Object> show(String model) throws IOException, RegistryException {
        Map<String, Object> m = jsonOrThrow(send(request("/models/" + enc(model)).GET()));
        for (Object v : field(m, "versions", List.class)) {
            if (!(v instanceof Map) || !(((Map<?, ?>) v).get("version") instanceof Long)) {
                throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent malformed JSON: a version without a number");
            }
        }
        for (Object v : field(m, "aliases", Map.class).values()) {
            try {
                RegistryJson.versionNumber(v, "alias target");
            } catch (IllegalArgumentException e) {
                throw new RegistryException(RegistryException.Kind.STORAGE, "registry sent malformed JSON: " + e.getMessage());
            }
        }
        return m;
    }

    public ModelVersion publish(String model, byte[] artifact, Map<String, String> tags) throws IOException, RegistryException {
        return publish(model, artifact, tags, false);
    }

    /** With {@code allowSignatureChange}, an input spec or labels differing from the current version are accepted. */
    public ModelVersion publish(String model, byte[] artifact, Map<String, String> tags, boolean allowSignatureChange) throws IOException, RegistryException {
        return publish(model, artifact, tags, allowSignatureChange, null);
    }

    /** As {@link #publish(String, byte[], Map, boolean)}; a non-null {@code alias} is pointed at the version in the same commit. */
    public ModelVersion publish(String model, byte[] artifact, Map<String, String> tags, boolean allowSignatureChange, String alias) throws IOException, RegistryException {
        StringBuilder q = new StringBuilder();
        if (alias != null) q.append("?alias=").append(enc(alias));
        tags.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append("tag.").append(enc(k)).append('=').append(enc(v)));
        if (allowSignatureChange) q.append(q.length() == 0 ? "?" : "&").append("allow-signature-change=true");
        return versionAnswer(jsonOrThrow(send(request("/models/" + enc(model) + "/versions" + q)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(artifact)))));
    }

    public RegistryEvent setAlias(String model, String alias, int version) throws IOException, RegistryException {
        return RegistryJson.event(jsonOrThrow(send(request("/models/" + enc(model) + "/aliases/" + enc(alias))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"version\":" + version + "}")))));
    }

    public RegistryEvent removeAlias(String model, String alias) throws IOException, RegistryException {
        return RegistryJson.event(jsonOrThrow(send(request("/models/" + enc(model) + "/aliases/" + enc(alias)).DELETE())));
    }

    public RegistryEvent rollback(String model, String alias) throws IOException, RegistryException {
        return RegistryJson.event(jsonOrThrow(send(request("/models/" + enc(model) + "/aliases/" + enc(alias) + "/rollback")
                .POST(HttpRequest.BodyPublishers.noBody()))));
    }

    public RegistryEvent archive(String model, int version) throws IOException, RegistryException {
        return RegistryJson.event(jsonOrThrow(send(request("/models/" + enc(model) + "/versions/" + version + "/archive")
                .POST(HttpRequest.BodyPublishers.noBody()))));
    }

    private static void write(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        Files.write(tmp, data);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
