package dev.winnow.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The registry's HTTP API on the JDK's built-in server (no dependencies). JSON everywhere except the
 * artifact bodies. Reads are open; writes need {@code Authorization: Bearer <token>}. Uploads are the
 * raw artifact as the request body, with tags as {@code tag.<key>=<value>} query parameters, and
 * {@code allow-signature-change=true} to accept an input spec or labels that differ from the model's
 * current version (409 otherwise).
 *
 * <pre>
 * GET    /health                                  GET /models                 GET /models/{m}
 * GET    /models/{m}/versions/{v}                 GET /models/{m}/versions/{v}/artifact
 * GET    /resolve?ref=m@alias|m:v                 GET /events?after=N&amp;wait=S  (long poll, S ≤ 60)
 * POST   /models/{m}/versions                     POST /models/{m}/versions/{v}/archive
 * PUT    /models/{m}/aliases/{a}  {"version":n}   DELETE /models/{m}/aliases/{a}
 * POST   /models/{m}/aliases/{a}/rollback
 * </pre>
 */
public final class RegistryHttpServer implements AutoCloseable {
    private static final int MAX_JSON_BODY = 64 * 1024;
    private static final long DRAIN_LIMIT = 4L << 20;

    private final ModelRegistry registry;
    private final byte[] token;
    private final long maxUpload;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Object commits = new Object();

    public RegistryHttpServer(ModelRegistry registry, InetSocketAddress address, String token, long maxUploadBytes) throws IOException {
        if (token == null || token.length() < 16) throw new IllegalArgumentException("the write token must have at least 16 characters");
        this.registry = registry;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.maxUpload = maxUploadBytes;
        // The JDK server writes headers and body separately; with Nagle's algorithm on, the client's
        // delayed ACK then holds every small response for ~40 ms. Must be set before the first server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(address, 64);
        this.pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "registry-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    public RegistryHttpServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            route(x);
        } catch (RegistryException e) {
            int status;
            switch (e.kind()) {
                case BAD_REQUEST: status = 400; break;
                case NOT_FOUND: status = 404; break;
                case CONFLICT: status = 409; break;
                case UNTRUSTED: status = 422; break;
                default: status = 500;
            }
            error(x, status, e.getMessage());
        } catch (HttpError e) {
            error(x, e.status, e.getMessage());
        } catch (RuntimeException e) {
            error(x, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            x.close();
        }
    }

    /** An HTTP-level refusal (auth, size, method, malformed request). */
    static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void route(HttpExchange x) throws IOException, RegistryException, HttpError {
        String method = x.getRequestMethod();
        String path = x.getRequestURI().getRawPath();
        if (path.length() > 512) throw new HttpError(414, "path too long");
        String[] p = segments(path);
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        if (p.length == 1 && p[0].equals("health")) {
            requireMethod(method, "GET");
            json(x, 200, Map.of("status", "ok", "lastSequence", registry.lastSequence()));
        } else if (p.length == 1 && p[0].equals("models")) {
            requireMethod(method, "GET");
            json(x, 200, Map.of("models", RegistryJson.list(registry.models())));
        } else if (p.length == 1 && p[0].equals("resolve")) {
            requireMethod(method, "GET");
            json(x, 200, RegistryJson.version(registry.resolve(q.get("ref"))));
        } else if (p.length == 1 && p[0].equals("events")) {
            requireMethod(method, "GET");
            events(x, q);
        } else if (p.length == 2 && p[0].equals("models")) {
            requireMethod(method, "GET");
            json(x, 200, model(Names.model(p[1])));
        } else if (p.length == 3 && p[0].equals("models") && p[2].equals("versions")) {
            requireMethod(method, "POST");
            String actor = authorize(x);
            byte[] body = body(x, maxUpload);
            Map<String, String> tags = new LinkedHashMap<>();
            q.forEach((k, v) -> { if (k.startsWith("tag.")) tags.put(k.substring(4), v); });
            ModelVersion v = registry.publish(p[1], body, actor, tags, "true".equals(q.get("allow-signature-change")));
            notifyCommit();
            json(x, 201, RegistryJson.version(v));
        } else if (p.length == 4 && p[0].equals("models") && p[2].equals("versions")) {
            requireMethod(method, "GET");
            json(x, 200, RegistryJson.version(registry.version(Names.model(p[1]), versionNumber(p[3]))));
        } else if (p.length == 5 && p[0].equals("models") && p[2].equals("versions") && p[4].equals("artifact")) {
            requireMethod(method, "GET");
            artifact(x, registry.version(Names.model(p[1]), versionNumber(p[3])));
        } else if (p.length == 5 && p[0].equals("models") && p[2].equals("versions") && p[4].equals("archive")) {
            requireMethod(method, "POST");
            String actor = authorize(x);
            RegistryEvent e = registry.archive(Names.model(p[1]), versionNumber(p[3]), actor);
            notifyCommit();
            json(x, 200, RegistryJson.event(e));
        } else if (p.length == 4 && p[0].equals("models") && p[2].equals("aliases")) {
            alias(x, method, p[1], p[3]);
        } else if (p.length == 5 && p[0].equals("models") && p[2].equals("aliases") && p[4].equals("rollback")) {
            requireMethod(method, "POST");
            String actor = authorize(x);
            RegistryEvent e = registry.rollback(Names.model(p[1]), Names.alias(p[3]), actor);
            notifyCommit();
            json(x, 200, RegistryJson.event(e));
        } else {
            throw new HttpError(404, "no such resource: " + Names.abbreviate(path));
        }
    }

