package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on 127.0.0.1 while publishers and readers hit it at once: every committed publish is answered as one. */
class ServeUnderLoadTest {
    static final String TOKEN = "test-token-0123456789abcdef";
    @TempDir Path dir;
    RegistryHttpServer server;
    URI base;

    @BeforeEach
    void start() throws Exception {
        server = new RegistryHttpServer(TestArtifacts.acceptingUnsigned(dir), new InetSocketAddress("127.0.0.1", 0), TOKEN, 1 << 20).start();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One attempt only: a 500 surfaces as an error instead of being hidden by a retry. */
    HttpRegistryClient noRetry() {
        return new HttpRegistryClient(base, TOKEN, null, List.of(), 1, Duration.ofMillis(10));
    }

    @Test
    void publishesWhileOthersReadAllSucceedOnceEach() throws Exception {
        int publishers = 4, perPublisher = 15, readers = 4;
        HttpRegistryClient first = noRetry();
        first.publish("shared", TestArtifacts.model("shared", 0), Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(publishers + readers);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Future<List<Integer>>> published = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            pool.submit(() -> {
                HttpRegistryClient c = noRetry();
                while (!done.get()) {
                    try {
                        c.resolve("shared");
                        c.events(0, 0);
                    } catch (Exception e) {
                        errors.add(e);
                    }
                }
                return null;
            });
        }
        for (int p = 0; p < publishers; p++) {
            int seed = 1000 * (p + 1);
            published.add(pool.submit(() -> {
                HttpRegistryClient c = noRetry();
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < perPublisher; i++) {
                    try {
                        got.add(c.publish("shared", TestArtifacts.model("shared", seed + i), Map.of()).version());
                    } catch (Exception e) {
                        errors.add(e);
                    }
                }
                return got;
            }));
        }
        Set<Integer> versions = new HashSet<>();
        for (Future<List<Integer>> f : published) versions.addAll(f.get(120, TimeUnit.SECONDS));
        done.set(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(List.of(), new ArrayList<>(errors).stream().map(Throwable::toString).toList());
        int total = 1 + publishers * perPublisher;
        assertEquals(publishers * perPublisher, versions.size());
        ModelRegistry after = new ModelRegistry(new LocalDirectoryStore(dir));
        List<ModelVersion> vs = after.versions("shared");
        assertEquals(total, vs.size());
        Set<String> digests = new HashSet<>();
        for (ModelVersion v : vs) digests.add(v.sha256());
        assertEquals(total, digests.size(), "every artifact is one version");
    }

    @Test
    void aRetriedPublishOfTheSameBytesReturnsTheSameVersion() throws Exception {
        HttpRegistryClient c = noRetry();
        byte[] a = TestArtifacts.model("m", 1);
        ModelVersion v1 = c.publish("m", a, Map.of("data", "d1"));
        c.publish("m", TestArtifacts.model("m", 2), Map.of());
        ModelVersion again = c.publish("m", a, Map.of("data", "d1"));
        assertEquals(v1.version(), again.version());
        assertEquals(v1.sha256(), again.sha256());
        assertEquals(2, new ModelRegistry(new LocalDirectoryStore(dir)).versions("m").size());
        assertEquals(2, c.events(0, 0).size(), "no event for the repeat");
    }
}
