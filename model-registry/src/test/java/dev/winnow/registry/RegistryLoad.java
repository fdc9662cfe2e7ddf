package dev.winnow.registry;

import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Json;
import dev.winnow.runtime.format.Metadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load driver of {@code scripts/registry-load.sh} (not a unit test): against a registry server on
 * 127.0.0.1 it runs, for T seconds, N followers long-polling the change feed, M publishers of small
 * models (each publish also moves an alias, in one commit), K idle connections (half silent, half
 * with a request that never finishes), U uploaders of large models and R resolvers timing
 * {@code /resolve}. Then it checks the registry: versions created, duplicates (two publishes of
 * different bytes answered with one version, or one digest stored as two versions), gaps (a version
 * number or event sequence missing, an answered version absent, a follower seeing events out of
 * order). Prints one line per figure. It only connects to 127.0.0.1.
 *
 * <p>Arguments: {@code port token N M K U uploadMiB T [R]}.
 */
public final class RegistryLoad {
    private final URI base;
    private final String token;
    /** One client per role: a client multiplexes its connections on one selector thread, and uploads must not delay the resolves' answers there. */
    private final HttpClient http = client(), followers = client(), uploaders = client();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong followerDisorder = new AtomicLong();
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    /** model → version → digest, as the publish answers gave them. */
    private final Map<String, Map<Integer, String>> answered = new ConcurrentHashMap<>();
    private final AtomicLong duplicateAnswers = new AtomicLong();
    private volatile long endNanos;

