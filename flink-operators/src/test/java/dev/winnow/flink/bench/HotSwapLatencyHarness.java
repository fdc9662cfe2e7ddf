package dev.winnow.flink.bench;

import dev.winnow.flink.frames.HotSwapFrameScorer;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * How long an alias move takes to reach every subtask of a running job, and whether throughput
 * stalls meanwhile: frames at a fixed rate through HotSwapFrameScorer (parallelism 2, four cameras
 * each pinned to one subtask), the alias moved mid-run; prints the time from the move to each
 * camera's first frame scored by the new version, and frames per 100 ms around the swap.
 *
 * <pre>scripts/job-throughput.sh --hot-swap</pre>
 */
public final class HotSwapLatencyHarness {
    static final int CAMERAS = 4, RATE = 2000, SECONDS = 8;
    // harness-only probes shared with the MiniCluster's task threads (same JVM)
    static final Map<String, Long> FIRST_NEW = new ConcurrentHashMap<>();
    static final AtomicLongArray PER_100MS = new AtomicLongArray(SECONDS * 10 + 50);
    static volatile long startNanos;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("winnow-hotswap");
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir));
        registry.publish("det", new TinyCnn(1, 24, 32).float32Artifact(), "bench", Map.of());
        registry.setAlias("det", "production", 1, "bench");
        registry.publish("det", new TinyCnn(2, 24, 32).float32Artifact(), "bench", Map.of());
        RegistryConnection conn = RegistryConnection.directory(dir, List.of()).allowingUnsigned();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
        env.enableCheckpointing(1000);
        Random r = new Random(1);
        byte[] px = new byte[64 * 48];
        r.nextBytes(px);
        var frames = env.fromSource(new DataGeneratorSource<>(i -> new Frame("cam" + (i % CAMERAS), i, i, FrameEncoding.GRAY8, 64, 48, px),
                (long) RATE * SECONDS, RateLimiterStrategy.perSecond(RATE), TypeInformation.of(Frame.class)), WatermarkStrategy.noWatermarks(), "frames").setParallelism(1);
        var updates = RegistryFeedSource.builder(conn).model("det").stopAtSequence(4).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        frames.partitionCustom((camera, n) -> Integer.parseInt(camera.substring(3)) % n, f -> f.cameraId)
                .connect(updates).process(new HotSwapFrameScorer(conn, "det", "production", "a", false))
                .map((MapFunction<ScoredFrame, String>) s -> {
                    long now = System.nanoTime();
                    int bucket = (int) ((now - startNanos) / 100_000_000L);
                    if (bucket >= 0 && bucket < PER_100MS.length()) PER_100MS.incrementAndGet(bucket);
                    if (s.verdict.modelVersion == 2) FIRST_NEW.putIfAbsent(s.frame.cameraId, now);
                    return s.frame.cameraId;
                }).sinkTo(new DiscardingSink<>());
        startNanos = System.nanoTime();
        JobClient job = env.executeAsync("hot swap latency");
        Thread.sleep(4_000);
        long moved = System.nanoTime();
        registry.setAlias("det", "production", 2, "bench");
        job.getJobExecutionResult().get();

        int swapBucket = (int) ((moved - startNanos) / 100_000_000L);
        System.out.println("| camera | alias move → first frame on v2 |");
        System.out.println("|---|---|");
        long worst = 0;
        for (int c = 0; c < CAMERAS; c++) {
            Long t = FIRST_NEW.get("cam" + c);
            if (t == null) {
                System.out.printf("| cam%d | never |%n", c);
                continue;
            }
            worst = Math.max(worst, t - moved);
            System.out.printf("| cam%d | %.0f ms |%n", c, (t - moved) / 1e6);
        }
        System.out.printf("every camera on v2 %.0f ms after the alias moved%n", worst / 1e6);
        StringBuilder b = new StringBuilder("frames per 100 ms around the move (| marks it): ");
        for (int i = Math.max(0, swapBucket - 10); i < Math.min(PER_100MS.length(), swapBucket + 20); i++) {
            if (i == swapBucket) b.append("| ");
            b.append(PER_100MS.get(i)).append(' ');
        }
        System.out.println(b);
    }
}
