package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job following an alias with a trust list, on a MiniCluster: the alias moves to an unsigned
 * version, then to one signed by a key not in the list. Neither is loaded; the signed first version
 * keeps scoring every frame, the job runs to the end and the refusals are counted in modelSwapsFailed.
 */
class UntrustedSwapJobTest {
    static final org.apache.flink.runtime.testutils.InMemoryReporter REPORTER = org.apache.flink.runtime.testutils.InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(REPORTER);

    static final int FRAMES = 1200, CAMERAS = 2;

    @TempDir Path dir;

    static final class ToVerdict implements org.apache.flink.api.common.functions.MapFunction<ScoredFrame, Verdict> {
        @Override
        public Verdict map(ScoredFrame s) {
            return s.verdict;
        }
    }

    @Test
    void unsignedAndUntrustedVersionsAreRefusedAndTheTrustedOneKeepsServing() throws Exception {
        KeyPair ours = Ed25519Keys.generate(), theirs = Ed25519Keys.generate();
        Path pem = dir.resolve("ours.pub.pem");
        Ed25519Keys.writePem(pem, ours.getPublic());
        Path reg = dir.resolve("registry");
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(reg));
        registry.publish("det", ArtifactWriter.sign(new TinyCnn(1, 24, 32).float32Artifact(), ours.getPrivate(), ours.getPublic()), "test", Map.of()); // event 1
        registry.setAlias("det", "production", 1, "test");                                                                                          // event 2
        RegistryConnection conn = RegistryConnection.directory(reg, List.of(pem));

        StreamExecutionEnvironment env = FlinkTests.restartingEnv(2, 200, 0, Duration.ofMillis(100));
        DataStream<Frame> frames = env.fromSource(dev.winnow.flink.testing.NoiseFrames.source(FRAMES, CAMERAS, 600), WatermarkStrategy.noWatermarks(), "frames").setParallelism(1);
        var updates = RegistryFeedSource.builder(conn).model("det").stopAtSequence(6).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        DataStream<Verdict> verdicts = frames.connect(updates).process(new HotSwapFrameScorer(conn, "det", "production", "a", false))
                .uid("scorer").map(new ToVerdict()).uid("verdicts");

        List<Verdict> out = new ArrayList<>();
        CloseableIterator<Verdict> collected = verdicts.collectAsync();
        org.apache.flink.core.execution.JobClient client = env.executeAsync("untrusted swap");
        try (CloseableIterator<Verdict> it = collected) {
            while (it.hasNext()) {
                out.add(it.next());
                if (out.size() == 200) {
                    registry.publish("det", new TinyCnn(2, 24, 32).float32Artifact(), "test", Map.of());        // event 3: unsigned
                    registry.setAlias("det", "production", 2, "test");                                         // event 4
                    registry.publish("det", ArtifactWriter.sign(new TinyCnn(3, 24, 32).float32Artifact(), theirs.getPrivate(), theirs.getPublic()),
                            "test", Map.of());                                                                 // event 5: untrusted key
                    registry.setAlias("det", "production", 3, "test");                                         // event 6
                }
            }
        }
        assertEquals(FRAMES, out.size(), "every frame scored; the refused versions did not fail the job");
        Set<Integer> versions = new HashSet<>();
        for (Verdict v : out) versions.add(v.modelVersion);
        assertEquals(Set.of(1), versions, "only the trusted v1 ever scored");
        client.getJobExecutionResult().get();
        // each of the 2 scorer subtasks refuses at least the last update (an earlier one may be superseded while loading)
        long refused = FrameMetricsJobTest.sum(REPORTER, client.getJobID(), "modelSwapsFailed");
        assertTrue(refused >= 2 && refused <= 4, "refusals counted in modelSwapsFailed: " + refused);
    }
}
