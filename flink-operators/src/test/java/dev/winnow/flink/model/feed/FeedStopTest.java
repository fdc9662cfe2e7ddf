package dev.winnow.flink.model.feed;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.frames.HotSwapFrameScorer;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.testing.DetRegistry;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.NoiseFrames;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.testing.TinyCnn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded job that follows a registry alias ends when its data ends: the feed, unbounded by
 * itself, stops with the data source it was told to watch, after the alias moved mid-run.
 */
class FeedStopTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final int FRAMES = 1200;

    @TempDir Path dir;

    @Test
    void boundedDataEndsAJobThatFollowsAnAlias() throws Exception {
        ModelRegistry registry = DetRegistry.onProduction(dir);                                // events 1-2
        RegistryConnection conn = DetRegistry.unsigned(dir);

        StreamExecutionEnvironment env = FlinkTests.env(2, 200);
        FeedStop stop = FeedStop.create();
        DataStream<Frame> frames = env.fromSource(stop.watch(NoiseFrames.source(FRAMES, 2, 200)), WatermarkStrategy.noWatermarks(), "frames");
        // no stopAtSequence: without the stop this feed, and so the job, would run for ever
        var updates = RegistryFeedSource.builder(conn).model("det").stopWhen(stop).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        DataStream<Verdict> verdicts = frames.connect(updates).process(new HotSwapFrameScorer(conn, "det", "production", "a", false)).map(s -> s.verdict);

        List<Verdict> out = new ArrayList<>();
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
            try (CloseableIterator<Verdict> it = verdicts.executeAndCollect("feed stop")) {
                while (it.hasNext()) {
                    Verdict v = it.next();
                    synchronized (out) {
                        out.add(v);
                        if (out.size() == 200) {
                            registry.publish("det", new TinyCnn(2, 24, 32).float32Artifact(), "test", Map.of());
                            registry.setAlias("det", "production", 2, "test");
                        }
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        run.get(60, TimeUnit.SECONDS); // fails with a TimeoutException if the feed kept the job alive
        assertEquals(FRAMES, out.size(), "every frame scored once");
        assertEquals(1, out.get(0).modelVersion);
        assertTrue(out.stream().anyMatch(v -> v.modelVersion == 2), "the alias move reached the running job");
    }

    @Test
    void enumeratorCheckpointKeepsTheFinishedReaders() throws IOException {
        SimpleVersionedSerializer<String> inner = new SimpleVersionedSerializer<>() {
            @Override public int getVersion() { return 7; }
            @Override public byte[] serialize(String s) { return s.getBytes(); }
            @Override public String deserialize(int v, byte[] b) throws IOException {
                if (v != 7) throw new IOException("v" + v);
                return new String(b);
            }
        };
        var s = new EndSignallingSource.CheckpointSerializer<>(inner);
        var back = s.deserialize(1, s.serialize(new EndSignallingSource.Checkpoint<>("splits", Set.of(0, 3))));
        assertEquals("splits", back.inner());
        assertEquals(Set.of(0, 3), back.finished());
        assertThrows(IOException.class, () -> s.deserialize(2, new byte[0]));
    }
}
