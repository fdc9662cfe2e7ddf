package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.DetRegistry;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.NoiseFrames;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job on a MiniCluster with checkpointing: the registry alias moves to a good version, then
 * to a corrupt one, then a task fails and the job restores from a checkpoint taken after the swap.
 * Every frame comes out exactly once, stamped with the version that scored it; no frame is ever
 * scored by the corrupt version, and no camera goes back to the old version after the restore.
 */
class HotSwapJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final int FRAMES = 3000, CAMERAS = 4;

    @TempDir Path dir;

    @Test
    void swapsMidStreamExactlyOnceAndRestoresOnTheNewVersion() throws Exception {
        Path armed = dir.resolve("armed"), failed = dir.resolve("failed");
        ModelRegistry registry = DetRegistry.onProduction(dir);                                // events 1-2
        RegistryConnection conn = DetRegistry.unsigned(dir);

        StreamExecutionEnvironment env = FlinkTests.restartingEnv(2, 200, 2, Duration.ofMillis(100));

        DataStream<Frame> frames = env.fromSource(NoiseFrames.source(FRAMES, CAMERAS, 600), WatermarkStrategy.noWatermarks(), "frames")
                .setParallelism(1); // one generator: frame order is sequence order
        var updates = RegistryFeedSource.builder(conn).model("det").stopAtSequence(6).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        DataStream<Verdict> verdicts = frames
                // one camera, one scorer subtask: its stamps must then move forward only
                .partitionCustom((camera, n) -> Integer.parseInt(camera.substring(3)) % n, f -> f.cameraId)
                .connect(updates)
                .process(new HotSwapFrameScorer(conn, "det", "production", "a", false))
                .map(new FailOnceAfterCheckpoint<ScoredFrame>(failed, 0).armedBy(armed))
                .map(s -> s.verdict);

        List<Verdict> out = new ArrayList<>();
        ModelVersion corrupt = null;
        int v2Seen = 0;
        try (CloseableIterator<Verdict> it = verdicts.executeAndCollect("hot swap")) {
            while (it.hasNext()) {
                Verdict v = it.next();
                out.add(v);
                if (v.modelVersion == 2) v2Seen++;
                if (out.size() == 200) {
                    registry.publish("det", new TinyCnn(2, 24, 32).float32Artifact(), "test", Map.of());  // event 3
                    registry.setAlias("det", "production", 2, "test");                                   // event 4
                }
                if (v2Seen == 100 && corrupt == null) {
                    corrupt = registry.publish("det", new TinyCnn(3, 24, 32).float32Artifact(), "test", Map.of()); // event 5
                    Path blob = dir.resolve("blobs/sha256/" + corrupt.sha256() + ".wnm");
                    byte[] b = Files.readAllBytes(blob);
                    b[b.length / 2] ^= 1;
                    Files.write(blob, b);
                    registry.setAlias("det", "production", 3, "test");                                   // event 6
                }
                if (v2Seen == 300) Files.createFile(armed);
            }
        }

        assertTrue(Files.exists(failed), "the injected failure happened, so the job restored from a checkpoint");
        assertNotNull(corrupt, "the corrupt version was promoted during the run");
        assertEquals(FRAMES, out.size(), "every frame exactly once");
        TreeMap<Long, Verdict> bySeq = new TreeMap<>();
        for (Verdict v : out) assertNull(bySeq.put(v.seq, v), "duplicate frame " + v.seq);
        assertEquals(0L, bySeq.firstKey());
        assertEquals(FRAMES - 1L, bySeq.lastKey());
        for (int c = 0; c < CAMERAS; c++) {
            int last = 0;
            for (Verdict v : bySeq.values()) {
                if (!v.cameraId.equals("cam" + c)) continue;
                assertTrue(v.modelVersion == 1 || v.modelVersion == 2, "frame " + v.seq + " scored by v" + v.modelVersion);
                assertTrue(v.modelVersion >= last, "cam" + c + " went back from v" + last + " to v" + v.modelVersion + " at frame " + v.seq);
                last = v.modelVersion;
            }
            assertEquals(2, last, "cam" + c + " ends on v2");
        }
        assertEquals(1, bySeq.firstEntry().getValue().modelVersion);
    }
}
