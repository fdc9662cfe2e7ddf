package dev.winnow.flink.bench;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.sensor.ReadingWatermarks;
import dev.winnow.flink.sensor.StreamingFastGrnn;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.FastGrnnStream;
import dev.winnow.runtime.testing.RandomFastGrnn;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Readings per second through {@link StreamingFastGrnn} in a Flink job against the same job with an
 * identity map after the keyBy in its place, alternating in one run, on a local MiniCluster with
 * parallelism 2 on this 2-core machine (per core: half). Readings are 3-channel at 100 Hz of event
 * time from many sensors, with watermarks; the operator predicts every 50 readings and per 1 s window
 * and watches for 60 s of silence. Both jobs are timed by the wall clock and by the JVM's CPU time (the
 * figure that holds when other work shares the cores). Each source subtask generates its own half of the sensors, each in
 * time order, so no reading is late; the predictions are counted and checked, so a run that rejected
 * readings cannot pass as fast. Not a test: timings only.
 *
 * <pre>scripts/job-throughput.sh --fastgrnn [--runs N] [--sensors S] [--hidden H]</pre>
 */
public final class StreamingFastGrnnThroughputHarness {
    static final long BASE = 1_700_000_000_000L;
    static final int CHANNELS = 3, CLASSES = 6, K = 50;

