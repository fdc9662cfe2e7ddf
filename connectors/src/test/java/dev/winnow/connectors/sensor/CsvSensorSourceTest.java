package dev.winnow.connectors.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.source.StreamSplit;
import dev.winnow.connectors.testing.Metrics;
import dev.winnow.connectors.testing.ReaderHarness;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.SensorReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CsvSensorSourceTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTests.miniCluster(REPORTER);

    @TempDir
    Path dir;

    /**
     * Two sensors, 3 values and a label, one reading every second for 30 s each; s1's reading at
     * 9.5 s arrives after its 12 s reading (2.5 s out of order); a header, a comment, a blank line
     * and three bad lines.
     */
    private Path writeCsv() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("sensorId,timestampMillis,ax,ay,az,label");
        lines.add("# recorded by the test");
        for (int t = 0; t < 30; t++) {
            long ts = 1_000_000 + t * 1000L;
            lines.add("s1," + ts + "," + t + ",0.5,-1," + (t % 2));
            lines.add("s2," + ts + "," + (-t) + ",1e-3,2,");
            if (t == 12) lines.add("s1,1009500,9.5,0.5,-1,1");
            if (t == 5) lines.add("s1,1005500,1,2");                 // too few columns
            if (t == 6) lines.add("s2,1006500,x,1,2,0");              // not a number
            if (t == 7) lines.add("s2,yesterday,1,1,2,0");            // bad timestamp
            if (t == 8) lines.add("");
        }
        Path f = dir.resolve("readings.csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void eventTimeWindowsSeeEveryReadingWithinTheOutOfOrdernessBound() throws Exception {
        Path csv = writeCsv();
        CsvSensorSource source = CsvSensorSource.files(csv).values(3).labelled(true)
                .maxOutOfOrderness(Duration.ofSeconds(3)).build();
        StreamExecutionEnvironment env = FlinkTests.env(2, 200);
        DataStream<SensorReading> readings = env.fromSource(source, source.watermarks(), "csv");
        // every reading carries its own timestamp, and the watermark never passes a reading's
        // timestamp minus the bound
        DataStream<String> checked = readings.process(new ProcessFunction<SensorReading, String>() {
            long maxTs = Long.MIN_VALUE;

            @Override
            public void processElement(SensorReading r, Context ctx, Collector<String> out) {
                if (ctx.timestamp() != r.timestampMillis) out.collect("timestamp " + ctx.timestamp() + " != " + r);
                maxTs = Math.max(maxTs, r.timestampMillis);
                long wm = ctx.timerService().currentWatermark();
                if (wm > maxTs - 3000) out.collect("watermark " + wm + " ahead of " + maxTs + " - 3 s");
            }
        });
        DataStream<String> windows = readings.keyBy(r -> r.sensorId)
                .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
                .aggregate(new Count(), new ProcessWindowFunction<Long, String, String, TimeWindow>() {
                    @Override
                    public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                        out.collect(key + "@" + (ctx.window().getStart() - 1_000_000) + "=" + counts.iterator().next());
                    }
                });
        var it = windows.union(checked).collectAsync();
        JobClient job = env.executeAsync("csv");
        Map<String, String> got = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        it.forEachRemaining(s -> {
            if (s.contains("=")) got.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
            else problems.add(s);
        });
        it.close();
        job.getJobExecutionResult().get();

        assertEquals(List.of(), problems);
        assertEquals(Map.of("s1@0", "11", "s1@10000", "10", "s1@20000", "10",
                "s2@0", "10", "s2@10000", "10", "s2@20000", "10"), got, "the late 9.5 s reading is in its window");
        assertEquals(3, Metrics.waitForCounter(REPORTER, job.getJobID(), CsvSensorSource.METRIC, 3));
    }

    @Test
    void parsesValuesAndLabelsAndResumesAtTheCheckpointedLine() throws Exception {
        Path csv = writeCsv();
        CsvSensorSource source = CsvSensorSource.files(csv).values(3).labelled(true).build();
        StreamSplit<SensorReading> start = new StreamSplit<>(source.specs().get(0), 0, 0);
        List<SensorReading> all = ReaderHarness.checkpointAndRestore(source, start, 17, Duration.ofSeconds(10)).all();
        assertEquals(61, all.size(), "60 regular readings and the late one, no more, no less");
        SensorReading first = all.get(0);
        assertEquals("s1", first.sensorId);
        assertEquals(1_000_000, first.timestampMillis);
        assertEquals(0, first.label);
        assertEquals(List.of(0f, 0.5f, -1f), List.of(first.values[0], first.values[1], first.values[2]));
        SensorReading s2 = all.get(1);
        assertEquals(-1, s2.label, "empty label = unknown");
        assertEquals(1e-3f, s2.values[1]);
        assertEquals(61, all.stream().map(r -> r.sensorId + r.timestampMillis).distinct().count());
    }

    @Test
    void pacedReplayFollowsTheTimestamps() throws Exception {
        Path csv = writeCsv();
        CsvSensorSource source = CsvSensorSource.files(csv).values(3).labelled(true).speed(20).build();
        try (ReaderHarness<SensorReading> h = new ReaderHarness<>(source)) {
            long t0 = System.nanoTime();
            h.addSplits(List.of(new StreamSplit<>(source.specs().get(0), 0, 0)), true);
            h.pollUntil(21, Duration.ofSeconds(10)); // readings up to 10 s of data = 500 ms at 20x
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 450 && ms < 3000, "took " + ms + " ms");
        }
    }

    @Test
    void lineFormatRejectsWhatItCannotRead() {
        SensorLineFormat any = SensorLineFormat.anyValues();
        assertEquals(4, any.parse("a,1,1,2,3,4").values.length);
        SensorLineFormat three = new SensorLineFormat(3, false);
        assertThrows(IllegalArgumentException.class, () -> three.parse("a,1,1,2"));
        assertThrows(IllegalArgumentException.class, () -> three.parse(",1,1,2,3"));
        assertThrows(IllegalArgumentException.class, () -> three.parse("a,1,1,NaN,3"));
        SensorReading r = new SensorReading("x", 5, new float[] {1.5f, 2f});
        r.label = 3;
        assertEquals(r, new SensorLineFormat(2, true).parse(SensorLineFormat.format(r, true)));
    }

    static final class Count implements AggregateFunction<SensorReading, Long, Long> {
        @Override public Long createAccumulator() { return 0L; }
        @Override public Long add(SensorReading value, Long acc) { return acc + 1; }
        @Override public Long getResult(Long acc) { return acc; }
        @Override public Long merge(Long a, Long b) { return a + b; }
    }
}
