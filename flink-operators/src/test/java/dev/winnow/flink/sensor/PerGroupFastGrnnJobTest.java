package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.testing.RandomFastGrnn;
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
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-group streaming FastGRNN in a running keyed job at parallelism 2 against a signed directory
 * registry: n0/n1 in group north (map), south-0/south-1 in group south (prefix rule), e0 in group east
 * whose alias does not exist, x0 in none. South moves to v3 mid-run: only its sensors' predictions
 * change version. South then moves to v4, which reads 4 channels: refused, south stays on v3. A task
 * fails; after the restore every group is on its version and east was warned about once. Every 50th
 * reading has a NaN: it goes to the bad output and the state keeps going.
 */
class PerGroupFastGrnnJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final int READINGS = 3000;
    static final List<String> SENSORS = List.of("n0", "n1", "south-0", "south-1", "e0", "x0");
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @TempDir Path dir;

    static SensorReading reading(long seq) {
        float v = (float) Math.sin(seq * 0.1);
        SensorReading r = new SensorReading(SENSORS.get((int) (seq % SENSORS.size())), seq, new float[] {v, 2 * v, seq % 7});
        if (seq % 50 == 49) r.values[1] = Float.NaN;
        return r;
    }

    public static class Tagged {
        public String sensor;
        public long ts;
        public int version;
        public boolean restored;
    }

    static final class FailOnce extends RichMapFunction<SensorPrediction, Tagged> implements CheckpointedFunction, CheckpointListener {
        private transient boolean restored;
        private transient volatile boolean checkpointSinceArmed;

        @Override public void initializeState(FunctionInitializationContext ctx) { restored = ctx.isRestored(); }
        @Override public void snapshotState(FunctionSnapshotContext ctx) {}
        @Override public void notifyCheckpointComplete(long id) { if (ARMED.get()) checkpointSinceArmed = true; }

        @Override
        public Tagged map(SensorPrediction p) {
            if (checkpointSinceArmed && FAILED.compareAndSet(false, true)) throw new IllegalStateException("injected failure after the refused swap");
            Tagged t = new Tagged();
            t.sensor = p.sensorId;
            t.ts = p.timestampMillis;
            t.version = p.modelVersion;
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
        for (int seed = 1; seed <= 3; seed++) {
            byte[] signed = ArtifactWriter.sign(new RandomFastGrnn(seed, 3, 8, 2, 10, 0, 0).artifact("grnn"), key.getPrivate(), key.getPublic());
            registry.publish("grnn", signed, "test", Map.of());                                                          // events 1-3
        }
        registry.setAlias("grnn", "production", 1, "test");                                                              // event 4
        registry.setAlias("grnn", "north", 2, "test");                                                                   // event 5
        registry.setAlias("grnn", "south", 1, "test");                                                                   // event 6
        RegistryConnection conn = RegistryConnection.directory(reg, List.of(pem));

        StreamExecutionEnvironment env = FlinkTests.restartingEnv(2, 200, 2, Duration.ofMillis(100));
        DataStream<SensorReading> readings = env.fromSource(new DataGeneratorSource<>(PerGroupFastGrnnJobTest::reading, READINGS,
                RateLimiterStrategy.perSecond(600), TypeInformation.of(SensorReading.class)), WatermarkStrategy.noWatermarks(), "readings").setParallelism(1);
        var updates = RegistryFeedSource.builder(conn).model("grnn").stopAtSequence(9).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
        PerGroupFastGrnn grnn = PerGroupFastGrnn.builder(conn, "grnn@production")
                .groups(SensorGroups.of(Map.of("n0", "north", "n1", "north", "e0", "east")).withPrefixRule("-"))
                .groupAliases(List.of("north=north", "south=south", "east=east")).channels(3).everyReadings(1).build();
        SingleOutputStreamOperator<SensorPrediction> predictions = readings.keyBy(r -> r.sensorId).connect(updates).process(grnn).uid("grnn");
        DataStream<Tagged> tagged = predictions.map(new FailOnce()).uid("fail-once");

        List<Tagged> out = new ArrayList<>();
        boolean southMoved = false, widthMoved = false;
        Map<String, Integer> onV3 = new HashMap<>();
        try (LogLines warnings = new LogLines(GroupModels.class);
             LogLines loads = new LogLines(SwappableModel.class);
             CloseableIterator<Tagged> it = tagged.executeAndCollect("per-group fastgrnn")) {
            while (it.hasNext()) {
                Tagged t = it.next();
                out.add(t);
                if (out.size() == 300 && !southMoved) {
                    registry.setAlias("grnn", "south", 3, "test");                                                       // event 7
                    southMoved = true;
                }
                if (t.version == 3) onV3.merge(t.sensor, 1, Integer::sum);
                if (!widthMoved && onV3.getOrDefault("south-0", 0) >= 30 && onV3.getOrDefault("south-1", 0) >= 30) {
                    byte[] wide = ArtifactWriter.sign(new RandomFastGrnn(4, 4, 8, 2, 10, 0, 0).artifact("grnn"), key.getPrivate(), key.getPublic());
                    registry.publish("grnn", wide, "test", Map.of(), true);                                              // event 8
                    registry.setAlias("grnn", "south", 4, "test");                                                       // event 9
                    widthMoved = true;
                }
                if (widthMoved && !ARMED.get() && loads.lines.stream().anyMatch(l -> l.contains("cannot load v4") && l.contains("reads 4 channels"))) {
                    ARMED.set(true);
                }
            }
            assertEquals(1, warnings.lines.stream().filter(l -> l.contains("group east:")).count(), "one warning for east: " + warnings.lines);
            assertEquals(1, warnings.lines.size(), warnings.lines.toString());
            assertTrue(ARMED.get(), "v4 (4 channels) was refused: " + loads.lines);
        }

        assertTrue(FAILED.get(), "the injected failure happened, so the job restored from a checkpoint");
        int nan = 0;
        for (long seq = 0; seq < READINGS; seq++) if (seq % 50 == 49) nan++;
        assertEquals(READINGS - nan, out.size(), "one prediction per good reading, exactly once");
        Set<Long> seen = new HashSet<>();
        for (Tagged t : out) assertTrue(seen.add(t.ts), "duplicate prediction at " + t.ts);
        Map<String, Integer> last = new HashMap<>();
        Set<String> restoredSensors = new HashSet<>();
        for (Tagged t : out) {
            if (t.restored) restoredSensors.add(t.sensor);
            switch (t.sensor) {
                case "n0", "n1" -> assertEquals(2, t.version, t.sensor + "@" + t.ts);
                case "e0", "x0" -> assertEquals(1, t.version, t.sensor + "@" + t.ts);
                default -> {
                    assertTrue(t.version == 1 || t.version == 3, t.sensor + "@" + t.ts + " on v" + t.version);
                    Integer before = last.put(t.sensor, t.version);
                    assertFalse(before != null && before == 3 && t.version == 1, t.sensor + " went back to v1 at " + t.ts);
                    if (t.restored) assertEquals(3, t.version, "after the restore " + t.sensor + " is on v3, not the refused v4");
                }
            }
        }
        assertEquals(new HashSet<>(SENSORS), restoredSensors, "every sensor predicted after the restore");
    }
}
