package dev.winnow.flink.sensor;

import static dev.winnow.flink.sensor.PerGroupSwapScenario.SENSORS;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.sensor.PerGroupSwapScenario.Tagged;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.FeatureVector;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-group models in a running job: the {@link PerGroupSwapScenario} on feature windows, each group
 * with a sensor on each subtask, so both subtasks must refuse the wider v4 (5 features, not 4).
 */
class PerGroupSensorJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

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

    @Test
    void aMovedGroupAliasSwapsOnlyItsSensorsAndAWrongWidthIsRefusedAcrossARestore() throws Exception {
        var run = new PerGroupSwapScenario(dir, "alarm", v -> HotSwapSensorClassifierTest.thresholdModel(4, 9f + v));
        StreamExecutionEnvironment env = PerGroupSwapScenario.env();
        DataStream<FeatureVector> windows = PerGroupSwapScenario.records(env, PerGroupSensorJobTest::window, FeatureVector.class);
        PerGroupSensorClassifier classifier = PerGroupSensorClassifier.builder(run.conn, "alarm@production")
                .groups(PerGroupSwapScenario.groups()).groupAliases(PerGroupSwapScenario.GROUP_ALIASES)
                .relevant(Set.of("normal", "alarm")).features(4).build();
        var events = windows
                // sensor i on subtask i % 2: each group is served by both subtasks
                .partitionCustom((sensor, n) -> SENSORS.indexOf(sensor) % n, v -> v.sensorId)
                .connect(run.updates(env)).process(classifier).uid("classify");
        var tagged = run.failOnceAndTag(events, (e, restored) -> new Tagged(e.sensorId, e.windowStartMillis, e.modelVersion, restored));

        var out = run.run(tagged, "per-group swap", HotSwapSensorClassifierTest.thresholdModel(5, 1f), "takes 5 features", 2);

        assertEquals(PerGroupSwapScenario.RECORDS, out.size(), "every window exactly once (both labels are relevant)");
        PerGroupSwapScenario.checkVersions(out);
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