    public static void main(String[] args) throws Exception {
        int runs = 4, sensors = 10_000, hidden = 16;
        long readings = 4_000_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runs" -> runs = Math.max(2, Integer.parseInt(args[i + 1]));
                case "--sensors" -> sensors = Integer.parseInt(args[i + 1]);
                case "--hidden" -> hidden = Integer.parseInt(args[i + 1]);
                case "--readings" -> readings = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--runs, --sensors, --hidden, --readings)");
            }
        }
        if (sensors % 2 != 0 || readings % sensors != 0) throw new IllegalArgumentException("--sensors must be even and divide --readings");
        byte[] model = new RandomFastGrnn(13, CHANNELS, hidden, CLASSES, 128, 0, 0).artifact("har-grnn");
        FastGrnnStream s = FastGrnnStream.of(Model.load(model));
        System.out.printf("FastGRNN: %d channels, hidden %d, %d classes, %d MACs per reading; %,d sensors, %,d readings, every %d readings + 1 s windows%n",
                CHANNELS, hidden, CLASSES, s.cell().macsPerStep(), sensors, readings, K);
        double[][] grnn = new double[runs][], identity = new double[runs][];
        for (int r = 0; r < runs; r++) {
            // alternate which of the pair goes first, so a drift in machine load favours neither
            if (r % 2 == 0) {
                identity[r] = job(null, sensors, readings);
                grnn[r] = job(model, sensors, readings);
            } else {
                grnn[r] = job(model, sensors, readings);
                identity[r] = job(null, sensors, readings);
            }
            System.out.printf("run %d: %,.0f / %,.0f readings/s (FastGRNN / identity); per CPU-second of the JVM %,.0f / %,.0f%n",
                    r + 1, grnn[r][0], identity[r][0], grnn[r][1], identity[r][1]);
        }
        System.out.printf("median of the paired ratios, runs 2-%d: %.1f%% by wall time, %.1f%% by CPU time%n", runs,
                100 * medianRatio(grnn, identity, 0), 100 * medianRatio(grnn, identity, 1));
        double bestG = best(grnn, 0), bestI = best(identity, 0), cpuG = best(grnn, 1), cpuI = best(identity, 1);
        System.out.println("| job (parallelism 2, MiniCluster), best of runs 2-" + runs + " | readings/s | per core | ratio | readings per CPU-second | ratio |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf("| StreamingFastGrnn, hidden %d, %,d sensors | %,.0f | %,.0f | %.1f%% | %,.0f | %.1f%% |%n",
                hidden, sensors, bestG, bestG / 2, 100 * bestG / bestI, cpuG, 100 * cpuG / cpuI);
        System.out.printf("| identity map after keyBy | %,.0f | %,.0f | | %,.0f | |%n", bestI, bestI / 2, cpuI);
    }

    /** The median over runs 2.. of grnn[r][k] / identity[r][k]. */
    static double medianRatio(double[][] grnn, double[][] identity, int k) {
        double[] paired = new double[grnn.length - 1];
        for (int r = 1; r < grnn.length; r++) paired[r - 1] = grnn[r][k] / identity[r][k];
        Arrays.sort(paired);
        return (paired[(paired.length - 1) / 2] + paired[paired.length / 2]) / 2;
    }

    static double best(double[][] runs, int k) {
        return Arrays.stream(runs, 1, runs.length).mapToDouble(r -> r[k]).max().orElse(0);
    }

    /**
     * Reading {@code i}: the generator splits [0, n) into two halves, one per source subtask; each half
     * walks its own half of the sensors round-robin, 10 ms of event time per round.
     */
    static SensorReading reading(long i, long n, int sensors) {
        long half = n / 2, j = i % half;
        int per = sensors / 2;
        int sensor = (int) (j % per) * 2 + (i < half ? 0 : 1);
        long t = j / per;
        float[] v = {(float) Math.sin(t * 0.05 + sensor), (float) Math.cos(t * 0.031), (float) ((t + sensor) % 17) / 8f - 1f};
        return new SensorReading("s" + sensor, BASE + t * 10, v);
    }

    /**
     * {readings per second of wall time, readings per CPU-second of this JVM}. The second is what a core
     * delivers when other work shares the machine (wall time then measures the other work too); it counts
     * the whole JVM, the MiniCluster's own threads and the JIT included, for both jobs alike.
     */
    static double[] job(byte[] model, int sensors, long n) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
        env.getConfig().enableObjectReuse();
        DataGeneratorSource<SensorReading> source = new DataGeneratorSource<>(i -> reading(i, n, sensors), n, TypeInformation.of(SensorReading.class));
        DataStream<SensorReading> readings = env.fromSource(source,
                ReadingWatermarks.boundedOutOfOrderness(Duration.ofMillis(500), Duration.ofDays(36500)), "readings").uid("readings");
        if (model != null) {
            StreamingFastGrnn fn = StreamingFastGrnn.builder(ModelSource.ofBytes(model, 1)).channels(CHANNELS).everyReadings(K)
                    .window(Duration.ofSeconds(1)).allowedLateness(Duration.ofMillis(200)).silenceAfter(Duration.ofSeconds(60)).build();
            fn.applyTo(readings, "grnn").map(new Count()).uid("count").sinkTo(new DiscardingSink<>());
        } else {
            readings.keyBy(r -> r.sensorId).map((MapFunction<SensorReading, SensorReading>) r -> r).uid("identity").sinkTo(new DiscardingSink<>());
        }
        long cpu0 = processCpuNanos();
        JobExecutionResult r = env.execute(model != null ? "fastgrnn throughput" : "identity throughput");
        long cpu = processCpuNanos() - cpu0;
        if (model != null) {
            long perSensor = n / sensors, windows = (perSensor * 10 + 999) / 1000;
            long expected = sensors * (perSensor / K + windows), got = r.<Long>getAccumulatorResult("predictions");
            if (got != expected) throw new IllegalStateException(got + " predictions, expected " + expected + ": readings were rejected");
        }
        return new double[] {n * 1000.0 / r.getNetRuntime(), n * 1e9 / cpu};
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Counts the predictions, so the harness knows every reading was applied. */
    static final class Count extends RichMapFunction<SensorPrediction, SensorPrediction> {
        private final LongCounter count = new LongCounter();

        @Override
        public void open(OpenContext ctx) {
            getRuntimeContext().addAccumulator("predictions", count);
        }

        @Override
        public SensorPrediction map(SensorPrediction p) {
            count.add(1);
            return p;
        }
    }
}
