package dev.winnow.flink.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.frames.FrameScoring;
import dev.winnow.flink.frames.HotSwapFrameScorer;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.DetRegistry;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.NoiseFrames;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coordinated swaps at parallelism 4 on a MiniCluster. One generator numbers the frames and
 * round-robins them to four scorer subtasks, so a checkpoint barrier cuts the sequence at one number
 * for every subtask: a swap at one barrier on all subtasks shows as one cut, every frame before it on
 * the old version and every frame after it on the new one, whichever subtask scored it.
 */
class CoordinatedSwapJobTest {
    static final int PARALLELISM = 4, FRAMES = 4000, CAMERAS = 4;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(new Configuration()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(PARALLELISM).build());

    @TempDir Path dir;

    /** Refuses version 2 on subtask 2 only, as a subtask that cannot load what the others can. */
    static final class FailsV2OnOneSubtask extends HotSwapFrameScorer {
        private static final long serialVersionUID = 1L;
        private transient int subtask;

        FailsV2OnOneSubtask(RegistryConnection conn) {
            super(conn, "det", "production", "a", true);
        }

        @Override
        public void open(OpenContext ctx) throws Exception {
            subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            super.open(ctx);
        }

        @Override
        protected SwappableModel.Loader<FrameScoring> loader() {
            SwappableModel.Loader<FrameScoring> real = super.loader();
            return (model, version, serving) -> {
                if (version == 2 && subtask == 2) throw new IllegalStateException("injected: v2 does not load on subtask 2");
                return real.load(model, version, serving);
            };
        }
    }

    /** Runs the job to its end, {@code driver} seeing the verdicts as they come; {@code fail} (may be null) fails a task once. */
    private List<Verdict> run(RegistryConnection conn, HotSwapFrameScorer scorer, FailOnceAfterCheckpoint<ScoredFrame> fail,
                              Consumer<List<Verdict>> driver) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.restartingEnv(PARALLELISM, 150, 2, Duration.ofMillis(100));
        // the feed ends when the frames do, as in a bounded job with --registry: a feed that ended right after the promote
        // would decline the checkpoints around the swap while its task closes
        FeedStop stop = FeedStop.create();
        DataStream<Frame> frames = env.fromSource(stop.watch(NoiseFrames.source(FRAMES, CAMERAS, 700)), WatermarkStrategy.noWatermarks(), "frames").setParallelism(1).rebalance();
        var updates = RegistryFeedSource.builder(conn).model("det").stopWhen(stop).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        DataStream<ScoredFrame> scored = CoordinatedSwap.process(frames, updates, scorer, TypeInformation.of(ScoredFrame.class), "score").uid("score");
        if (fail != null) scored = scored.map(fail).uid("fail-once");
        DataStream<Verdict> verdicts = scored.map(s -> s.verdict).uid("verdicts");
        List<Verdict> out = new ArrayList<>();
        try (CloseableIterator<Verdict> it = verdicts.executeAndCollect("coordinated swap")) {
            while (it.hasNext()) {
                out.add(it.next());
                driver.accept(out);
            }
        }
        return out;
    }

    /** Every frame once, in order of sequence; the versions in the order they served. */
    private static TreeMap<Long, Integer> versionsBySeq(List<Verdict> out) {
        assertEquals(FRAMES, out.size(), "every frame exactly once");
        TreeMap<Long, Integer> bySeq = new TreeMap<>();
        for (Verdict v : out) assertNull(bySeq.put(v.seq, v.modelVersion), "duplicate frame " + v.seq);
        assertEquals(FRAMES - 1L, bySeq.lastKey());
        return bySeq;
    }

    /** Asserts the versions change at single cuts of the sequence, and returns the cut before each change. */
    private static List<String> cuts(TreeMap<Long, Integer> bySeq) {
        List<String> cuts = new ArrayList<>();
        int last = -1;
        for (var e : bySeq.entrySet()) {
            if (e.getValue() != last) {
                assertFalse(cuts.stream().anyMatch(c -> c.endsWith("v" + e.getValue())), "v" + e.getValue() + " serves again at frame " + e.getKey()
                        + ": the subtasks did not switch at one barrier (" + cuts + ")");
                cuts.add(e.getKey() + ":v" + e.getValue());
                last = e.getValue();
            }
        }
        return cuts;
    }

    @Test
    void everySubtaskSwitchesAtOneBarrierAndRestoresOnTheCommittedVersion() throws Exception {
        Path armed = dir.resolve("armed"), failed = dir.resolve("failed");
        ModelRegistry registry = DetRegistry.onProduction(dir);                                // events 1-2
        RegistryConnection conn = DetRegistry.unsigned(dir);
        int[] v2Seen = {0};
        var fail = new FailOnceAfterCheckpoint<ScoredFrame>(failed, 0).armedBy(armed);
        List<Verdict> out = run(conn, new HotSwapFrameScorer(conn, "det", "production", "a", true), fail, o -> {
            try {
                if (o.size() == 400) {
                    registry.publish("det", new TinyCnn(2, 24, 32).float32Artifact(), "test", Map.of()); // event 3
                    registry.setAlias("det", "production", 2, "test");                                  // event 4
                }
                if (o.get(o.size() - 1).modelVersion == 2 && ++v2Seen[0] == 300) Files.createFile(armed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(Files.exists(failed), "the injected failure happened, so the job restored from a checkpoint taken after the swap");
        List<String> cuts = cuts(versionsBySeq(out));
        System.out.println("coordinated swap, restore after it: first frame of each version " + cuts);
        assertEquals(2, cuts.size(), "v1 then v2, one cut: " + cuts);
        assertTrue(cuts.get(0).endsWith(":v1") && cuts.get(1).endsWith(":v2"), cuts.toString());
    }

    @Test
    void aVersionOneSubtaskCannotLoadServesNowhereAndTheNextOneSwitchesEverywhere() throws Exception {
        ModelRegistry registry = DetRegistry.onProduction(dir);                                // events 1-2
        RegistryConnection conn = DetRegistry.unsigned(dir);
        List<Verdict> out = run(conn, new FailsV2OnOneSubtask(conn), null, o -> {
            try {
                if (o.size() == 400) {
                    registry.publish("det", new TinyCnn(2, 24, 32).float32Artifact(), "test", Map.of()); // event 3
                    registry.setAlias("det", "production", 2, "test");                                  // event 4
                }
                if (o.size() == 1800) {
                    registry.publish("det", new TinyCnn(3, 24, 32).float32Artifact(), "test", Map.of()); // event 5
                    registry.setAlias("det", "production", 3, "test");                                  // event 6
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> cuts = cuts(versionsBySeq(out));
        System.out.println("v2 refused by subtask 2, then v3: first frame of each version " + cuts);
        assertEquals(2, cuts.size(), "v1 until one cut, then v3; v2 nowhere: " + cuts);
        assertTrue(cuts.get(0).endsWith(":v1") && cuts.get(1).endsWith(":v3"), cuts.toString());
        long v3From = Long.parseLong(cuts.get(1).split(":")[0]);
        assertTrue(v3From >= 1800, "v3 was published after frame 1800 came out, and served from frame " + v3From);
    }
}