    private RegistryLoad(int port, String token) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 8) {
            System.err.println("usage: RegistryLoad port token N M K U uploadMiB T [R]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[2]), m = Integer.parseInt(args[3]), k = Integer.parseInt(args[4]), u = Integer.parseInt(args[5]);
        int uploadMiB = Integer.parseInt(args[6]), seconds = Integer.parseInt(args[7]);
        int r = args.length > 8 ? Integer.parseInt(args[8]) : 4;
        new RegistryLoad(port, args[1]).run(n, m, k, u, uploadMiB, seconds, r);
    }

    private void run(int n, int m, int k, int u, int uploadMiB, int seconds, int resolvers) throws Exception {
        // seed: the small model with its alias, so resolves have something to find from the start
        publish("load", TestArtifacts.model("load", 0), "production");
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), base.getPort());
            if (i % 2 == 1) s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            idle.add(s);
        }
        LargeArtifacts large = u > 0 ? new LargeArtifacts(uploadMiB) : null;
        long start = System.nanoTime();
        endNanos = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger resolveCount = new AtomicInteger();
        for (int i = 0; i < n; i++) threads.add(thread("follower-" + i, this::follow));
        for (int i = 0; i < m; i++) {
            int id = i;
            threads.add(thread("publisher-" + i, () -> publishLoop(id)));
        }
        for (int i = 0; i < u; i++) {
            int id = i;
            threads.add(thread("uploader-" + i, () -> uploadLoop(id, large)));
        }
        for (int i = 0; i < resolvers; i++) {
            threads.add(thread("resolver-" + i, () -> {
                long[] l = new long[1 << 20];
                int c = 0;
                HttpRequest req = HttpRequest.newBuilder(base.resolve("/resolve?ref=load@production")).timeout(Duration.ofSeconds(30)).build();
                HttpClient own = client();
                while (System.nanoTime() < endNanos && c < l.length) {
                    long t0 = System.nanoTime();
                    if (call(own, req) != null) l[c++] = System.nanoTime() - t0;
                }
                latencies.add(Arrays.copyOf(l, c));
                resolveCount.addAndGet(c);
            }));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Socket s : idle) s.close();

        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Check check = check();
        System.out.printf(Locale.ROOT, "seconds            %.1f%n", elapsed);
        System.out.printf(Locale.ROOT, "load               N=%d followers, M=%d publishers, K=%d idle, U=%d x %d MiB uploads, R=%d resolvers%n",
                n, m, k, u, uploadMiB, resolvers);
        System.out.printf(Locale.ROOT, "requests           %d%n", requests.get());
        System.out.printf(Locale.ROOT, "errors             %d%n", errors.get());
        System.out.printf(Locale.ROOT, "refused 503        %d%n", refused.get());
        System.out.printf(Locale.ROOT, "resolves           %d%n", all.length);
        System.out.printf(Locale.ROOT, "resolve p50 ms     %.2f%n", all.length == 0 ? Double.NaN : all[all.length / 2] / 1e6);
        System.out.printf(Locale.ROOT, "resolve p99 ms     %.2f%n", all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e6);
        System.out.printf(Locale.ROOT, "resolve max ms     %.2f%n", all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6);
        System.out.printf(Locale.ROOT, "versions created   %d %s%n", check.versions, check.perModel);
        System.out.printf(Locale.ROOT, "duplicates         %d%n", check.duplicates + duplicateAnswers.get());
        System.out.printf(Locale.ROOT, "gaps               %d%n", check.gaps + followerDisorder.get());
        for (String e : errorSamples.subList(0, Math.min(5, errorSamples.size()))) System.out.println("error sample       " + e);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** Sends a request; a 2xx answer's body, else null (a 503 is counted as refused, anything else as an error). */
    private String call(HttpRequest req) {
        return call(http, req);
    }

    private String call(HttpClient c, HttpRequest req) {
        requests.incrementAndGet();
        try {
            HttpResponse<String> r = c.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) return r.body();
            if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                refused.incrementAndGet();
                sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").get()));
                return null;
            }
            error(req.uri().getPath() + " -> " + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            error(req.uri().getPath() + " -> " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (errorSamples.size() < 20) errorSamples.add(what.length() > 200 ? what.substring(0, 200) : what);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Follows the change feed; each answer must continue exactly where the last one ended. */
    private void follow() {
        long after = 0;
        while (System.nanoTime() < endNanos) {
            long wait = Math.max(1, Math.min(20, (endNanos - System.nanoTime()) / 1_000_000_000L));
            String body = call(followers, HttpRequest.newBuilder(base.resolve("/events?after=" + after + "&wait=" + wait)).timeout(Duration.ofSeconds(wait + 30)).build());
            if (body == null) continue;
            try {
                for (Object o : (List<?>) Json.parseObject(body).get("events")) {
                    long seq = (Long) ((Map<?, ?>) o).get("seq");
                    if (seq != after + 1) followerDisorder.incrementAndGet();
                    after = seq;
                }
            } catch (Exception e) {
                error("events answer unreadable: " + e);
            }
        }
    }

    private void publishLoop(int id) {
        for (int i = 1; System.nanoTime() < endNanos; i++) publish("load", TestArtifacts.model("load", 1_000_000 * (id + 1) + i), "production");
    }

    private void uploadLoop(int id, LargeArtifacts large) {
        for (int i = 1; System.nanoTime() < endNanos; i++) {
            LargeArtifacts.Variant v = large.variant(1_000_000 * (id + 1) + i);
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/models/big/versions")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/octet-stream").timeout(Duration.ofSeconds(300))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(v::stream), v.length)).build();
            record("big", call(uploaders, req), v.sha256);
        }
    }

    private void publish(String model, byte[] artifact, String alias) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/models/" + model + "/versions?alias=" + alias)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream").timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(artifact)).build();
        String sha;
        try {
            sha = dev.winnow.runtime.format.ArtifactReader.read(artifact).sha256Hex();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        record(model, call(req), sha);
    }

    /** Records a publish answer; the same version answered for different bytes is a duplicate. */
    private void record(String model, String body, String sha) {
        if (body == null) return;
        try {
            Map<String, Object> v = Json.parseObject(body);
            int version = (int) (long) (Long) v.get("version");
            if (!sha.equals(v.get("sha256"))) error("publish answered another digest for " + model + ":" + version);
            String before = answered.computeIfAbsent(model, x -> new ConcurrentHashMap<>()).putIfAbsent(version, sha);
            if (before != null && !before.equals(sha)) duplicateAnswers.incrementAndGet();
        } catch (Exception e) {
            error("publish answer unreadable: " + e);
        }
    }

    private record Check(int versions, Map<String, Integer> perModel, int duplicates, int gaps) {}

    /** Reads back every model and the whole event log. */
    private Check check() throws Exception {
        int versions = 0, duplicates = 0, gaps = 0;
        Map<String, Integer> perModel = new java.util.TreeMap<>();
        for (String model : answered.keySet()) {
            Map<String, Object> m = Json.parseObject(get("/models/" + model));
            List<?> vs = (List<?>) m.get("versions");
            Set<String> digests = new HashSet<>();
            Map<Integer, String> stored = new HashMap<>();
            for (int i = 0; i < vs.size(); i++) {
                Map<?, ?> v = (Map<?, ?>) vs.get(i);
                int number = (int) (long) (Long) v.get("version");
                if (number != i + 1) gaps++;
                if (!digests.add((String) v.get("sha256"))) duplicates++;
                stored.put(number, (String) v.get("sha256"));
            }
            for (Map.Entry<Integer, String> a : answered.get(model).entrySet()) {
                if (!a.getValue().equals(stored.get(a.getKey()))) gaps++; // an answered version that is not stored as answered
            }
            versions += vs.size();
            perModel.put(model, vs.size());
        }
        long last = (Long) Json.parseObject(get("/health")).get("lastSequence");
        long expect = 1;
        for (long after = 0; after < last; ) {
            List<?> events = (List<?>) Json.parseObject(get("/events?after=" + after + "&max=1000")).get("events");
            if (events.isEmpty()) break;
            for (Object o : events) {
                long seq = (Long) ((Map<?, ?>) o).get("seq");
                if (seq != expect) gaps++;
                expect = seq + 1;
                after = seq;
            }
        }
        if (expect != last + 1) gaps++;
        return new Check(versions, perModel, duplicates, gaps);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(path + " -> " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /**
     * Large valid artifacts without one heap copy each: one template, and per upload a stream of it
     * with the first weight changed and the digest recomputed (the digest covers every byte before it;
     * the trailer of an unsigned artifact is the 32-byte digest and a 4-byte tag).
     */
    static final class LargeArtifacts {
        private final byte[] template;
        private final int seedAt;
        private final int digestAt;

        LargeArtifacts(int mib) throws Exception {
            int floats = (int) (((long) mib << 20) - 4096) / 4;
            ArtifactWriter w = new ArtifactWriter(Metadata.builder("big", "bonsai").input("x", new int[] {4}, "float32", "features", null).build());
            float[] weights = new float[floats];
            weights[0] = Float.intBitsToFloat(0x7f7f1234); // a marker to find the first weight by
            for (int i = 1; i < floats; i++) weights[i] = i % 251;
            w.addFloat32("w", new int[] {floats}, weights);
            template = w.toBytes();
            byte[] marker = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7f7f1234).array();
            int at = -1;
            for (int i = 0; i + 4 <= template.length && at < 0; i++) {
                if (template[i] == marker[0] && template[i + 1] == marker[1] && template[i + 2] == marker[2] && template[i + 3] == marker[3]) at = i;
            }
            if (at < 0) throw new IllegalStateException("marker not found in the template artifact");
            seedAt = at;
            digestAt = template.length - 36;
        }

        record Variant(long length, String sha256, byte[] seed, byte[] digest, LargeArtifacts of) {
            InputStream stream() {
                return new SequenceInputStream(Collections.enumeration(List.of(
                        new ByteArrayInputStream(of.template, 0, of.seedAt), new ByteArrayInputStream(seed),
                        new ByteArrayInputStream(of.template, of.seedAt + 4, of.digestAt - of.seedAt - 4),
                        new ByteArrayInputStream(digest), new ByteArrayInputStream(of.template, of.digestAt + 32, 4))));
            }
        }

        Variant variant(int seed) {
            byte[] s = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(seed).array();
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(template, 0, seedAt);
                md.update(s);
                md.update(template, seedAt + 4, digestAt - seedAt - 4);
                byte[] d = md.digest();
                return new Variant(template.length, dev.winnow.runtime.format.Hex.of(d), s, d, this);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
