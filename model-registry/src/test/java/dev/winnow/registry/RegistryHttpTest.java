package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API driven over real HTTP on 127.0.0.1, by the client and by hostile raw requests. */
class RegistryHttpTest {
    static final String TOKEN = "test-token-0123456789abcdef";
    @TempDir Path dir;
    @TempDir Path cacheDir;
    ModelRegistry registry;
    RegistryHttpServer server;
    URI base;
    final HttpClient raw = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        registry = TestArtifacts.acceptingUnsigned(dir);
        server = new RegistryHttpServer(registry, new InetSocketAddress("127.0.0.1", 0), TOKEN, 1 << 20).start();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpRegistryClient client() {
        return new HttpRegistryClient(base, TOKEN, cacheDir);
    }

    @Test
    void publishResolveDownloadAliasAndFollowTheFeed() throws Exception {
        HttpRegistryClient c = client();
        ModelVersion v1 = c.publish("detector", TestArtifacts.model("detector", 1), Map.of("data", "vtest"));
        assertEquals(1, v1.version());
        assertEquals("vtest", v1.tags().get("data"));
        c.publish("detector", TestArtifacts.model("detector", 2), Map.of());
        c.setAlias("detector", "production", 1);
        c.setAlias("detector", "production", 2);
        ModelVersion prod = c.resolve("detector@production");
        assertEquals(2, prod.version());
        assertArrayEquals(TestArtifacts.model("detector", 2), c.fetch(prod));
        assertEquals(List.of("detector"), c.models());
        assertEquals(Map.of("production", 2L), c.show("detector").get("aliases"));
        assertEquals(1, c.rollback("detector", "production").version());
        c.setAlias("detector", "canary", 2);
        c.removeAlias("detector", "canary");
        List<RegistryEvent> feed = c.events(0, 0);
        assertEquals(7, feed.size());
        assertEquals(RegistryEvent.Type.ALIAS_REMOVED, feed.get(6).type());

        // long poll: a publish from another thread ends the wait early
        CompletableFuture<List<RegistryEvent>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return client().events(7, 30);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "nothing new yet: the request waits");
        c.publish("detector", TestArtifacts.model("detector", 3), Map.of());
        List<RegistryEvent> woke = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, woke.size());
        assertEquals(8, woke.get(0).sequence());
        HttpResponse<byte[]> etag = raw.send(HttpRequest.newBuilder(base.resolve("/models/detector/versions/1/artifact"))
                .header("If-None-Match", "\"" + v1.sha256() + "\"").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, etag.statusCode());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hostileRequestsGetClear4xxAndChangeNothing() throws Exception {
        client().publish("m", TestArtifacts.model("m", 1), Map.of());
        long before = registry.lastSequence();
        byte[] art = TestArtifacts.model("m", 2);
        assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/models/m/versions")).POST(HttpRequest.BodyPublishers.ofByteArray(art))).statusCode());
        assertEquals(403, send(HttpRequest.newBuilder(base.resolve("/models/m/versions")).header("Authorization", "Bearer wrong-token-xxxxxxxx")
                .POST(HttpRequest.BodyPublishers.ofByteArray(art))).statusCode());
        HttpResponse<String> traversal = send(HttpRequest.newBuilder(base.resolve("/models/..%2F..%2Fetc/versions")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(art)));
        assertEquals(400, traversal.statusCode());
        assertTrue(traversal.body().contains("\"error\""), traversal.body());
        assertEquals(400, send(HttpRequest.newBuilder(base.resolve("/models/UPPER/versions")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(art))).statusCode());
        byte[] corrupt = art.clone();
        corrupt[40] ^= 1;
        HttpResponse<String> bad = send(HttpRequest.newBuilder(base.resolve("/models/m/versions")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(corrupt)));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("not a valid artifact"), bad.body());
        assertEquals(413, send(HttpRequest.newBuilder(base.resolve("/models/m/versions")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(1 << 20) + 1]))).statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(base.resolve("/models/m/aliases/production")).header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": \"two\""))).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/models/m/aliases/production")).header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 7}"))).statusCode());
        assertEquals(405, send(HttpRequest.newBuilder(base.resolve("/models")).DELETE()).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/models/nope")).GET()).statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(base.resolve("/models/m/versions/-3")).GET()).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/nothing/here")).GET()).statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(base.resolve("/events?after=x")).GET()).statusCode());

        // a huge declared length is refused before the body is read; a truncated upload never publishes
        assertTrue(rawRequest("POST /models/m/versions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Length: 99999999999\r\n\r\n", new byte[0]).startsWith("HTTP/1.1 413"));
        String truncated = rawRequest("POST /models/m/versions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Length: " + art.length + "\r\nConnection: close\r\n\r\n", java.util.Arrays.copyOf(art, art.length / 2));
        assertFalse(truncated.startsWith("HTTP/1.1 201"), truncated);

        assertEquals(before, registry.lastSequence(), "no hostile request changed the registry");
        assertEquals(1, registry.versions("m").size());
        assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/health")).GET()).statusCode());
    }

    /** Sends bytes on a raw socket, half-closes, and returns what the server answered (or "" if it hung up). */
    private String rawRequest(String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketTimeoutException e) {
            return "";
        }
    }

    @Test
    void clientRestartsFromItsCacheWhileTheRegistryIsDown() throws Exception {
        HttpRegistryClient c = client();
        c.publish("m", TestArtifacts.model("m", 1), Map.of());
        c.setAlias("m", "production", 1);
        ModelVersion v = c.resolve("m@production");
        byte[] bytes = c.fetch(v);
        server.close();
        HttpRegistryClient fresh = new HttpRegistryClient(base, null, cacheDir, List.of(), 2, Duration.ofMillis(20));
        ModelVersion cached = fresh.resolve("m@production");
        assertEquals(v, cached);
        assertArrayEquals(bytes, fresh.fetch(cached));
        HttpRegistryClient noCache = new HttpRegistryClient(base, null, null, List.of(), 3, Duration.ofMillis(20));
        long t0 = System.nanoTime();
        assertThrows(IOException.class, () -> noCache.resolve("m@production"));
        assertTrue(System.nanoTime() - t0 >= 40_000_000L, "retried with backoff (20 + 40 ms) before giving up");
    }

    @Test
    void unsignedAndSignedCopiesOfTheSameWeightsAreFetchedAsPublished() throws Exception {
        java.security.KeyPair keys = dev.winnow.runtime.format.Ed25519Keys.generate();
        byte[] unsigned = TestArtifacts.model("m", 1), signed = TestArtifacts.signed("m", 1, keys);
        HttpRegistryClient c = client();
        ModelVersion v1 = c.publish("m", unsigned, Map.of());
        ModelVersion v2 = c.publish("m", signed, Map.of());
        assertEquals(2, v2.version());
        assertArrayEquals(unsigned, c.fetch(v1));
        assertArrayEquals(signed, c.fetch(v2), "not the cached unsigned copy");
        HttpRegistryClient strict = new HttpRegistryClient(base, null, cacheDir, List.of(keys.getPublic()), 1, Duration.ofMillis(1));
        assertArrayEquals(signed, strict.fetch(strict.resolve("m:2")));
        HttpResponse<byte[]> etag = raw.send(HttpRequest.newBuilder(base.resolve("/models/m/versions/2/artifact"))
                .header("If-None-Match", "\"" + v1.sha256() + "\"").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, etag.statusCode(), "the unsigned copy's tag does not stand for the signed one");
    }

    @Test
    void anAliasVersionBeyondIntRangeIsRefusedNotTruncated() throws Exception {
        HttpRegistryClient c = client();
        c.publish("m", TestArtifacts.model("m", 1), Map.of());
        c.publish("m", TestArtifacts.model("m", 2), Map.of());
        c.setAlias("m", "production", 2);
        long before = registry.lastSequence();
        for (String v : List.of("4294967297", "2147483648", "-1", "0", "1e0", "99999999999999999999")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/models/m/aliases/production")).header("Authorization", "Bearer " + TOKEN)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": " + v + "}")));
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, v + " → " + r.statusCode() + " " + r.body());
            assertFalse(r.body().contains("\n"), r.body());
        }
        assertEquals(before, registry.lastSequence());
        assertEquals(2, registry.resolve("m@production").version(), "2^32 + 1 did not become version 1");
    }

    @Test
    void aSignatureChangeIsA409UnlessTheClientAllowsIt() throws Exception {
        HttpRegistryClient c = client();
        c.publish("m", TestArtifacts.shaped("m", 1, 4, List.of("a", "b")), Map.of());
        RegistryException e = assertThrows(RegistryException.class, () -> c.publish("m", TestArtifacts.shaped("m", 2, 6, List.of("a", "b")), Map.of()));
        assertEquals(RegistryException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().startsWith("409: input x[6]"), e.getMessage());
        assertEquals(1, registry.lastSequence());
        assertEquals(2, c.publish("m", TestArtifacts.shaped("m", 2, 6, List.of("a", "b")), Map.of(), true).version());
    }
}
