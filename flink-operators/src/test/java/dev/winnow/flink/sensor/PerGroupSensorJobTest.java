package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
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
 * Per-group models in a running job at parallelism 2 against a signed directory registry. Sensors
 * n0/n1 are in group north (by the explicit map), south-0/south-1 in group south (by the prefix
 * rule), e0 in group east whose alias does not exist, x0 in no group; each group has a sensor on each
 * subtask. South moves to v3 mid-run: only its sensors change version. Then south moves to v4, a
 * model of another width: every subtask refuses it and south stays on v3. A task then fails; after
 * the restore every group is still on its version (south on v3, not v4), and east was warned about
 * once in the whole run.
 */
class PerGroupSensorJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final int WINDOWS = 3000;
    static final List<String> SENSORS = List.of("n0", "n1", "south-0", "south-1", "e0", "x0");
    // test-only switches between the test thread and the job's tasks (same JVM on the MiniCluster)
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @TempDir Path dir;

    static FeatureVector window(long seq) {
        FeatureVector v = new FeatureVector();
        v.sensorId = SENSORS.get((int) (seq % SENSORS.size()));
        v.windowStartMillis = seq * 10;
        v.windowEndMillis = seq * 10 + 10;
        v.readings = 8;
        v.features = new float[] {seq % 20, 0, 0, 0};
        return v;
    }

    public static class Tagged {
        public String sensor;
        public long start;
        public int version;
        public boolean restored;
    }

    /** Chained after the classifier: fails its task once, at the first record after a checkpoint completed once the test armed it. */
    static final class FailOnce extends RichMapFunction<SensorEvent, Tagged> implements CheckpointedFunction, CheckpointListener {
        private transient boolean restored;
        private transient volatile boolean checkpointSinceArmed;

        @Override
        public void initializeState(FunctionInitializationContext ctx) {
            restored = ctx.isRestored();
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) {}

        @Override
        public void notifyCheckpointComplete(long id) {
            if (ARMED.get()) checkpointSinceArmed = true;
        }

        @Override
        public Tagged map(SensorEvent e) {
            if (checkpointSinceArmed && FAILED.compareAndSet(false, true)) throw new IllegalStateException("injected failure after the refused swap");
            Tagged t = new Tagged();
            t.sensor = e.sensorId;
            t.start = e.windowStartMillis;
            t.version = e.modelVersion;
            t.restored = restored;
            return t;
        }
    }

    @Test
    void aMovedGroupAliasSwapsOnlyItsSensorsAndAWrongWidthIsRefusedAcrossARestore() throws Exception {
        ARMED.set(false);
        FAILED.set(false);
        KeyPair key = Ed25519Keys.generate();
        Path pem = dir.resolve("ours.pub.pem");
        Ed25519Keys.writePem(pem, key.getPublic());
        Path reg = dir.resolve("registry");
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(reg));
        for (int v = 1; v <= 3; v++) {
            byte[] signed = ArtifactWriter.sign(HotSwapSensorClassifierTest.thresholdModel(4, 9f + v), key.getPrivate(), key.getPublic());
            registry.publish("alarm", signed, "test", Map.of());                                                        // events 1-3
        }
        registry.setAlias("alarm", "production", 1, "test");                                                            // event 4
        registry.setAlias("alarm", "north", 2, "test");                                                                  // event 5
        registry.setAlias("alarm", "south", 1, "test");                                                                  // event 6
        RegistryConnection conn = RegistryConnection.directory(reg, List.of(pem));                                       // signed only

        StreamExecutionEnvironment env = FlinkTests.restartingEnv(2, 200, 2, Duration.ofMillis(100));
        DataStream<FeatureVector> windows = env.fromSource(new DataGeneratorSource<>(PerGroupSensorJobTest::window, WINDOWS, RateLimiterStrategy.perSecond(600),
                TypeInformation.of(FeatureVector.class)), WatermarkStrategy.noWatermarks(), "windows").setParallelism(1);
        // the feed ends with the move to the wrong-width v4 (event 9)
        var updates = RegistryFeedSource.builder(conn).model("alarm").stopAtSequence(9).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        PerGroupSensorClassifier classifier = PerGroupSensorClassifier.builder(conn, "alarm@production")
                .groups(SensorGroups.of(Map.of("n0", "north", "n1", "north", "e0", "east")).withPrefixRule("-"))
                .groupAliases(List.of("north=north", "south=south", "east=east"))
                .relevant(Set.of("normal", "alarm")).features(4).build();
        DataStream<Tagged> tagged = windows
                // sensor i on subtask i % 2: each group is served by both subtasks
                .partitionCustom((sensor, n) -> SENSORS.indexOf(sensor) % n, v -> v.sensorId)
                .connect(updates).process(classifier).uid("classify")
                .map(new FailOnce()).uid("fail-once");

        List<Tagged> out = new ArrayList<>();
        boolean southMoved = false, widthMoved = false;
        Map<String, Integer> onV3 = new HashMap<>();
        try (LogLines warnings = new LogLines(GroupModels.class);
             LogLines loads = new LogLines(SwappableModel.class);
             CloseableIterator<Tagged> it = tagged.executeAndCollect("per-group swap")) {
            while (it.hasNext()) {
                Tagged t = it.next();
                out.add(t);
                if (out.size() == 300 && !southMoved) {
                    registry.setAlias("alarm", "south", 3, "test");                                                      // event 7
                    southMoved = true;
                }
                if (t.version == 3) onV3.merge(t.sensor, 1, Integer::sum);
                if (!widthMoved && onV3.getOrDefault("south-0", 0) >= 30 && onV3.getOrDefault("south-1", 0) >= 30) {
                    // signature change allowed: the registry would refuse the other width itself; this test is about the job's check
                    byte[] wide = ArtifactWriter.sign(HotSwapSensorClassifierTest.thresholdModel(5, 1f), key.getPrivate(), key.getPublic());
                    registry.publish("alarm", wide, "test", Map.of(), true);                                             // event 8
                    registry.setAlias("alarm", "south", 4, "test");                                                      // event 9
                    widthMoved = true;
                }
                if (widthMoved && !ARMED.get() && loads.lines.stream().filter(l -> l.contains("cannot load v4") && l.contains("takes 5 features")).count() >= 2) {
                    ARMED.set(true); // both subtasks refused v4
                }
            }
            assertEquals(1, warnings.lines.stream().filter(l -> l.contains("group east:")).count(), "one warning for east: " + warnings.lines);
            assertEquals(1, warnings.lines.size(), "no warning for groups whose alias exists or sensors without a group: " + warnings.lines);
            assertTrue(ARMED.get(), "both subtasks refused the 5-feature v4: " + loads.lines);
        }

        assertTrue(FAILED.get(), "the injected failure happened, so the job restored from a checkpoint");
        assertEquals(WINDOWS, out.size(), "every window exactly once (both labels are relevant)");
        Set<Long> starts = new HashSet<>();
        for (Tagged t : out) assertTrue(starts.add(t.start), "duplicate window " + t.start);

        Map<String, Integer> lastVersion = new HashMap<>();
        Set<String> restoredSensors = new HashSet<>();
        for (Tagged t : out) {
            if (t.restored) restoredSensors.add(t.sensor);
            switch (t.sensor) {
                case "n0", "n1" -> assertEquals(2, t.version, "north stays on v2 (" + t.sensor + "@" + t.start + ")");
                case "e0", "x0" -> assertEquals(1, t.version, "a missing group alias and no group get the default v1 (" + t.sensor + "@" + t.start + ")");
                default -> {
                    assertTrue(t.version == 1 || t.version == 3, t.sensor + "@" + t.start + " on v" + t.version + ": v4 never serves");
                    Integer before = lastVersion.put(t.sensor, t.version);
                    assertFalse(before != null && before == 3 && t.version == 1, t.sensor + " went back from v3 to v1 at " + t.start);
                    if (t.restored) assertEquals(3, t.version, "after the restore " + t.sensor + " is on v3, not the refused v4");
                }
            }
        }
        assertEquals(new HashSet<>(SENSORS), restoredSensors, "every sensor classified after the restore");
        assertEquals(3, lastVersion.get("south-0"));
        assertEquals(3, lastVersion.get("south-1"));
    }

    @Test
    void theBuilderRefusesEveryMistakeInOneLine() {
        RegistryConnection conn = RegistryConnection.directory(dir, List.of()).allowingUnsigned();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PerGroupSensorClassifier.builder(conn, "alarm")
                .groupAliases(List.of("north", "a=b", "a=c")).relevant(Set.of()).build());
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        for (String part : List.of("name@alias", "--group-alias expects group=alias, got 'north'", "group a has two aliases", "relevant label", "features must be >= 1")) {
            assertTrue(m.contains(part), part + " in: " + m);
        }
    }
}
