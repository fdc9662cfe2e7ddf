package dev.winnow.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The registry's HTTP API on the JDK's built-in server (no dependencies). JSON everywhere except the
 * artifact bodies. Reads are open; writes need {@code Authorization: Bearer <token>}. Uploads are the
 * raw artifact as the request body, with tags as {@code tag.<key>=<value>} query parameters,
 * {@code alias=<a>} to point an alias at the new version in the same commit, and
 * {@code allow-signature-change=true} to accept an input spec or labels that differ from the model's
 * current version (409 otherwise).
 *
 * <pre>
 * GET    /health                                  GET /models                 GET /models/{m}
 * GET    /models/{m}/versions/{v}                 GET /models/{m}/versions/{v}/artifact
 * GET    /resolve?ref=m@alias|m:v                 GET /events?after=N&amp;wait=S  (long poll, S ≤ 60)
 * POST   /models/{m}/versions[?alias=a]           POST /models/{m}/versions/{v}/archive
 * PUT    /models/{m}/aliases/{a}  {"version":n}   DELETE /models/{m}/aliases/{a}
 * POST   /models/{m}/aliases/{a}/rollback
 * </pre>
 *
 * <p>Resources are bounded so that no client, with or without a token, can starve the others
 * ({@link Config} names every bound):
 * <ul>
 *   <li>At most {@code maxConnections} connections are open at once; one accepted beyond that is
 *       closed at once (the client reads end-of-stream), not queued.</li>
 *   <li>An open connection that sends nothing costs no thread (the JDK server's selector holds it)
 *       and is closed after {@code idleTimeout}; idle keep-alive connections beyond
 *       {@code maxIdleConnections} are closed at once.</li>
 *   <li>A request is read and handled by one of at most {@code maxConcurrentRequests} worker threads.
 *       Beyond that, two overflow threads answer 503 with {@code Retry-After} (up to 1024 waiting
 *       for them); beyond those the connection is closed. A request (headers and body) must arrive within
 *       {@code requestTimeout}, and a response must be taken within it, or the connection is closed, so
 *       a slow or stalled client frees its thread.</li>
 *   <li>A long poll ({@code /events?wait=S}) holds no thread while it waits: it is parked, and the feed
 *       thread answers it when an event arrives or the wait ends. At most {@code maxLongPolls} are
 *       parked; beyond that 503 with {@code Retry-After}.</li>
 *   <li>An upload is streamed to a temporary file (at most {@code maxUploads} at once, else 503), then
 *       verified in memory only while holding its share of {@code artifactMemoryBytes} (twice its
 *       size: the body and the reader's decoded tensors); one that cannot get it within
 *       {@code memoryWait} is answered 503 with {@code Retry-After}. The temporary file is removed
 *       either way. An artifact download is read and verified within the same budget.</li>
 * </ul>
 * Every refusal is a one-line JSON object {@code {"error": "...", "status": n}}; a hostile request gets
 * a 4xx, never a stack trace.
 *
 * <p>Threads: construct, {@link #start} and {@link #close} from one owner thread. Handlers run on the
 * server's worker and overflow threads; parked long polls are answered from the feed thread's small
 * answer pool. The {@link ModelRegistry} is shared by all of them (it is thread-safe). {@link #port}
 * may be called from any thread.
 */
public final class RegistryHttpServer implements AutoCloseable {
    private static final int MAX_JSON_BODY = 64 * 1024;
    private static final long DRAIN_LIMIT = 4L << 20;
    /**
     * Heap a publish takes per byte of artifact: the body, and the reader's decoded tensors. (The
     * first publish of a model after a restart also reads its current version once, for the
     * signature check; later ones use the metadata the registry kept.)
     */
    private static final int MEMORY_PER_BYTE = 2;

    /**
     * The server's bounds. {@code requestTimeout}, {@code idleTimeout}, {@code maxIdleConnections} and
     * {@code maxConnections} are settings of the JDK server that apply to the whole JVM and are fixed
     * when the first server of the JVM starts; a system property already set
     * ({@code sun.net.httpserver.maxReqTime}, {@code .maxRspTime}, {@code .maxIdleConnections},
     * {@code .idleInterval}, {@code jdk.httpserver.maxConnections}) wins.
     */
    public static final class Config {
        final String token;
        final long maxUploadBytes;
        final int maxConcurrentRequests;
        final int maxIdleConnections;
        final int maxConnections;
        final int maxLongPolls;
        final int maxUploads;
        final long artifactMemoryBytes;
        final Duration memoryWait;
        final Duration requestTimeout;
        final Duration idleTimeout;
        final int retryAfterSeconds;
        final Path spoolDir;

        private Config(Builder b) {
            this.token = b.token;
            this.maxUploadBytes = b.maxUploadBytes;
            this.maxConcurrentRequests = b.maxConcurrentRequests;
            this.maxIdleConnections = b.maxIdleConnections;
            this.maxConnections = b.maxConnections;
            this.maxLongPolls = b.maxLongPolls;
            this.maxUploads = b.maxUploads;
            this.artifactMemoryBytes = b.artifactMemoryBytes;
            this.memoryWait = b.memoryWait;
            this.requestTimeout = b.requestTimeout;
            this.idleTimeout = b.idleTimeout;
            this.retryAfterSeconds = b.retryAfterSeconds;
            this.spoolDir = b.spoolDir;
        }

        /** @param token the write token, at least 16 characters */
        public static Builder builder(String token) {
            return new Builder(token);
        }

        /** Defaults fit a registry serving a few hundred jobs from one host with a 256 MB heap. */
        public static final class Builder {
            private final String token;
            private long maxUploadBytes = 64L << 20;
            private int maxConcurrentRequests = 512;
            private int maxIdleConnections = 512;
            private int maxConnections = 2048;
            private int maxLongPolls = 1024;
            private int maxUploads = 32;
            private long artifactMemoryBytes = 192L << 20;
            private Duration memoryWait = Duration.ofSeconds(30);
            private Duration requestTimeout = Duration.ofSeconds(60);
            private Duration idleTimeout = Duration.ofSeconds(30);
            private int retryAfterSeconds = 2;
            private Path spoolDir = Path.of(System.getProperty("java.io.tmpdir"), "winnow-registry-uploads");

            private Builder(String token) {
                this.token = token;
            }

            /** Largest artifact a publish may upload (default 64 MiB). */
            public Builder maxUploadBytes(long v) { this.maxUploadBytes = v; return this; }
            /**
             * Worker threads: requests read or handled at once (default 512). Each stalled client holds
             * one for up to the request timeout, and a commit wakes every parked follower at once, whose
             * next polls arrive together; idle workers end after 30 s.
             */
            public Builder maxConcurrentRequests(int v) { this.maxConcurrentRequests = v; return this; }
            /** Idle keep-alive connections kept open (default 512; JVM-wide, see {@link Config}). */
            public Builder maxIdleConnections(int v) { this.maxIdleConnections = v; return this; }
            /**
             * Connections open at once, idle, parked or busy (default 2048: the default 512 requests,
             * 1024 long polls and 512 idle keep-alives). The JDK server closes a connection accepted
             * beyond it at once, so a flood of sockets is refused in microseconds instead of each
             * holding a file descriptor until its idle timeout; JVM-wide, see {@link Config}.
             */
            public Builder maxConnections(int v) { this.maxConnections = v; return this; }
            /** Long polls parked at once (default 1024). */
            public Builder maxLongPolls(int v) { this.maxLongPolls = v; return this; }
            /** Uploads being received at once (default 32). */
            public Builder maxUploads(int v) { this.maxUploads = v; return this; }
            /** Heap that artifacts being verified (uploads) or served (downloads) may take together, counted as twice each artifact (default 192 MiB). */
            public Builder artifactMemoryBytes(long v) { this.artifactMemoryBytes = v; return this; }
            /** How long a received upload or a download waits for its memory before 503 (default 30 s). */
            public Builder memoryWait(Duration v) { this.memoryWait = v; return this; }
            /** Time a client has to send a request, and to take a response (default 60 s; JVM-wide, see {@link Config}). */
            public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
            /**
             * How long a connection may sit without a request, fresh or kept alive, before it is closed
             * (default 30 s; the JDK server checks every 10 s; JVM-wide, see {@link Config}).
             */
            public Builder idleTimeout(Duration v) { this.idleTimeout = v; return this; }
            /** The {@code Retry-After} of a 503 (default 2 s). */
            public Builder retryAfterSeconds(int v) { this.retryAfterSeconds = v; return this; }
            /** Where uploads are spooled (default {@code java.io.tmpdir}/winnow-registry-uploads). */
            public Builder spoolDir(Path v) { this.spoolDir = v; return this; }

            /** The configuration; IllegalArgumentException names the first bound that is out of range. */
            public Config build() {
                if (token == null || token.length() < 16) throw new IllegalArgumentException("the write token must have at least 16 characters");
                if (maxUploadBytes < 1 || maxUploadBytes > 64L << 20) throw new IllegalArgumentException("maxUploadBytes must be 1 to 64 MiB, is " + maxUploadBytes);
                if (maxConcurrentRequests < 2 || maxConcurrentRequests > 4096) throw new IllegalArgumentException("maxConcurrentRequests must be 2 to 4096, is " + maxConcurrentRequests);
                if (maxConnections < 4 || maxConnections > 1 << 20) throw new IllegalArgumentException("maxConnections must be 4 to 1048576, is " + maxConnections);
                if (maxIdleConnections < 1) throw new IllegalArgumentException("maxIdleConnections must be >= 1, is " + maxIdleConnections);
                if (maxLongPolls < 0) throw new IllegalArgumentException("maxLongPolls must be >= 0, is " + maxLongPolls);
                if (maxUploads < 1) throw new IllegalArgumentException("maxUploads must be >= 1, is " + maxUploads);
                if (artifactMemoryBytes < 1 << 20) throw new IllegalArgumentException("artifactMemoryBytes must be at least 1 MiB, is " + artifactMemoryBytes);
                if (memoryWait == null || memoryWait.isNegative()) throw new IllegalArgumentException("memoryWait must be >= 0");
                if (requestTimeout == null || requestTimeout.toSeconds() < 1) throw new IllegalArgumentException("requestTimeout must be at least 1 s");
                if (idleTimeout == null || idleTimeout.toSeconds() < 1) throw new IllegalArgumentException("idleTimeout must be at least 1 s");
                if (retryAfterSeconds < 1) throw new IllegalArgumentException("retryAfterSeconds must be >= 1, is " + retryAfterSeconds);
                if (spoolDir == null) throw new IllegalArgumentException("spoolDir is required");
                return new Config(this);
            }
        }
    }

    /** A thread of the overflow pool: its requests are answered 503 without being handled. */
    private static final class OverflowThread extends Thread {
        OverflowThread(Runnable r) {
            super(r, "registry-http-overflow");
            setDaemon(true);
        }
    }

    /** A long poll waiting for an event after {@code after}, or for its deadline. */
    private record Waiter(HttpExchange exchange, long after, int max, long deadlineMillis) {}

    private final ModelRegistry registry;
    private final Config config;
    private final byte[] token;
    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor overflow;
    private final ThreadPoolExecutor answers;
    private final Semaphore uploads;
    private final Semaphore artifactMemory;
    private final int memoryPermits;
    private final Thread feed;
    /** Parked long polls; guarded by itself, which the feed thread also waits on for commits. */
    private final List<Waiter> waiting = new ArrayList<>();
    private volatile boolean closed;

    /** A server with default bounds and the given upload limit. */
    public RegistryHttpServer(ModelRegistry registry, InetSocketAddress address, String token, long maxUploadBytes) throws IOException {
        this(registry, address, Config.builder(token).maxUploadBytes(maxUploadBytes).build());
    }

    public RegistryHttpServer(ModelRegistry registry, InetSocketAddress address, Config config) throws IOException {
        this.registry = registry;
        this.config = config;
        this.token = config.token.getBytes(StandardCharsets.UTF_8);
        // The JDK server reads these once, when its first instance is created. Nagle's algorithm with
        // the client's delayed ACK holds every small response ~40 ms; the timeouts close connections
        // whose request or response stalls, so a slow client cannot keep a worker thread.
        setDefault("sun.net.httpserver.nodelay", "true");
        setDefault("sun.net.httpserver.maxReqTime", Long.toString(config.requestTimeout.toSeconds()));
        setDefault("sun.net.httpserver.maxRspTime", Long.toString(config.requestTimeout.toSeconds()));
        setDefault("sun.net.httpserver.maxIdleConnections", Integer.toString(config.maxIdleConnections));
        // the JDK server (17.0.15 here, and 21+) closes a connection accepted while this many are open
        setDefault("jdk.httpserver.maxConnections", Integer.toString(config.maxConnections));
        setDefault("sun.net.httpserver.idleInterval", Long.toString(config.idleTimeout.toSeconds()));
        Files.createDirectories(config.spoolDir);
        removeStaleSpool(config.spoolDir, config.requestTimeout);
        this.server = HttpServer.create(address, 256);
        // no core threads: an idle one takes the next request, a new one starts only when none is idle
        // (with core threads, every request below the core size would start a thread)
        this.workers = new ThreadPoolExecutor(0, config.maxConcurrentRequests, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> daemon(r, "registry-http"));
        // answering 503 takes microseconds, so a deep queue lets a burst be told to retry rather than be cut off
        this.overflow = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), OverflowThread::new);
        overflow.allowCoreThreadTimeOut(true);
        this.answers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> daemon(r, "registry-feed-answer"));
        answers.allowCoreThreadTimeOut(true);
        this.uploads = new Semaphore(config.maxUploads);
        this.memoryPermits = (int) Math.min(Integer.MAX_VALUE, config.artifactMemoryBytes >> 10);
        this.artifactMemory = new Semaphore(memoryPermits, true);
        // a full worker pool hands the request to the overflow threads, which answer 503; when they
        // are full too the JDK server drops the connection
        server.setExecutor(r -> {
            try {
                workers.execute(r);
            } catch (RejectedExecutionException busy) {
                overflow.execute(r);
            }
        });
        server.createContext("/", this::handle);
        this.feed = daemon(this::feedLoop, "registry-feed");
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) System.setProperty(property, value);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Spooled uploads older than any live upload can be (a crashed server's) are removed at start. */
    private static void removeStaleSpool(Path dir, Duration requestTimeout) throws IOException {
        long cutoff = System.currentTimeMillis() - Math.max(3_600_000L, 2 * requestTimeout.toMillis());
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("upload-") && n.endsWith(".part") && Files.getLastModifiedTime(p).toMillis() < cutoff) Files.deleteIfExists(p);
            }
        }
    }

    public RegistryHttpServer start() {
        feed.start();
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Worker threads busy now (reading or handling a request); for tests that wait for a state. */
    int busyWorkers() {
        return workers.getActiveCount();
    }

    /**
     * Takes the whole artifact memory budget and returns how much (KiB); tests use it to fill the
     * budget. It waits for downloads still streaming to give their share back: taking only what is
     * free at the moment would leave their share to the next request once they finish.
     */
    int takeArtifactMemory() throws InterruptedException {
        if (!artifactMemory.tryAcquire(memoryPermits, 10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("artifact memory still held by downloads after 10 s");
        }
        return memoryPermits;
    }

    /** Gives back what {@link #takeArtifactMemory} took. */
    void returnArtifactMemory(int permits) {
        artifactMemory.release(permits);
    }

    /** Long polls parked now. */
    int parkedLongPolls() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        feed.interrupt();
        server.stop(0);
        workers.shutdownNow();
        overflow.shutdownNow();
        answers.shutdownNow();
    }

    private void handle(HttpExchange x) {
        boolean parked = false;
        try {
            if (Thread.currentThread() instanceof OverflowThread) {
                drain(x, DRAIN_LIMIT);
                throw busy("the server is at its limit of " + config.maxConcurrentRequests + " requests at once");
            }
            parked = route(x);
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
            if (e.retryAfterSeconds > 0) x.getResponseHeaders().set("Retry-After", Integer.toString(e.retryAfterSeconds));
            error(x, e.status, e.getMessage());
        } catch (IOException e) {
            // the client went away mid-request, or the store failed: a one-line answer if anyone still listens
            error(x, 500, "I/O error: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            error(x, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            if (!parked) x.close();
        }
    }

    private HttpError busy(String message) {
        return new HttpError(503, message + "; retry later", config.retryAfterSeconds);
    }

    /** An HTTP-level refusal (auth, size, method, malformed request). */
    static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final int retryAfterSeconds;

        HttpError(int status, String message) {
            this(status, message, 0);
        }

        HttpError(int status, String message, int retryAfterSeconds) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /** Answers the request, or parks it (a long poll) and returns true: then the feed thread answers and closes it. */
    private boolean route(HttpExchange x) throws IOException, RegistryException, HttpError {
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
            return events(x, q);
        } else if (p.length == 2 && p[0].equals("models")) {
            requireMethod(method, "GET");
            json(x, 200, model(Names.model(p[1])));
        } else if (p.length == 3 && p[0].equals("models") && p[2].equals("versions")) {
            requireMethod(method, "POST");
            String actor = authorize(x);
            Names.model(p[1]);
            String alias = q.containsKey("alias") ? Names.alias(q.get("alias")) : null;
            Map<String, String> tags = new LinkedHashMap<>();
            q.forEach((k, v) -> { if (k.startsWith("tag.")) tags.put(k.substring(4), v); });
            ModelVersion v = upload(x, body -> registry.publish(p[1], body, actor, tags, "true".equals(q.get("allow-signature-change")), alias));
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
        return false;
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

    /**
     * GET /models/{m}/versions/{n}/artifact: the bytes, with the digest as ETag so a client that has
     * them gets 304 (without the blob being read). The bytes are read and verified within the artifact
     * memory budget, so many jobs fetching a new large version at once wait or get 503, not an
     * OutOfMemoryError.
     */
    private void artifact(HttpExchange x, ModelVersion v) throws IOException, RegistryException, HttpError {
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        // the signer is in the tag: unsigned and signed copies of the same weights share the digest
        String etag = "\"" + v.sha256() + (v.signer() == null ? "" : "." + v.signer()) + "\"";
        x.getResponseHeaders().set("ETag", etag);
        if (etag.equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
            x.sendResponseHeaders(304, -1);
            return;
        }
        withMemory(v.size(), () -> {
            byte[] bytes = registry.artifact(v);
            x.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = x.getResponseBody()) {
                // in slices: a socket given a whole heap array copies it through a direct buffer of its size
                for (int at = 0; at < bytes.length; at += LocalDirectoryStore.IO_SLICE) os.write(bytes, at, Math.min(LocalDirectoryStore.IO_SLICE, bytes.length - at));
            }
            return null;
        });
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

    /** Answers at once when there are events or no wait; else parks the exchange for the feed thread. */
    private boolean events(HttpExchange x, Map<String, String> q) throws IOException, RegistryException, HttpError {
        long after = longParam(q, "after", 0);
        long waitMs = Math.min(60, longParam(q, "wait", 0)) * 1000;
        int max = (int) Math.min(1000, longParam(q, "max", 500));
        List<RegistryEvent> events = registry.events(after, max);
        if (!events.isEmpty() || waitMs == 0) {
            answerEvents(x, events);
            return false;
        }
        synchronized (waiting) {
            if (waiting.size() >= config.maxLongPolls) throw busy("the server is at its limit of " + config.maxLongPolls + " waiting long polls");
            waiting.add(new Waiter(x, after, max, System.currentTimeMillis() + waitMs));
            waiting.notifyAll();
        }
        return true;
    }

    private void answerEvents(HttpExchange x, List<RegistryEvent> events) throws IOException, RegistryException {
        List<Object> out = new ArrayList<>();
        for (RegistryEvent e : events) out.add(RegistryJson.event(e));
        json(x, 200, Map.of("events", out, "lastSequence", registry.lastSequence()));
    }

    /**
     * The feed thread: wakes on a commit through this server, or every 250 ms for writers in other
     * processes, and hands each parked long poll that has events or has timed out to the answer pool.
     */
    private void feedLoop() {
        while (!closed) {
            List<Waiter> ready = new ArrayList<>();
            try {
                synchronized (waiting) {
                    waiting.wait(waiting.isEmpty() ? 1000 : 250);
                    if (waiting.isEmpty()) continue;
                }
                registry.refresh();
                long last = registry.lastSequence();
                long now = System.currentTimeMillis();
                synchronized (waiting) {
                    for (var it = waiting.iterator(); it.hasNext(); ) {
                        Waiter w = it.next();
                        if (w.after() < last || now >= w.deadlineMillis()) {
                            ready.add(w);
                            it.remove();
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RegistryException | RuntimeException e) {
                // the store is unreadable for now; the waiters time out and are answered from what is known
                synchronized (waiting) {
                    ready.addAll(waiting);
                    waiting.clear();
                }
            }
            for (Waiter w : ready) answers.execute(() -> answerParked(w));
        }
    }

    private void answerParked(Waiter w) {
        HttpExchange x = w.exchange();
        try {
            answerEvents(x, registry.events(w.after(), w.max()));
        } catch (IOException | RegistryException | RuntimeException e) {
            error(x, 500, "could not read the event log: " + e.getClass().getSimpleName());
        } finally {
            x.close();
        }
    }

    private void notifyCommit() {
        synchronized (waiting) {
            waiting.notifyAll();
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

    /** Work that holds an artifact in the heap. */
    @FunctionalInterface
    private interface InMemory<T> {
        T run() throws IOException, RegistryException, HttpError;
    }

    /**
     * Runs {@code work} holding twice {@code artifactBytes} of the artifact memory budget (the bytes
     * and their decoded copy), waiting up to {@code memoryWait} for it; 503 with Retry-After if it
     * does not free up. An artifact larger than the whole budget waits for all of it; a version
     * recorded without its size counts as the smallest share.
     */
    private <T> T withMemory(long artifactBytes, InMemory<T> work) throws IOException, RegistryException, HttpError {
        int permits = (int) Math.min(memoryPermits, Math.max(1, (MEMORY_PER_BYTE * artifactBytes) >> 10));
        boolean got;
        try {
            got = artifactMemory.tryAcquire(permits, config.memoryWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("the server is shutting down");
        }
        if (!got) throw busy("artifacts being verified or served fill the server's artifact memory");
        try {
            return work.run();
        } finally {
            artifactMemory.release(permits);
        }
    }

    /** What a verified upload is handed to. */
    @FunctionalInterface
    private interface UploadSink<T> {
        T accept(byte[] body) throws IOException, RegistryException;
    }

    /**
     * Streams the body to a spool file (no heap), then reads it back and hands it on only while
     * holding twice its size of the artifact memory budget. Refusals: 413 above the limit, 503 with
     * Retry-After when {@code maxUploads} are being received or the memory does not free up in time.
     */
    private <T> T upload(HttpExchange x, UploadSink<T> sink) throws IOException, RegistryException, HttpError {
        long limit = config.maxUploadBytes;
        long declared = declaredLength(x, limit);
        if (!uploads.tryAcquire()) {
            drain(x, limit + DRAIN_LIMIT);
            throw busy("the server is receiving " + config.maxUploads + " uploads already");
        }
        try {
            Path spool = Files.createTempFile(config.spoolDir, "upload-", ".part");
            try {
                long size = 0;
                byte[] buf = new byte[65536];
                try (InputStream in = x.getRequestBody(); OutputStream out = Files.newOutputStream(spool)) {
                    for (int n; (n = readBody(in, buf)) > 0; ) {
                        size += n;
                        if (size > limit) throw new HttpError(413, "body exceeds " + limit + " bytes");
                        out.write(buf, 0, n);
                    }
                }
                if (declared >= 0 && size != declared) throw new HttpError(400, "body shorter than its Content-Length");
                return withMemory(size, () -> sink.accept(LocalDirectoryStore.readAll(spool)));
            } finally {
                Files.deleteIfExists(spool);
            }
        } finally {
            uploads.release();
        }
    }

    /** A read of the request body; the client ending it early (before its Content-Length) is its error, 400. */
    private static int readBody(InputStream in, byte[] buf) throws HttpError {
        try {
            return in.read(buf);
        } catch (IOException cutOff) {
            throw new HttpError(400, "the body ended before its Content-Length");
        }
    }

    /** The declared Content-Length, or -1; refuses (413) one above the limit, draining a moderate excess so the client reads the answer. */
    private static long declaredLength(HttpExchange x, long limit) throws IOException, HttpError {
        String declared = x.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) return -1;
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad Content-Length");
        }
        if (length < 0) throw new HttpError(400, "bad Content-Length");
        if (length > limit) {
            // a huge declared length is answered at once and the connection dropped
            if (length <= limit + DRAIN_LIMIT) drain(x, limit + DRAIN_LIMIT);
            throw new HttpError(413, "body exceeds " + limit + " bytes");
        }
        return length;
    }

    /** Reads and discards up to {@code max} bytes of the body, so the client, still sending, gets the answer rather than a reset. */
    private static void drain(HttpExchange x, long max) {
        try (InputStream in = x.getRequestBody()) {
            byte[] buf = new byte[65536];
            long total = 0;
            for (int n; total < max && (n = in.read(buf)) > 0; ) total += n;
        } catch (IOException gone) {
            // nothing to keep: the answer is a refusal either way
        }
    }

    /** Reads a small body (JSON) into memory, refusing (413) one above the limit. */
    private static byte[] body(HttpExchange x, long limit) throws IOException, HttpError {
        long declared = declaredLength(x, limit);
        byte[] out;
        try (InputStream in = x.getRequestBody()) {
            out = in.readNBytes((int) limit + 1);
        } catch (IOException cutOff) {
            throw new HttpError(400, "the body ended before its Content-Length");
        }
        if (out.length > limit) throw new HttpError(413, "body exceeds " + limit + " bytes");
        if (declared >= 0 && out.length != declared) throw new HttpError(400, "body shorter than its Content-Length");
        return out;
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
