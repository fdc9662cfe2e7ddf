package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.LogLines;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The run both per-group job tests share ({@link PerGroupSensorJobTest} on feature windows,
 * {@link PerGroupFastGrnnJobTest} on readings), at parallelism 2 against a signed directory registry.
 * Sensors n0/n1 are in group north (by the explicit map), south-0/south-1 in group south (by the prefix
 * rule), e0 in group east whose alias does not exist, x0 in no group. South moves to v3 once 300 records
 * are out: only its sensors change version. Once both south sensors had 30 records on v3, south moves to
 * v4, a model of another width, which the operator must refuse. Once the refusals are logged the test
 * arms a {@link FailOnceAfterCheckpoint}; after the restore every group is still on its version (south on
 * v3, not v4), and east was warned about once in the whole run.
 */
final class PerGroupSwapScenario {
    static final List<String> SENSORS = List.of("n0", "n1", "south-0", "south-1", "e0", "x0");
    static final List<String> GROUP_ALIASES = List.of("north=north", "south=south", "east=east");
    static final int RECORDS = 3000;

    final String model;
    final RegistryConnection conn;
    private final KeyPair key;
    private final ModelRegistry registry;
    private final Path armed;
    private final Path failed;

    /** Publishes versions 1-3 of {@code model} (events 1-3), then production→v1, north→v2, south→v1 (events 4-6). */
    PerGroupSwapScenario(Path dir, String model, IntFunction<byte[]> version) throws Exception {
        this.model = model;
        this.key = Ed25519Keys.generate();
        Path pem = dir.resolve("ours.pub.pem");
        Ed25519Keys.writePem(pem, key.getPublic());
        Path reg = dir.resolve("registry");
        registry = new ModelRegistry(new LocalDirectoryStore(reg));
        for (int v = 1; v <= 3; v++) registry.publish(model, signed(version.apply(v)), "test", Map.of());
        registry.setAlias(model, "production", 1, "test");
        registry.setAlias(model, "north", 2, "test");
        registry.setAlias(model, "south", 1, "test");
        conn = RegistryConnection.directory(reg, List.of(pem));                                                         // signed only
        armed = dir.resolve("armed");
        failed = dir.resolve("failed");
    }

    static SensorGroups groups() {
        return SensorGroups.of(Map.of("n0", "north", "n1", "north", "e0", "east")).withPrefixRule("-");
    }

    static StreamExecutionEnvironment env() {
        return FlinkTests.restartingEnv(2, 200, 2, Duration.ofMillis(100));
    }

    /** {@link #RECORDS} records at 600 a second from one subtask. */
    static <T> DataStream<T> records(StreamExecutionEnvironment env, GeneratorFunction<Long, T> make, Class<T> type) {
        return env.fromSource(new DataGeneratorSource<>(make, RECORDS, RateLimiterStrategy.perSecond(600), TypeInformation.of(type)),
                WatermarkStrategy.noWatermarks(), type.getSimpleName()).setParallelism(1);
    }

    /** The feed ends with the move to the wrong-width v4 (event 9). */
    BroadcastStream<ModelUpdate> updates(StreamExecutionEnvironment env) {
        return RegistryFeedSource.builder(conn).model(model).stopAtSequence(9).pollWait(Duration.ofSeconds(1)).build().broadcast(env);
    }

    /** Chained after the operator: fails the task once after the refusal, then tags each record. */
    <T> DataStream<Tagged> failOnceAndTag(DataStream<T> out, Fields<T> fields) {
        return out.map(new FailOnceAfterCheckpoint<T>(failed, 0).armedBy(armed)).uid("fail-once")
                .map(new Tag<>(fields)).uid("tag");
    }