    /** GET /models/{m}: the model's versions and aliases. */
    private Map<String, Object> model(String m) throws IOException, RegistryException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m);
        List<Object> vs = new ArrayList<>();
        for (ModelVersion v : registry.versions(m)) vs.add(RegistryJson.version(v));
        out.put("versions", vs);
        out.put("aliases", new LinkedHashMap<String, Object>(registry.aliases(m)));
        return out;
    }

    /** GET /models/{m}/versions/{n}/artifact: the bytes, with the digest as ETag so a client that has them gets 304. */
    private void artifact(HttpExchange x, ModelVersion v) throws IOException, RegistryException {
        byte[] bytes = registry.artifact(v);
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        // the signer is in the tag: unsigned and signed copies of the same weights share the digest
        String etag = "\"" + v.sha256() + (v.signer() == null ? "" : "." + v.signer()) + "\"";
        x.getResponseHeaders().set("ETag", etag);
        if (etag.equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
            x.sendResponseHeaders(304, -1);
            return;
        }
        x.sendResponseHeaders(200, bytes.length);
        try (OutputStream os = x.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** PUT /models/{m}/aliases/{a} {"version": n} moves the alias; DELETE removes it. */
    private void alias(HttpExchange x, String method, String model, String alias) throws IOException, RegistryException, HttpError {
        RegistryEvent e;
        if (method.equals("PUT")) {
            String actor = authorize(x);
            Object v = jsonBody(x).get("version");
            // range-checked before the narrowing: 4294967297 must not become version 1
            if (!(v instanceof Long) || (Long) v < 1 || (Long) v > Integer.MAX_VALUE) {
                throw new HttpError(400, "body must be {\"version\": <positive integer up to " + Integer.MAX_VALUE + ">}");
            }
            e = registry.setAlias(model, alias, Math.toIntExact((Long) v), actor);
        } else if (method.equals("DELETE")) {
            e = registry.removeAlias(model, alias, authorize(x));
        } else {
            throw new HttpError(405, "use PUT or DELETE on an alias");
        }
        notifyCommit();
        json(x, 200, RegistryJson.event(e));
    }

    private void events(HttpExchange x, Map<String, String> q) throws IOException, RegistryException, HttpError {
        long after = longParam(q, "after", 0);
        long waitMs = Math.min(60, longParam(q, "wait", 0)) * 1000;
        int max = (int) Math.min(1000, longParam(q, "max", 500));
        long deadline = System.currentTimeMillis() + waitMs;
        List<RegistryEvent> events = registry.events(after, max);
        while (events.isEmpty() && System.currentTimeMillis() < deadline) {
            synchronized (commits) {
                try {
                    // woken by a write through this server; the timeout catches writers in other processes
                    commits.wait(Math.min(250, Math.max(1, deadline - System.currentTimeMillis())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            events = registry.events(after, max);
        }
        List<Object> out = new ArrayList<>();
        for (RegistryEvent e : events) out.add(RegistryJson.event(e));
        json(x, 200, Map.of("events", out, "lastSequence", registry.lastSequence()));
    }

    private void notifyCommit() {
        synchronized (commits) {
            commits.notifyAll();
        }
    }

    private String authorize(HttpExchange x) throws HttpError {
        String h = x.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) throw new HttpError(401, "writes need Authorization: Bearer <token>");
        byte[] given = h.substring(7).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) throw new HttpError(403, "invalid token");
        return "token:" + Integer.toHexString(java.util.Arrays.hashCode(token)).substring(0, 4);
    }

    private static void requireMethod(String method, String expected) throws HttpError {
        if (!method.equals(expected)) throw new HttpError(405, "use " + expected);
    }

    private static int versionNumber(String s) throws HttpError {
        try {
            int v = Integer.parseInt(s);
            if (v < 1) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new HttpError(400, "version must be a positive integer: " + Names.abbreviate(s));
        }
    }

    private static long longParam(Map<String, String> q, String key, long dflt) throws HttpError {
        String v = q.get(key);
        if (v == null) return dflt;
        try {
            long l = Long.parseLong(v);
            if (l < 0) throw new NumberFormatException();
            return l;
        } catch (NumberFormatException e) {
            throw new HttpError(400, key + " must be a non-negative integer");
        }
    }

    private static String[] segments(String rawPath) throws HttpError {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (s.isEmpty()) continue;
            String d = URLDecoder.decode(s, StandardCharsets.UTF_8);
            if (d.contains("/") || d.equals("..") || d.equals(".")) throw new HttpError(400, "invalid path segment");
            out.add(d);
        }
        return out.toArray(new String[0]);
    }

    private static Map<String, String> query(String raw) throws HttpError {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        if (raw.length() > 4096) throw new HttpError(414, "query too long");
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    /** Reads the body, refusing (413) a declared or actual size above the limit before buffering it. */
    private static byte[] body(HttpExchange x, long limit) throws IOException, HttpError {
        String declared = x.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared);
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length");
            }
            if (length > limit) {
                // read a moderate excess so the client gets the 413 instead of a reset connection;
                // a huge declared length is answered at once and the connection dropped
                if (length <= limit + DRAIN_LIMIT) x.getRequestBody().transferTo(OutputStream.nullOutputStream());
                throw new HttpError(413, "body exceeds " + limit + " bytes");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try (InputStream in = x.getRequestBody()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > limit) throw new HttpError(413, "body exceeds " + limit + " bytes");
            }
        }
        if (declared != null && out.size() != Long.parseLong(declared)) throw new HttpError(400, "body shorter than its Content-Length");
        return out.toByteArray();
    }

    private static Map<String, Object> jsonBody(HttpExchange x) throws IOException, HttpError {
        try {
            return Json.parseObject(new String(body(x, MAX_JSON_BODY), StandardCharsets.UTF_8));
        } catch (ModelFormatException e) {
            throw new HttpError(400, "malformed JSON body: " + e.getMessage());
        }
    }

    private static void json(HttpExchange x, int status, Map<String, Object> body) throws IOException {
        byte[] b = Json.write(body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream os = x.getResponseBody()) {
            os.write(b);
        }
    }

    private static void error(HttpExchange x, int status, String message) {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", message);
            m.put("status", (long) status);
            json(x, status, m);
        } catch (IOException ignored) {
            // the client has gone; nothing more to tell it
        }
    }
}
