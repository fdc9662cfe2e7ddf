package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.testing.DetRegistry;
import dev.winnow.flink.testing.NoiseFrames;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot swap on the operator harness: swap between records, version stamps, restore, corrupt updates. */
class HotSwapFrameScorerTest {
    @TempDir Path dir;
    ModelRegistry registry;
    final Random r = new Random(4);

    @BeforeEach
    void registry() throws Exception {
        registry = DetRegistry.onProduction(dir);
    }

    BroadcastOperatorTestHarness<Frame, ModelUpdate, ScoredFrame> harness(boolean onCheckpoint) throws Exception {
        HotSwapFrameScorer fn = new HotSwapFrameScorer(DetRegistry.unsigned(dir), "det", "production", "a", onCheckpoint);
        return new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(fn, List.of(HotSwapFrameScorer.VERSIONS)), 1, 1, 0);
    }

    /** A harness on a fresh start (no restored state), opened. */
    BroadcastOperatorTestHarness<Frame, ModelUpdate, ScoredFrame> opened(boolean onCheckpoint) throws Exception {
        var h = harness(onCheckpoint);
        h.open();
        return h;
    }

    /** The version that scored the newest output. */
    static int lastVersion(BroadcastOperatorTestHarness<Frame, ModelUpdate, ScoredFrame> h) {
        List<ScoredFrame> out = h.extractOutputValues();
        return out.get(out.size() - 1).verdict.modelVersion;
    }

    Frame frame(long seq) {
        return NoiseFrames.gray("cam", seq, 64, 48, r);
    }

    ModelUpdate promote(int seed) throws Exception {
        ModelVersion v = registry.publish("det", new TinyCnn(seed, 24, 32).float32Artifact(), "test", Map.of());
        var e = registry.setAlias("det", "production", v.version(), "test");
        return new ModelUpdate(e.sequence(), "det", "production", v.version(), v.sha256(), e.timeMillis());
    }

    /** Feeds frames until the output is stamped with {@code version} (a bounded hang guard, not a timing assertion). */
    static long feedUntil(BroadcastOperatorTestHarness<Frame, ModelUpdate, ScoredFrame> h, HotSwapFrameScorerTest t, long seq, int version) throws Exception {
        for (int i = 0; i < 2000; i++) {
            h.processElement(t.frame(seq), seq * 100);
            seq++;
            if (lastVersion(h) == version) return seq;
            Thread.sleep(5);
        }
        fail("never reached version " + version);
        return seq;
    }

    @Test
    void swapsBetweenRecordsAndStampsEveryOutput() throws Exception {
        try (var h = opened(false)) {
            long seq = 0;
            for (; seq < 5; seq++) h.processElement(frame(seq), seq * 100);
            h.processBroadcastElement(promote(2), 0);
            seq = feedUntil(h, this, seq, 2);
            List<ScoredFrame> out = h.extractOutputValues();
            assertEquals(seq, out.size(), "every frame scored once");
            int switched = 0;
            for (int i = 0; i < out.size(); i++) {
                assertEquals(i, out.get(i).frame.seq);
                if (i > 0 && out.get(i).verdict.modelVersion != out.get(i - 1).verdict.modelVersion) switched++;
            }
            assertEquals(1, switched, "one swap, from v1 to v2, and no going back");
            assertEquals(1, out.get(0).verdict.modelVersion);
        }
    }

    @Test
    void aRestoreAfterTheSwapResumesOnTheNewVersion() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = opened(false)) {
            h.processBroadcastElement(promote(2), 0);
            feedUntil(h, this, 0, 2);
            snapshot = h.snapshot(1, 1000);
        }
        try (var h = harness(false)) {
            h.initializeState(snapshot);
            h.open(); // open() resolves the alias, but the restored broadcast state wins
            registry.setAlias("det", "production", 1, "test"); // the registry moved on; the job resumes where its state says
            h.processElement(frame(100), 10_000);
            assertEquals(2, h.extractOutputValues().get(0).verdict.modelVersion);
        }
    }

    @Test
    void aCorruptOrUnloadableUpdateNeverReplacesAGoodModel() throws Exception {
        ModelUpdate corrupted = promote(2);
        ModelUpdate intact = promote(3);
        registry.setAlias("det", "production", 1, "test"); // the job starts on v1
        // version 2's stored artifact gets a flipped byte: its digest no longer matches
        Path blob = dir.resolve("blobs/sha256/" + corrupted.sha256 + ".wnm");
        byte[] b = Files.readAllBytes(blob);
        b[b.length / 2] ^= 1;
        Files.write(blob, b);
        // version 3 is intact, but the update claims another digest (a tampered feed)
        ModelUpdate forged = new ModelUpdate(intact.sequence + 10, "det", "production", 3, "ab".repeat(32), 0);
        ModelUpdate missing = new ModelUpdate(intact.sequence + 11, "det", "production", 9, "cd".repeat(32), 0);
        try (var h = opened(false)) {
            for (ModelUpdate u : List.of(corrupted, forged, missing)) {
                h.processBroadcastElement(u, 0);
                for (long seq = 0; seq < 20; seq++) {
                    h.processElement(frame(seq), seq * 100);
                    Thread.sleep(2);
                }
            }
            assertEquals(60, h.extractOutputValues().size());
            for (ScoredFrame s : h.extractOutputValues()) assertEquals(1, s.verdict.modelVersion, "v1 keeps serving");
        }
    }

    @Test
    void swapOnCheckpointSwitchesAtTheNextBarrierAndARestoreFromItKeepsTheNewVersion() throws Exception {
        OperatorSubtaskState atBarrier;
        try (var h = opened(true)) {
            h.processBroadcastElement(promote(2), 0);
            long seq = 0;
            for (; seq < 30; seq++) {
                h.processElement(frame(seq), seq * 100);
                Thread.sleep(5); // v2 has long loaded: only the barrier may switch
            }
            for (ScoredFrame s : h.extractOutputValues()) assertEquals(1, s.verdict.modelVersion, "no barrier yet");
            atBarrier = h.snapshot(7, seq * 100);
            // the switch point is the barrier, not the notification that the checkpoint completed
            h.processElement(frame(seq), seq * 100);
            assertEquals(2, lastVersion(h));
            // an update after barrier 7 waits for barrier 8
            h.processBroadcastElement(promote(3), 0);
            for (int i = 0; i < 10; i++, seq++) {
                h.processElement(frame(seq), seq * 100);
                Thread.sleep(5);
            }
            assertEquals(2, lastVersion(h), "v3 arrived after barrier 7");
            h.snapshot(8, seq * 100);
            h.processElement(frame(seq), seq * 100);
            assertEquals(3, lastVersion(h), "v3 serves from barrier 8");
        }
        try (var h = harness(true)) {
            h.initializeState(atBarrier);
            h.open();
            h.processElement(frame(500), 50_000);
            assertEquals(2, h.extractOutputValues().get(0).verdict.modelVersion, "a restore from checkpoint 7 resumes on the version live at 7");
        }
    }
}