    /**
     * Runs the job, moving south to v3 and then to {@code wide} (events 7-9, the registry's own
     * signature check overridden: this is about the job's check) and arming the failure once
     * {@code refusals} log lines contain "cannot load v4" and {@code refusal}.
     */
    List<Tagged> run(DataStream<Tagged> tagged, String job, byte[] wide, String refusal, int refusals) throws Exception {
        List<Tagged> out = new ArrayList<>();
        boolean southMoved = false, widthMoved = false;
        Map<String, Integer> onV3 = new HashMap<>();
        try (LogLines warnings = new LogLines(GroupModels.class);
             LogLines loads = new LogLines(SwappableModel.class);
             CloseableIterator<Tagged> it = tagged.executeAndCollect(job)) {
            while (it.hasNext()) {
                Tagged t = it.next();
                out.add(t);
                if (out.size() == 300 && !southMoved) {
                    registry.setAlias(model, "south", 3, "test");
                    southMoved = true;
                }
                if (t.version() == 3) onV3.merge(t.sensor(), 1, Integer::sum);
                if (!widthMoved && onV3.getOrDefault("south-0", 0) >= 30 && onV3.getOrDefault("south-1", 0) >= 30) {
                    registry.publish(model, signed(wide), "test", Map.of(), true);
                    registry.setAlias(model, "south", 4, "test");
                    widthMoved = true;
                }
                if (widthMoved && !Files.exists(armed)
                        && loads.lines.stream().filter(l -> l.contains("cannot load v4") && l.contains(refusal)).count() >= refusals) {
                    Files.createFile(armed);
                }
            }
            assertEquals(1, warnings.lines.stream().filter(l -> l.contains("group east:")).count(), "one warning for east: " + warnings.lines);
            assertEquals(1, warnings.lines.size(), "no warning for groups whose alias exists or sensors without a group: " + warnings.lines);
            assertTrue(Files.exists(armed), "v4 was refused (" + refusal + "): " + loads.lines);
        }
        assertTrue(Files.exists(failed), "the injected failure happened, so the job restored from a checkpoint");
        return out;
    }

    /** Each record once; north on v2, east and no group on v1, south on v1 then v3 (never back, never v4), every sensor restored. */
    static void checkVersions(List<Tagged> out) {
        Set<Long> times = new HashSet<>();
        for (Tagged t : out) assertTrue(times.add(t.time()), "duplicate record at " + t.time());
        Map<String, Integer> lastVersion = new HashMap<>();
        Set<String> restoredSensors = new HashSet<>();
        for (Tagged t : out) {
            if (t.restored()) restoredSensors.add(t.sensor());
            switch (t.sensor()) {
                case "n0", "n1" -> assertEquals(2, t.version(), "north stays on v2 (" + t.sensor() + "@" + t.time() + ")");
                case "e0", "x0" -> assertEquals(1, t.version(), "a missing group alias and no group get the default v1 (" + t.sensor() + "@" + t.time() + ")");
                default -> {
                    assertTrue(t.version() == 1 || t.version() == 3, t.sensor() + "@" + t.time() + " on v" + t.version() + ": v4 never serves");
                    Integer before = lastVersion.put(t.sensor(), t.version());
                    assertFalse(before != null && before == 3 && t.version() == 1, t.sensor() + " went back from v3 to v1 at " + t.time());
                    if (t.restored()) assertEquals(3, t.version(), "after the restore " + t.sensor() + " is on v3, not the refused v4");
                }
            }
        }
        assertEquals(new HashSet<>(SENSORS), restoredSensors, "every sensor had a record after the restore");
        assertEquals(3, lastVersion.get("south-0"));
        assertEquals(3, lastVersion.get("south-1"));
    }

    private byte[] signed(byte[] artifact) throws Exception {
        return ArtifactWriter.sign(artifact, key.getPrivate(), key.getPublic());
    }

    /** What the checks need of one output record, and whether its task started from a checkpoint. */
    public record Tagged(String sensor, long time, int version, boolean restored) {}

    /** The fields of one output record. */
    interface Fields<T> extends Serializable {
        Tagged of(T record, boolean restored);
    }

    /** Tags each record with {@code restored}, which the task's state initialization tells. */
    static final class Tag<T> extends RichMapFunction<T, Tagged> implements CheckpointedFunction {
        private final Fields<T> fields;
        private transient boolean restored;

        Tag(Fields<T> fields) {
            this.fields = fields;
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) {
            restored = ctx.isRestored();
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) {}

        @Override
        public Tagged map(T record) throws Exception {
            return fields.of(record, restored);
        }
    }
}
