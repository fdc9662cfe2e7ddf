package dev.winnow.flink.sensor;

import static dev.winnow.flink.sensor.PerGroupSwapScenario.SENSORS;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.sensor.PerGroupSwapScenario.Tagged;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.runtime.testing.RandomFastGrnn;
import java.nio.file.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-group streaming FastGRNN in a running keyed job: the {@link PerGroupSwapScenario} on readings,
 * where v4 reads 4 channels, not 3. Every 50th reading has a NaN: it goes to the bad output and the
 * state keeps going.
 */
class PerGroupFastGrnnJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir Path dir;

    static SensorReading reading(long seq) {
        float v = (float) Math.sin(seq * 0.1);
        SensorReading r = new SensorReading(SENSORS.get((int) (seq % SENSORS.size())), seq, new float[] {v, 2 * v, seq % 7});
        if (seq % 50 == 49) r.values[1] = Float.NaN;
        return r;
    }

    @Test
    void aMovedGroupAliasSwapsOnlyItsSensorsAndAWrongWidthIsRefusedAcrossARestore() throws Exception {
        var run = new PerGroupSwapScenario(dir, "grnn", seed -> new RandomFastGrnn(seed, 3, 8, 2, 10, 0, 0).artifact("grnn"));
        StreamExecutionEnvironment env = PerGroupSwapScenario.env();
        DataStream<SensorReading> readings = PerGroupSwapScenario.records(env, PerGroupFastGrnnJobTest::reading, SensorReading.class);
        PerGroupFastGrnn grnn = PerGroupFastGrnn.builder(run.conn, "grnn@production")
                .groups(PerGroupSwapScenario.groups()).groupAliases(PerGroupSwapScenario.GROUP_ALIASES).channels(3).everyReadings(1).build();
        var predictions = readings.keyBy(r -> r.sensorId).connect(run.updates(env)).process(grnn).uid("grnn");
        var tagged = run.failOnceAndTag(predictions, (p, restored) -> new Tagged(p.sensorId, p.timestampMillis, p.modelVersion, restored));

        byte[] wide = new RandomFastGrnn(4, 4, 8, 2, 10, 0, 0).artifact("grnn");
        var out = run.run(tagged, "per-group fastgrnn", wide, "reads 4 channels", 1);

        int nan = 0;
        for (long seq = 0; seq < PerGroupSwapScenario.RECORDS; seq++) if (seq % 50 == 49) nan++;
        assertEquals(PerGroupSwapScenario.RECORDS - nan, out.size(), "one prediction per good reading, exactly once");
        PerGroupSwapScenario.checkVersions(out);
    }
}
