package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.testing.LogLines;
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
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-camera aliases on the operator harness: only the moved alias's cameras swap; missing aliases fall back once-warned. */
class PerCameraFrameScorerTest {
    @TempDir Path dir;
    ModelRegistry registry;
    RegistryConnection conn;
    final Random r = new Random(7);

    @BeforeEach
    void registry() throws Exception {
        registry = new ModelRegistry(new LocalDirectoryStore(dir));
        for (int seed = 1; seed <= 3; seed++) registry.publish("det", new TinyCnn(seed, 24, 32).float32Artifact(), "test", Map.of());
        registry.setAlias("det", "production", 1, "test");
        registry.setAlias("det", "north", 2, "test");
        registry.setAlias("det", "south", 1, "test");
        conn = RegistryConnection.directory(dir, List.of()).allowingUnsigned();
    }

    BroadcastOperatorTestHarness<Frame, ModelUpdate, ScoredFrame> harness(PerCameraFrameScorer fn) throws Exception {
        return new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(fn, List.of(SwappableModel.VERSIONS)), 1, 1, 0);
    }

    Frame frame(String camera, long seq) {
        return NoiseFrames.gray(camera, seq, 64, 48, r);
    }

    ModelUpdate move(String alias, int version) throws Exception {
        ModelVersion v = registry.version("det", version);
        var e = registry.setAlias("det", alias, version, "test");
        return new ModelUpdate(e.sequence(), "det", alias, version, v.sha256(), e.timeMillis());
    }

    @Test
    void onlyTheCameraWhoseAliasMovedSwaps() throws Exception {
        PerCameraFrameScorer fn = PerCameraFrameScorer.builder(conn, "det@production").cameras(List.of("north=north", "south=south")).positiveLabel("a").build();
        try (var h = harness(fn)) {
            h.open();
            String[] cams = {"north", "south", "other"};
            long seq = 0;
            for (; seq < 30; seq++) h.processElement(frame(cams[(int) (seq % 3)], seq), seq * 100);
            h.processBroadcastElement(move("south", 3), 0);
            boolean southOnV3 = false;
            for (int i = 0; i < 3000 && !southOnV3; i++, seq++) { // a bounded hang guard, not a timing assertion
                h.processElement(frame(cams[(int) (seq % 3)], seq), seq * 100);
                ScoredFrame last = h.extractOutputValues().get((int) seq);
                southOnV3 = last.frame.cameraId.equals("south") && last.verdict.modelVersion == 3;
                Thread.sleep(1);
            }
            assertTrue(southOnV3, "south moved to v3");
            for (int i = 0; i < 30; i++, seq++) h.processElement(frame(cams[(int) (seq % 3)], seq), seq * 100);
            List<ScoredFrame> out = h.extractOutputValues();
            assertEquals(seq, out.size(), "every frame scored once");
            int southSwaps = 0, lastSouth = 1;
            for (ScoredFrame s : out) {
                int v = s.verdict.modelVersion;
                switch (s.frame.cameraId) {
                    case "north" -> assertEquals(2, v, "north follows its own alias and never moves");
                    case "other" -> assertEquals(1, v, "a camera without an alias follows the default");
                    default -> {
                        if (v != lastSouth) southSwaps++;
                        lastSouth = v;
                    }
                }
            }
            assertEquals(1, southSwaps, "south: one swap, v1 to v3");
            assertEquals(3, lastSouth);
        }
    }

    @Test
    void aMissingAliasServesTheDefaultWithOneWarningPerCamera() throws Exception {
        PerCameraFrameScorer fn = PerCameraFrameScorer.builder(conn, "det@production").cameras(List.of("east=east", "west=west", "north=north")).positiveLabel("a").build();
        OperatorSubtaskState snapshot;
        try (LogLines log = new LogLines(PerCameraFrameScorer.class); var h = harness(fn)) {
            h.open();
            long seq = 0;
            for (; seq < 60; seq++) h.processElement(frame(seq % 3 == 0 ? "east" : seq % 3 == 1 ? "west" : "north", seq), seq * 100);
            for (ScoredFrame s : h.extractOutputValues()) {
                assertEquals(s.frame.cameraId.equals("north") ? 2 : 1, s.verdict.modelVersion, s.frame.cameraId);
            }
            assertEquals(1, log.lines.stream().filter(l -> l.contains("camera east:")).count(), log.lines.toString());
            assertEquals(1, log.lines.stream().filter(l -> l.contains("camera west:")).count(), log.lines.toString());
            assertEquals(2, log.lines.size(), "no warning for a camera whose alias exists: " + log.lines);
            assertTrue(log.lines.get(0).contains("det@east") && log.lines.get(0).contains("det@production"), log.lines.get(0));
            snapshot = h.snapshot(1, seq * 100);
            // the alias is created: east follows it from then on
            h.processBroadcastElement(move("east", 3), 0);
            boolean eastOnV3 = false;
            for (int i = 0; i < 3000 && !eastOnV3; i++, seq++) {
                h.processElement(frame("east", seq), seq * 100);
                List<ScoredFrame> out = h.extractOutputValues();
                eastOnV3 = out.get(out.size() - 1).verdict.modelVersion == 3;
                Thread.sleep(1);
            }
            assertTrue(eastOnV3, "east moved to its alias once it existed");
        }
        try (LogLines log = new LogLines(PerCameraFrameScorer.class); var h = harness(PerCameraFrameScorer.builder(conn, "det@production")
                .cameras(List.of("east=east", "west=west", "north=north")).positiveLabel("a").build())) {
            h.initializeState(snapshot);
            h.open();
            for (long seq = 0; seq < 10; seq++) h.processElement(frame("west", seq), seq * 100);
            for (ScoredFrame s : h.extractOutputValues()) assertEquals(1, s.verdict.modelVersion);
            assertEquals(List.of(), log.lines, "a restore does not warn again about a camera it already warned about");
        }
    }

    @Test
    void badCameraAliasesAreRefusedWithOneMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> PerCameraFrameScorer.builder(conn, "det@production")
                .cameras(List.of("cam7", "=x", "cam8=", "cam9=a", "cam9=b", "cam10=Bad/alias")).build());
        String m = e.getMessage();
        assertTrue(m.contains("expects camera=alias, got 'cam7'"), m);
        assertTrue(m.contains("got '=x'"), m);
        assertTrue(m.contains("got 'cam8='"), m);
        assertTrue(m.contains("camera cam9 has two aliases: a and b"), m);
        assertTrue(m.contains("invalid alias name 'Bad/alias'"), m);
        assertFalse(m.contains("\n"), "one line");
        var noAlias = assertThrows(IllegalArgumentException.class, () -> PerCameraFrameScorer.builder(conn, "det").build());
        assertTrue(noAlias.getMessage().contains("the model must be name@alias, got 'det'"), noAlias.getMessage());
    }
}
