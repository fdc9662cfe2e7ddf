package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.NoiseFrames;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-camera aliases in a running job at parallelism 2 with checkpoints and swaps at the barrier.
 * Cameras cam0/cam1 follow alias north, cam2/cam3 alias south (one camera of each pair on each
 * subtask), cam4 an alias that does not exist, cam5 none. South moves mid-run: only cam2 and cam3
 * change version, both at the same checkpoint barrier; then north moves in the registry after the
 * feed has ended and a task fails: after the restore every camera is still on the version its alias
 * had at the checkpoint. cam4 gets the default model and exactly one warning in the whole run.
 */
class PerCameraJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final int FRAMES = 3000, CAMERAS = 6;

    @TempDir Path dir;

    /** One verdict with the checkpoint epoch it was made in (the id of the last barrier its subtask passed). */
    public static class Tagged {
        public String camera;
        public long seq;
        public int version;
        public long epoch;
        public int subtask;
        public boolean restored;
    }

    /** Chained after the scorer: tags each verdict with its epoch. */
    static final class Epochs extends RichMapFunction<ScoredFrame, Tagged> implements CheckpointedFunction {
        private transient long epoch;
        private transient boolean restored;

        @Override
        public void initializeState(FunctionInitializationContext ctx) {
            restored = ctx.isRestored();
            epoch = ctx.getRestoredCheckpointId().orElse(0L);
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) {
            epoch = ctx.getCheckpointId();
        }

        @Override
        public Tagged map(ScoredFrame s) {
            Tagged t = new Tagged();
            t.camera = s.frame.cameraId;
            t.seq = s.frame.seq;
            t.version = s.verdict.modelVersion;
            t.epoch = epoch;
            t.subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            t.restored = restored;
            return t;
        }
    }

    @Test
    void aMovedAliasSwapsOnlyItsCamerasAtOneCheckpointAndARestoreKeepsEveryCameraOnItsVersion() throws Exception {
        Path armed = dir.resolve("armed"), failed = dir.resolve("failed");
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir));
        for (int seed = 1; seed <= 3; seed++) registry.publish("det", new TinyCnn(seed, 24, 32).float32Artifact(), "test", Map.of()); // events 1-3
        registry.setAlias("det", "production", 1, "test");                                                                         // event 4
        registry.setAlias("det", "north", 2, "test");                                                                              // event 5
        registry.setAlias("det", "south", 1, "test");                                                                              // event 6
        RegistryConnection conn = RegistryConnection.directory(dir, List.of()).allowingUnsigned();

        StreamExecutionEnvironment env = FlinkTests.restartingEnv(2, 200, 2, Duration.ofMillis(100));

        DataStream<Frame> frames = env.fromSource(NoiseFrames.source(FRAMES, CAMERAS, 600), WatermarkStrategy.noWatermarks(), "frames").setParallelism(1);
        // the feed ends after the south move (event 7): the later north move reaches the registry, never the job
        var updates = RegistryFeedSource.builder(conn).model("det").stopAtSequence(7).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        PerCameraFrameScorer scorer = PerCameraFrameScorer.builder(conn, "det@production")
                .cameras(List.of("cam0=north", "cam1=north", "cam2=south", "cam3=south", "cam4=east"))
                .positiveLabel("a").swapOnCheckpoint(true).build();
        DataStream<Tagged> tagged = frames
                // camera i on subtask i % 2: each alias is served by both subtasks
                .partitionCustom((camera, n) -> Integer.parseInt(camera.substring(3)) % n, f -> f.cameraId)
                .connect(updates).process(scorer).uid("score")
                // fails its task once, at the first record after a checkpoint that completed once the test armed it
                .map(new FailOnceAfterCheckpoint<ScoredFrame>(failed, 0).armedBy(armed)).uid("fail-once")
                .map(new Epochs()).uid("epochs");

        List<Tagged> out = new ArrayList<>();
        boolean southMoved = false, northMoved = false;
        Map<String, Integer> onV3 = new HashMap<>();
        try (LogLines log = new LogLines(PerCameraFrameScorer.class);
             CloseableIterator<Tagged> it = tagged.executeAndCollect("per-camera swap")) {
            while (it.hasNext()) {
                Tagged t = it.next();
                out.add(t);
                if (out.size() == 300 && !southMoved) {
                    registry.setAlias("det", "south", 3, "test");                                                                  // event 7
                    southMoved = true;
                }
                if (t.version == 3) onV3.merge(t.camera, 1, Integer::sum);
                if (!northMoved && onV3.getOrDefault("cam2", 0) >= 50 && onV3.getOrDefault("cam3", 0) >= 50) {
                    registry.setAlias("det", "north", 1, "test");                                                                  // event 8
                    northMoved = true;
                    Files.createFile(armed);
                }
            }
            assertEquals(1, log.lines.stream().filter(l -> l.contains("camera cam4:")).count(), "one warning for cam4: " + log.lines);
            assertEquals(1, log.lines.size(), "no warning for cameras whose alias exists or that have none: " + log.lines);
        }

        assertTrue(Files.exists(failed), "the injected failure happened, so the job restored from a checkpoint");
        assertTrue(northMoved, "south reached v3 on both subtasks and north moved in the registry");
        assertEquals(FRAMES, out.size(), "every frame exactly once");
        Set<Long> seqs = new HashSet<>();
        for (Tagged t : out) assertTrue(seqs.add(t.seq), "duplicate frame " + t.seq);

        Map<String, Integer> restoredPerCamera = new HashMap<>();
        for (Tagged t : out) {
            if (t.restored) restoredPerCamera.merge(t.camera, 1, Integer::sum);
            switch (t.camera) {
                case "cam0", "cam1" -> assertEquals(2, t.version, "north's cameras stay on v2, after the restore too (" + t.camera + "#" + t.seq + ")");
                case "cam4", "cam5" -> assertEquals(1, t.version, "the default model serves a missing alias and no alias (" + t.camera + "#" + t.seq + ")");
                default -> assertTrue(t.version == 1 || t.version == 3, t.camera + "#" + t.seq + " on v" + t.version);
            }
        }
        for (int c = 0; c < CAMERAS; c++) assertTrue(restoredPerCamera.getOrDefault("cam" + c, 0) > 0, "cam" + c + " scored after the restore");

        // south's cameras switch at one barrier: the same checkpoint on both subtasks, no epoch with both versions
        long switchAt = -1;
        for (String cam : List.of("cam2", "cam3")) {
            long first = out.stream().filter(t -> t.camera.equals(cam) && t.version == 3).mapToLong(t -> t.epoch).min().orElseThrow();
            for (Tagged t : out) {
                if (!t.camera.equals(cam)) continue;
                assertEquals(t.epoch >= first ? 3 : 1, t.version, cam + "#" + t.seq + " in epoch " + t.epoch + " (switch at checkpoint " + first + ")");
            }
            assertTrue(first > 0, "the switch is at a checkpoint barrier");
            if (switchAt < 0) switchAt = first;
            assertEquals(switchAt, first, "cam2 (subtask 0) and cam3 (subtask 1) switch at the same checkpoint");
        }
        assertEquals(Set.of(0, 1), new HashSet<>(List.of(out.stream().filter(t -> t.camera.equals("cam2")).findFirst().orElseThrow().subtask,
                out.stream().filter(t -> t.camera.equals("cam3")).findFirst().orElseThrow().subtask)), "south is served by both subtasks");
    }
}
