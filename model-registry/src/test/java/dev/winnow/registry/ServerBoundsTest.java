package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's bounds against clients that hold connections: idle, slow (a request that never
 * finishes), long polling, uploading in parallel. The others are still answered, and what is over a
 * bound is refused with 503 and Retry-After, never queued forever.
 */
class ServerBoundsTest {
    static final String TOKEN = "test-token-0123456789abcdef";
    @TempDir Path dir;
    @TempDir Path spool;
    RegistryHttpServer server;
    URI base;
    final List<Socket> held = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RegistryHttpServer start(RegistryHttpServer.Config.Builder config) throws Exception {
        ModelRegistry registry = TestArtifacts.acceptingUnsigned(dir);
        server = new RegistryHttpServer(registry, new InetSocketAddress("127.0.0.1", 0), config.spoolDir(spool).build()).start();
        base = URI.create("http://127.0.0.1:" + server.port());
        return server;
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : held) s.close();
        if (server != null) server.close();
    }

    Socket open(String send) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        held.add(s);
        if (!send.isEmpty()) {
            s.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        return s;
    }

    /** Generous bounds: the assertion is that an answer comes at all, not how fast. */
    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    HttpRequest.Builder upload(String model, byte[] body) {
        return HttpRequest.newBuilder(base.resolve("/models/" + model + "/versions")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    static void assertOneLineJsonError(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"error\":"), r.body());
        assertEquals(1, r.body().strip().lines().count(), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    static String statusLine(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\r'; ) line.append((char) c);
        return line.toString();
    }

    @Test
    void idleSlowAndLongPollingClientsDoNotStarveOthers() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN));
        new ModelRegistry(new LocalDirectoryStore(dir)).publish("m", TestArtifacts.model("m", 1), "t", Map.of(), false, "production");
        for (int i = 0; i < 50; i++) open("");                                             // connected, silent
        for (int i = 0; i < 30; i++) open("GET /health HTTP/1.1\r\nHost: x\r\n");         // headers never finished
        List<Socket> polls = new ArrayList<>();
        for (int i = 0; i < 30; i++) polls.add(open("GET /events?after=1&wait=60 HTTP/1.1\r\nHost: x\r\n\r\n"));
        await(() -> server.parkedLongPolls() == 30, "the long polls are parked");

        HttpResponse<String> r = send(get("/resolve?ref=m@production"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"version\":1"), r.body());
        // a write gets through as well, and wakes every parked follower with the new event
        HttpResponse<String> p = send(upload("m", TestArtifacts.model("m", 2)));
        assertEquals(201, p.statusCode(), p.body());
        for (Socket s : polls) assertEquals("HTTP/1.1 200 OK", statusLine(s));
    }

    @Test
    void longPollsBeyondTheirCapAreRefusedWithRetryAfter() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN).maxLongPolls(2).retryAfterSeconds(3));
        open("GET /events?after=0&wait=60 HTTP/1.1\r\nHost: x\r\n\r\n");
        open("GET /events?after=0&wait=60 HTTP/1.1\r\nHost: x\r\n\r\n");
        await(() -> server.parkedLongPolls() == 2, "two long polls are parked");
        HttpResponse<String> r = send(get("/events?after=0&wait=60"));
        assertOneLineJsonError(r, 503);
        assertEquals("3", r.headers().firstValue("Retry-After").orElse(null));
        // polls that need not wait are answered as ever
        assertEquals(200, send(get("/events?after=0&wait=0")).statusCode());
    }

    @Test
    void requestsBeyondTheWorkerCapAreRefusedNotQueued() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN).maxConcurrentRequests(2));
        Socket a = open("GET /health HTTP/1.1\r\nHost: x\r\n");
        Socket b = open("GET /health HTTP/1.1\r\nHost: x\r\n");
        await(() -> server.busyWorkers() == 2, "both workers read a stalled request");
        HttpResponse<String> r = send(get("/health"));
        assertOneLineJsonError(r, 503);
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        a.close();
        b.close();
        await(() -> server.busyWorkers() == 0, "the workers are free again");
        assertEquals(200, send(get("/health")).statusCode());
    }

    @Test
    void anUploadBeyondTheUploadCapIsRefusedAndTheSpoolIsCleaned() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN).maxUploads(1));
        // one upload that has sent part of its body holds the only upload slot
        Socket slow = open("POST /models/m/versions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 100000\r\n\r\nWNM");
        await(() -> countFiles(spool) == 1, "the slow upload is being spooled");
        HttpResponse<String> r = send(upload("m", TestArtifacts.model("m", 1)));
        assertOneLineJsonError(r, 503);
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        slow.close(); // the cut-off body is refused and its spool file removed
        await(() -> countFiles(spool) == 0, "the spool is empty");
        // the slot is freed just after the spool file goes: a client retries while it is told to (503 + Retry-After)
        HttpResponse<String> again;
        long end = System.currentTimeMillis() + 10_000;
        do {
            again = send(upload("m", TestArtifacts.model("m", 1)));
            if (again.statusCode() == 503) Thread.sleep(50);
        } while (again.statusCode() == 503 && System.currentTimeMillis() < end);
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(0, countFiles(spool));
        assertEquals(1, new ModelRegistry(new LocalDirectoryStore(dir)).versions("m").size());
    }

    @Test
    void parallelUploadsEachSucceedOrAreRefusedWholeUnderASmallMemoryBudget() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN).maxUploads(3).artifactMemoryBytes(1 << 20).memoryWait(Duration.ofMillis(50)));
        int n = 12;
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) bodies.add(TestArtifacts.sized("big", i + 1, 120_000)); // ~480 KB: 2x fills most of the budget
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (byte[] b : bodies) answers.add(pool.submit(() -> { go.await(); return send(upload("big", b).header("Content-Type", "application/octet-stream")); }));
        go.countDown();
        int created = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 201) {
                created++;
            } else {
                assertOneLineJsonError(r, 503);
                assertTrue(r.headers().firstValue("Retry-After").isPresent());
            }
        }
        pool.shutdown();
        assertTrue(created >= 1, "at least the first upload is accepted");
        ModelRegistry after = new ModelRegistry(new LocalDirectoryStore(dir));
        List<ModelVersion> vs = after.versions("big");
        assertEquals(created, vs.size(), "each accepted upload is one version, each refused one none");
        Set<String> digests = new HashSet<>();
        for (ModelVersion v : vs) {
            byte[] stored = after.artifact(v);
            assertTrue(bodies.stream().anyMatch(b -> java.util.Arrays.equals(b, stored)), "stored whole");
            digests.add(v.sha256());
        }
        assertEquals(created, digests.size());
        assertEquals(created, after.events(0, 1000).size());
        assertEquals(0, countFiles(spool), "no spool file left");
    }

    @Test
    void downloadsWaitForTheArtifactMemoryOrAreRefused() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN).artifactMemoryBytes(1 << 20).memoryWait(Duration.ofMillis(100)));
        byte[] big = TestArtifacts.sized("big", 1, 120_000);
        assertEquals(201, send(upload("big", big)).statusCode());
        HttpResponse<byte[]> ok = http.send(get("/models/big/versions/1/artifact").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertArrayEquals(big, ok.body(), "served whole, in slices");
        String etag = ok.headers().firstValue("ETag").orElseThrow();

        int held = server.takeArtifactMemory(); // as if other downloads filled the budget
        try {
            HttpResponse<String> busy = send(get("/models/big/versions/1/artifact"));
            assertOneLineJsonError(busy, 503);
            assertTrue(busy.headers().firstValue("Retry-After").isPresent());
            // a client that has the bytes needs no memory to be told so
            assertEquals(304, send(get("/models/big/versions/1/artifact").header("If-None-Match", etag)).statusCode());
        } finally {
            server.returnArtifactMemory(held);
        }
        assertEquals(200, send(get("/models/big/versions/1/artifact")).statusCode());
    }

    @Test
    void hostileRequestsOnTheUploadPathGetOneLine4xx() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN).maxUploadBytes(1 << 20));
        byte[] a = TestArtifacts.model("m", 1);
        assertOneLineJsonError(send(HttpRequest.newBuilder(base.resolve("/models/m/versions?alias=..%2Fx")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(a))), 400);
        assertOneLineJsonError(send(HttpRequest.newBuilder(base.resolve("/models/m/versions?alias=")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(a))), 400);
        assertOneLineJsonError(send(HttpRequest.newBuilder(base.resolve("/models/m/versions")).POST(HttpRequest.BodyPublishers.ofByteArray(a))), 401);
        assertOneLineJsonError(send(upload("m", new byte[] {1, 2, 3})), 400);
        assertOneLineJsonError(send(get("/events?after=0&wait=soon")), 400);
        // a body longer than the limit without a declared length (chunked) is cut off at the limit
        byte[] big = new byte[(1 << 20) + 10];
        HttpRequest chunked = HttpRequest.newBuilder(base.resolve("/models/m/versions")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).timeout(Duration.ofSeconds(10)).build();
        try {
            assertOneLineJsonError(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413);
        } catch (IOException reset) {
            // the server may close the connection while the client still sends: refused either way
        }
        // a Content-Length that the body does not fill: the client gives up sending
        Socket s = open("POST /models/m/versions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 5000\r\n\r\nWNM");
        s.shutdownOutput();
        assertEquals("HTTP/1.1 400 Bad Request", statusLine(s));
        assertEquals(0, countFiles(spool));
        assertThrows(RegistryException.class, () -> new ModelRegistry(new LocalDirectoryStore(dir)).versions("m"), "nothing was published");
    }

    @Test
    void aPublishThatNamesAnAliasIsOneEvent() throws Exception {
        start(RegistryHttpServer.Config.builder(TOKEN));
        HttpRegistryClient c = new HttpRegistryClient(base, TOKEN, null, List.of(), 1, Duration.ofMillis(10));
        c.publish("m", TestArtifacts.model("m", 1), Map.of(), false, "production");
        ModelVersion v2 = c.publish("m", TestArtifacts.model("m", 2), Map.of(), false, "production");
        assertEquals(2, c.resolve("m@production").version());
        List<RegistryEvent> events = c.events(0, 0);
        assertEquals(2, events.size());
        RegistryEvent e = events.get(1);
        assertEquals(RegistryEvent.Type.PUBLISH, e.type());
        assertTrue(e.movesAlias());
        assertEquals(1, e.previousVersion());
        assertEquals(v2.version(), e.version());
        // a retry of the same bytes is the same version and moves nothing
        assertEquals(2, c.publish("m", TestArtifacts.model("m", 2), Map.of(), false, "production").version());
        assertEquals(2, c.events(0, 0).size());
        // rollback knows where the publish moved the alias from
        assertEquals(1, c.rollback("m", "production").version());
    }

    @Test
    void theClientWaitsWhatRetryAfterSaysWithinAMinute() {
        assertEquals(2000, HttpRegistryClient.retryAfterMillis("2"));
        assertEquals(60_000, HttpRegistryClient.retryAfterMillis("86400"), "a hostile server cannot park the client for a day");
        assertEquals(0, HttpRegistryClient.retryAfterMillis("-5"));
        assertEquals(0, HttpRegistryClient.retryAfterMillis("Wed, 21 Oct 2026 07:28:00 GMT"), "the date form falls back to the client's backoff");
        assertEquals(0, HttpRegistryClient.retryAfterMillis(null));
    }

    @Test
    void theConfigRefusesBoundsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> RegistryHttpServer.Config.builder("short").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegistryHttpServer.Config.builder(TOKEN).maxConcurrentRequests(1).build());
        assertTrue(e.getMessage().contains("maxConcurrentRequests"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RegistryHttpServer.Config.builder(TOKEN).maxUploadBytes(65L << 20).build());
        assertThrows(IllegalArgumentException.class, () -> RegistryHttpServer.Config.builder(TOKEN).artifactMemoryBytes(1000).build());
    }

    static long countFiles(Path d) {
        try (var s = Files.list(d)) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
