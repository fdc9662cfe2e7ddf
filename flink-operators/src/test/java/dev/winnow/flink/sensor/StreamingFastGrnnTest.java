package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.RejectedReading;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.flink.types.SilentSensor;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.FastGrnnStream;
import dev.winnow.runtime.testing.RandomFastGrnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming FastGRNN operator on a MiniCluster: a restore from a checkpoint continues with the
 * bits of an uninterrupted run, and both equal a plain loop over each sensor's readings; late and bad
 * readings go to their outputs with a reason and leave the state alone; a silent sensor is reported
 * once; a model whose input width is not the channel count is refused at build and at open.
 */
class StreamingFastGrnnTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(REPORTER);

    static final long BASE = 1_700_000_000_000L;
    static final int SENSORS = 6, PER_SENSOR = 600, CHANNELS = 3, K = 5;
    static final RandomFastGrnn MODEL = new RandomFastGrnn(21, CHANNELS, 8, 3, 10, 0, 0);

    @TempDir Path dir;

    /** Reading {@code i} of the generated stream: sensors in turn, 100 ms apart per sensor, in event-time order. */
    static SensorReading generated(long i) {
        float[] v = new float[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) v[c] = (float) (3 * Math.sin(0.013 * i + 1.7 * c) + c);
        return new SensorReading("s" + (i % SENSORS), BASE + (i / SENSORS) * 100, v);
    }

    static StreamingFastGrnn.Builder operator(ModelSource source) {
        return StreamingFastGrnn.builder(source).channels(CHANNELS).everyReadings(K).window(Duration.ofSeconds(2))
                .allowedLateness(Duration.ofMillis(500)).silenceAfter(Duration.ofSeconds(5));
    }

    List<SensorPrediction> run(Path failMarker) throws Exception {
        StreamExecutionEnvironment env = failMarker == null ? FlinkTests.env(2, 200)
                : FlinkTests.restartingEnv(2, 200, 2, Duration.ofMillis(100));
        DataStream<SensorReading> readings = env.fromSource(new DataGeneratorSource<>(StreamingFastGrnnTest::generated, (long) SENSORS * PER_SENSOR,
                        RateLimiterStrategy.perSecond(1200), TypeInformation.of(SensorReading.class)),
                        ReadingWatermarks.boundedOutOfOrderness(Duration.ofMillis(200), Duration.ofMinutes(5)), "readings")
                .setParallelism(1).uid("readings");
        DataStream<SensorPrediction> out = operator(ModelSource.ofBytes(MODEL.artifact("grnn"), 1)).build().applyTo(readings, "fastgrnn");
        if (failMarker != null) out = out.map(new FailOnceAfterCheckpoint<SensorPrediction>(failMarker, 0)).uid("fail-once");
        return FlinkTests.runToEnd(out, failMarker == null ? "uninterrupted" : "restored").records();
    }

    static String key(SensorPrediction p) {
        return p.sensorId + (p.isWindow() ? " window " : " reading ") + p.timestampMillis;
    }

    static TreeMap<String, SensorPrediction> byKey(List<SensorPrediction> ps) {
        TreeMap<String, SensorPrediction> m = new TreeMap<>();
        for (SensorPrediction p : ps) assertNull(m.put(key(p), p), "duplicate prediction " + key(p));
        return m;
    }

    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int c = 0; c < expected.length; c++) {
            assertEquals(Float.floatToIntBits(expected[c]), Float.floatToIntBits(actual[c]), what + " class " + c + ": " + expected[c] + " vs " + actual[c]);
        }
    }

    @Test
    void restoreFromACheckpointGivesTheUninterruptedPredictionsBitForBit() throws Exception {
        TreeMap<String, SensorPrediction> uninterrupted = byKey(run(null));
        TreeMap<String, SensorPrediction> restored = byKey(FailOnceAfterCheckpoint.restoredRun(dir, this::run));

        int windows = (int) (PER_SENSOR * 100L / 2000);
        assertEquals(SENSORS * (PER_SENSOR / K + windows), uninterrupted.size(), "every-k and window predictions of every sensor");
        assertEquals(uninterrupted.keySet(), restored.keySet());
        for (Map.Entry<String, SensorPrediction> e : uninterrupted.entrySet()) {
            SensorPrediction a = e.getValue(), b = restored.get(e.getKey());
            assertSameBits(a.scores, b.scores, e.getKey());
            assertEquals(a.readings, b.readings, e.getKey());
            assertEquals(a.classIndex, b.classIndex, e.getKey());
        }

        // and both are what a plain loop over each sensor's readings, in order, gives
        FastGrnnStream s = FastGrnnStream.of(Model.load(MODEL.artifact("grnn")));
        float[] scratch = new float[s.scratchSize()], scores = new float[s.classes()];
        for (int sensor = 0; sensor < SENSORS; sensor++) {
            float[] h = new float[s.hidden()];
            long windowEnd = BASE + 2000;
            for (int n = 0; n < PER_SENSOR; n++) {
                SensorReading r = generated((long) n * SENSORS + sensor);
                if (r.timestampMillis >= windowEnd) {
                    s.scores(h, 0, scores, 0);
                    assertSameBits(scores, uninterrupted.get(r.sensorId + " window " + (windowEnd - 1)).scores, "window ending " + windowEnd);
                    windowEnd += 2000;
                }
                s.step(r.values, 0, h, 0, scratch, 0);
                if ((n + 1) % K == 0) {
                    s.scores(h, 0, scores, 0);
                    assertSameBits(scores, uninterrupted.get(r.sensorId + " reading " + r.timestampMillis).scores, "reading " + (n + 1) + " of " + r.sensorId);
                }
            }
            s.scores(h, 0, scores, 0);
            assertSameBits(scores, uninterrupted.get("s" + sensor + " window " + (windowEnd - 1)).scores, "last window of s" + sensor);
        }
    }

    static SensorReading reading(String sensor, long t, float... v) {
        return new SensorReading(sensor, BASE + t, v);
    }

    static float[] values(String sensor, long t) {
        int s = sensor.charAt(1) - '0';
        return new float[] {(float) Math.cos(t * 0.003 + s), (float) (t % 700) / 350f - 1, s - 1f};
    }

    @Test
    void lateAndBadReadingsAreRoutedAndASilentSensorIsReported() throws Exception {
        List<SensorReading> in = new ArrayList<>();
        List<SensorReading> goodS0 = new ArrayList<>();
        for (long t = 0; t <= 3000; t += 100) {
            for (String s : new String[] {"s0", "s1", "s2"}) {
                if (s.equals("s2") && t > 1000) continue; // s2 goes silent after t = 1000
                SensorReading r = reading(s, t, values(s, t));
                in.add(r);
                if (s.equals("s0")) goodS0.add(r);
            }
            if (t == 1500) {
                in.add(reading("s0", t + 10, 1f, 2f));                      // a missing channel
                in.add(reading("s1", t + 10, 1f, Float.NaN, 2f));
                in.add(reading("s0", t + 20, Float.POSITIVE_INFINITY, 0f, 0f));
                in.add(new SensorReading("s0", BASE + t + 30, null));
                in.add(new SensorReading(null, BASE + t + 30, new float[] {1f, 1f, 1f}));
                // a sensor whose clock is a day ahead: must neither be applied nor move the watermark
                in.add(new SensorReading("s1", System.currentTimeMillis() + 86_400_000L, new float[] {1f, 1f, 1f}));
            }
            if (t == 2500) {
                in.add(reading("s0", 1900, values("s0", 1900))); // watermark 2299, lateness 300: 1900 <= 1999, late
                in.add(reading("s1", 2400, values("s1", 2400))); // within lateness, but before s1's reading at 2500
            }
        }
        StreamExecutionEnvironment env = FlinkTests.env(2, 0);
        DataStream<SensorReading> readings = env.fromData(in).setParallelism(1).uid("readings")
                .assignTimestampsAndWatermarks(ReadingWatermarks.boundedOutOfOrdernessPerReading(Duration.ofMillis(200), Duration.ofMinutes(1)))
                .setParallelism(1).uid("watermarks");
        SingleOutputStreamOperator<SensorPrediction> predictions = StreamingFastGrnn.builder(ModelSource.ofBytes(MODEL.artifact("grnn"), 3))
                .channels(CHANNELS).everyReadings(1).allowedLateness(Duration.ofMillis(300)).silenceAfter(Duration.ofSeconds(1))
                .maxAhead(Duration.ofMinutes(1)).build().applyTo(readings, "fastgrnn");
        TypeInformation<Object> any = TypeInformation.of(Object.class);
        DataStream<Object> all = predictions.map(p -> (Object) p).returns(any).uid("p")
                .union(predictions.getSideOutput(StreamingFastGrnn.LATE).map(r -> (Object) r).returns(any).uid("late"),
                        predictions.getSideOutput(StreamingFastGrnn.BAD).map(r -> (Object) r).returns(any).uid("bad"),
                        predictions.getSideOutput(StreamingFastGrnn.SILENT).map(r -> (Object) r).returns(any).uid("silent"));
        FlinkTests.Run<Object> run = FlinkTests.runToEnd(all, "late, bad, silent");

        List<SensorPrediction> ps = new ArrayList<>();
        List<RejectedReading> late = new ArrayList<>(), bad = new ArrayList<>();
        List<SilentSensor> silent = new ArrayList<>();
        for (Object o : run.records()) {
            if (o instanceof SensorPrediction p) ps.add(p);
            else if (o instanceof SilentSensor s) silent.add(s);
            else if (o instanceof RejectedReading r) (r.kind == RejectedReading.Kind.LATE ? late : bad).add(r);
        }
        late.sort((a, b) -> a.reading.sensorId.compareTo(b.reading.sensorId));
        assertEquals(2, late.size(), late.toString());
        assertEquals(BASE + 1900, late.get(0).reading.timestampMillis);
        assertTrue(late.get(0).reason.contains("behind the watermark " + (BASE + 2299) + " (allowed lateness 300 ms)"), late.get(0).reason);
        assertEquals(BASE + 2400, late.get(1).reading.timestampMillis);
        assertTrue(late.get(1).reason.contains("before the sensor's last applied reading at " + (BASE + 2500)), late.get(1).reason);

        List<String> reasons = new ArrayList<>();
        for (RejectedReading r : bad) reasons.add(r.reason.replaceAll("\\d{6,}", "N"));
        reasons.sort(null);
        assertEquals(List.of("2 channels, the model reads 3", "channel 0 is Infinity", "channel 1 is NaN", "no sensor id",
                "no values, the model reads 3 channels", "timestamp N is N ms ahead of the clock (at most 60000 ms)"), reasons);

        assertEquals(1, silent.size(), silent.toString());
        assertEquals("s2", silent.get(0).sensorId);
        assertEquals(BASE + 1000, silent.get(0).lastReadingMillis);
        assertEquals(BASE + 2000, silent.get(0).silentSinceMillis);

        // every good reading, and only those, reached the state: s0's predictions are a plain loop over its good readings
        TreeMap<Long, SensorPrediction> s0 = new TreeMap<>();
        int s1 = 0, s2 = 0;
        for (SensorPrediction p : ps) {
            if (p.sensorId.equals("s0")) s0.put(p.readings, p);
            if (p.sensorId.equals("s1")) s1++;
            if (p.sensorId.equals("s2")) s2++;
            assertEquals(3, p.modelVersion);
        }
        assertEquals(31, s1);
        assertEquals(11, s2);
        assertEquals(goodS0.size(), s0.size());
        FastGrnnStream s = FastGrnnStream.of(Model.load(MODEL.artifact("grnn")));
        float[] h = new float[s.hidden()], scratch = new float[s.scratchSize()], scores = new float[s.classes()];
        for (int n = 0; n < goodS0.size(); n++) {
            s.step(goodS0.get(n).values, 0, h, 0, scratch, 0);
            s.scores(h, 0, scores, 0);
            SensorPrediction p = s0.get(n + 1L);
            assertEquals(goodS0.get(n).timestampMillis, p.timestampMillis);
            assertSameBits(scores, p.scores, "s0 reading " + (n + 1));
            assertEquals("c" + p.classIndex, p.label);
        }

        JobID job = run.jobId();
        assertEquals(2, sum(job, "readingsLate"));
        assertEquals(6, sum(job, "readingsBad"));
        assertEquals(1, sum(job, "sensorsSilent"));
        assertEquals(goodS0.size() + 31 + 11, sum(job, "readingsApplied"));
        assertEquals(goodS0.size() + 31 + 11, sum(job, "predictions"));
    }

    static long sum(JobID job, String name) {
        long total = 0;
        int found = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> e : REPORTER.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(e.getKey().getAllVariables().get("<job_id>"))) continue;
            if (e.getValue().get(name) instanceof Counter c) {
                total += c.getCount();
                found++;
            }
        }
        assertTrue(found > 0, "no metric " + name);
        return total;
    }

    @Test
    void aModelWhoseInputWidthIsNotTheChannelCountIsRefusedAtBuildAndAtOpen() throws Exception {
        RandomFastGrnn four = new RandomFastGrnn(5, 4, 8, 3, 10, 0, 0);
        IllegalArgumentException atBuild = assertThrows(IllegalArgumentException.class,
                () -> operator(ModelSource.ofBytes(four.artifact("wide"), 1)).build());
        assertEquals("model wide reads 4 channels per reading, the sensors send 3", atBuild.getMessage());

        // the artifact behind a path is replaced between building the job and running it
        Path artifact = dir.resolve("grnn.wnm");
        Files.write(artifact, MODEL.artifact("grnn"));
        StreamingFastGrnn fn = operator(ModelSource.ofPath(artifact, 1)).build();
        Files.write(artifact, four.artifact("wide"));
        StreamExecutionEnvironment env = FlinkTests.env(1, 0);
        DataStream<SensorPrediction> out = fn.applyTo(env.fromData(generated(0), generated(1)).uid("readings")
                .assignTimestampsAndWatermarks(ReadingWatermarks.boundedOutOfOrderness(Duration.ZERO, Duration.ofMinutes(1))).uid("wm"), "fastgrnn");
        Exception failed = assertThrows(Exception.class, () -> FlinkTests.runToEnd(out, "wrong width"));
        Throwable root = failed;
        while (root.getCause() != null) root = root.getCause();
        assertEquals("model wide reads 4 channels per reading, the sensors send 3", root.getMessage());
    }

    @Test
    void stateAndOutputsAreFlinkPojosNotKryo() {
        // the state is checkpointed and the outputs cross the network: Kryo would be slower and would not evolve
        for (Class<?> c : new Class<?>[] {StreamingFastGrnn.SensorState.class, SensorPrediction.class, RejectedReading.class, SilentSensor.class}) {
            assertInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class, TypeInformation.of(c), c.getSimpleName() + " would fall back to Kryo");
        }
    }

    @Test
    void theBuilderNamesEveryBrokenRule() throws Exception {
        ModelSource m = ModelSource.ofBytes(MODEL.artifact("grnn"), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamingFastGrnn.builder(m)
                .channels(0).allowedLateness(Duration.ofMillis(-1)).silenceAfter(Duration.ZERO).build());
        assertEquals("channels must be at least 1, is 0; no predictions: set everyReadings > 0 and/or a window; "
                + "allowedLateness must be >= 0, is PT-0.001S; silenceAfter must be at least 1 ms, is PT0S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamingFastGrnn.builder(m).channels(3).everyReadings(-2).window(Duration.ofSeconds(1)).build());
        assertNotNull(StreamingFastGrnn.builder(m).channels(3).window(Duration.ofSeconds(1)).build());
    }
}
