package dev.winnow.registry;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load harness (not a unit test): concurrent resolves and artifact downloads against a local
 * registry server on 127.0.0.1, bounded in time and count. Prints requests per second and latency
 * percentiles. Run: {@code mvn -q -pl model-registry -am test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.winnow.registry.RegistryLoadHarness [-Dexec.args="threads seconds"]}.
 */
public final class RegistryLoadHarness {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int maxPerThread = 200_000;
        Path dir = Files.createTempDirectory("registry-load");
        ModelRegistry registry = TestArtifacts.acceptingUnsigned(dir);
        for (int m = 0; m < 5; m++) {
            for (int v = 1; v <= 3; v++) registry.publish("model-" + m, TestArtifacts.model("model-" + m, 10 * m + v), "load", Map.of());
            registry.setAlias("model-" + m, "production", 3, "load");
        }
        try (RegistryHttpServer server = new RegistryHttpServer(registry, new InetSocketAddress("127.0.0.1", 0), "load-token-0123456789", 1 << 20).start()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            long[][] latencies = new long[threads][maxPerThread];
            int[] counts = new int[threads];
            AtomicInteger errors = new AtomicInteger();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> {
                    HttpClient c = HttpClient.newHttpClient();
                    HttpRequest resolve = HttpRequest.newBuilder(base.resolve("/resolve?ref=model-" + (id % 5) + "@production")).build();
                    HttpRequest download = HttpRequest.newBuilder(base.resolve("/models/model-" + (id % 5) + "/versions/3/artifact")).build();
                    int i = 0;
                    while (i < maxPerThread && System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<byte[]> r = c.send(i % 2 == 0 ? resolve : download, HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() != 200) errors.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latencies[id][i++] = System.nanoTime() - t0;
                    }
                    counts[id] = i;
                });
                workers[t].start();
            }
            long start = System.nanoTime();
            for (Thread w : workers) w.join();
            double elapsed = (System.nanoTime() - start) / 1e9;
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int k = 0;
            for (int t = 0; t < threads; t++) for (int i = 0; i < counts[t]; i++) all[k++] = latencies[t][i];
            Arrays.sort(all);
            System.out.printf(Locale.ROOT, "%-8s %-8s %10s %12s %10s %10s %10s %8s%n", "threads", "seconds", "requests", "requests/s", "p50 ms", "p99 ms", "max ms", "errors");
            System.out.printf(Locale.ROOT, "%-8d %-8.1f %10d %12.0f %10.2f %10.2f %10.2f %8d%n", threads, elapsed, total, total / elapsed,
                    all[total / 2] / 1e6, all[(int) (total * 0.99)] / 1e6, all[total - 1] / 1e6, errors.get());
            System.out.println("(half resolves of name@alias, half artifact downloads of " + registry.resolve("model-0@production").size() + " B)");
        }
    }
}
