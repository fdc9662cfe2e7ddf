package dev.winnow.flink.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.frames.HotSwapFrameScorer;
import dev.winnow.flink.testing.NoiseFrames;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aborted checkpoint at the switch barrier: Flink skips that barrier on a subtask that hears of
 * the abort first, so some subtasks could switch one barrier after the others. A subtask that
 * switched there fails instead, and the job restores from the last completed checkpoint.
 */
class SwapAbortTest {
    @TempDir Path dir;

    private record Setup(HotSwapFrameScorer scorer, List<SwapVote> votes, ModelUpdate v2) {}

    /** A subtask serving v1, and the update that stages v2. */
    private Setup staged() throws Exception {
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir));
        registry.publish("det", new TinyCnn(1, 24, 32).float32Artifact(), "t", Map.of());
        registry.setAlias("det", "production", 1, "t");
        ModelVersion v2 = registry.publish("det", new TinyCnn(2, 24, 32).float32Artifact(), "t", Map.of());
        RegistryConnection conn = RegistryConnection.directory(dir, List.of()).allowingUnsigned();
        HotSwapFrameScorer scorer = new HotSwapFrameScorer(conn, "det", "production", "a", true);
        List<SwapVote> votes = new CopyOnWriteArrayList<>();
        scorer.coordinate(votes::add);
        return new Setup(scorer, votes, new ModelUpdate(4, "det", "production", 2, v2.sha256(), 0));
    }

    /** {@code s}'s subtask in a harness, once it has loaded the staged v2 and voted for it. */
    private static BroadcastOperatorTestHarness<Frame, ModelUpdate, ScoredFrame> voted(Setup s) throws Exception {
        var h = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(s.scorer(), SwappableModel.VERSIONS);
        try {
            h.processBroadcastElement(s.v2(), 1);
            for (int i = 0; i < 600 && s.votes().isEmpty(); i++) Thread.sleep(50);
            assertEquals(1, s.votes().size(), "the subtask voted on the staged version");
            assertTrue(s.votes().get(0).loaded());
            return h;
        } catch (Exception | AssertionError e) {
            h.close();
            throw e;
        }
    }

    @Test
    void anAbortOfTheCheckpointASubtaskSwitchedAtFailsItAndACompletedOneDoesNot() throws Exception {
        Setup s = staged();
        try (var h = voted(s)) {
            s.scorer().decide(new SwapDecision("det@production", 2, 4, true, 5, null));
            h.snapshot(6, 10); // the barrier after checkpoint 5: the switch
            s.scorer().checkpointAborted(5); // before the switch barrier
            var e = assertThrows(IllegalStateException.class, () -> s.scorer().checkpointAborted(6));
            assertEquals("det@production: checkpoint 6 was aborted after this subtask switched to v2 at its barrier; "
                    + "restoring so that every subtask switches at one barrier", e.getMessage());

            s.scorer().checkpointCompleted(6);
            s.scorer().checkpointAborted(6); // completed already: every subtask took that barrier
            s.scorer().checkpointAborted(7);
        }
    }

    /** A subtask that has not switched cannot tell whether anyone took the aborted barrier: it goes on (the one that switched fails). */
    @Test
    void aSubtaskThatHasNotSwitchedGoesOnThroughAborts() throws Exception {
        Setup s = staged();
        try (var h = voted(s)) {
            s.scorer().checkpointAborted(3);
            s.scorer().decide(new SwapDecision("det@production", 2, 4, true, 5, null));
            s.scorer().checkpointAborted(6);
            h.processElement(NoiseFrames.replayable(1L, CoordinatedSwapJobTest.CAMERAS), 10);
            h.snapshot(7, 10);
            h.processElement(NoiseFrames.replayable(2L, CoordinatedSwapJobTest.CAMERAS), 11);
            var versions = h.extractOutputValues().stream().map(f -> f.verdict.modelVersion).toList();
            assertEquals(List.of(1, 2), versions, "v1 before barrier 7, v2 after it");
        }
    }
}
