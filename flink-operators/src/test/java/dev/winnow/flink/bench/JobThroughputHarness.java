package dev.winnow.flink.bench;

import dev.winnow.flink.frames.FrameScorer;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.sensor.SensorClassifier;
import dev.winnow.flink.sensor.SensorFeatureWindow;
import dev.winnow.flink.sensor.SensorFeatures;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.testing.RandomBonsai;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Records per second of the same job with the model step and with an identity map in its place, on
 * a local MiniCluster (parallelism 2 on this 2-core machine, or {@code --parallelism P}): a Bonsai of Letter-26 shape (random
 * weights: speed does not depend on them) on sensor windows, and a frame model on 320x240 frames.
 * Prints a table of the best of several alternating runs and the ratio, and the median of the paired
 * ratios (more robust when something else loads the machine). Not a test: timings only.
 *
 * <pre>scripts/job-throughput.sh [--sensor-only] [--runs N] [--parallelism P] [frame-model.wnm]</pre>
 */
public final class JobThroughputHarness {
    static final int CHANNELS = 2, BANDS = 4, SENSORS = 64;
    static final long READINGS = 2_000_000, FRAMES = 4_000;

    public static void main(String[] args) throws Exception {
        int runs = 5; // the first is warm-up for the JIT and the MiniCluster; the table takes the best of each
        int parallelism = 2;
        boolean framesToo = true;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sensor-only")) framesToo = false;
            else if (args[i].equals("--runs") && i + 1 < args.length) runs = Math.max(2, Integer.parseInt(args[++i]));
            else if (args[i].equals("--parallelism") && i + 1 < args.length) parallelism = Math.max(1, Integer.parseInt(args[++i]));
            else rest.add(args[i]);
        }
        args = rest.toArray(new String[0]);
        byte[] bonsai = bonsai(new SensorFeatures(CHANNELS, BANDS).size(), 26, 3, 28, 7);
        Model b = Model.load(bonsai);
        System.out.printf("Bonsai: %d features, %d classes, depth 3, projection 28; %d params, %d MACs, %d arena bytes%n",
                b.input(0).elementCount(), b.output(0).elementCount(), b.report().parameters(), b.report().macs(), b.report().arenaBytes());
        byte[] frameModel;
        String frameModelName;
        if (args.length > 0) {
            frameModel = Files.readAllBytes(Path.of(args[0]));
            frameModelName = args[0];
        } else {
            Random r = new Random(9);
            List<float[]> calibration = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                float[] x = new float[240 * 320];
                for (int j = 0; j < x.length; j++) x[j] = r.nextFloat();
                calibration.add(x);
            }
            frameModel = new TinyCnn(5, 240, 320).int8Artifact(calibration);
            frameModelName = "TinyCnn int8 classifier at 320x240 (pass a detector .wnm to measure it)";
        }
        Model f = Model.load(frameModel);
        System.out.printf("Frame model: %s; %d MACs, %d arena bytes%n", frameModelName, f.report().macs(), f.report().arenaBytes());

        double[] sensorModel = new double[runs], sensorIdentity = new double[runs], frameModelRate = new double[runs], frameIdentity = new double[runs];
        for (int r = 0; r < runs; r++) {
            // alternate which of the pair goes first, so a drift in machine load favours neither
            if (r % 2 == 0) {
                sensorIdentity[r] = sensorJob(null, parallelism);
                sensorModel[r] = sensorJob(bonsai, parallelism);
            } else {
                sensorModel[r] = sensorJob(bonsai, parallelism);
                sensorIdentity[r] = sensorJob(null, parallelism);
            }
            if (framesToo) {
                frameIdentity[r] = frameJob(null, parallelism);
                frameModelRate[r] = frameJob(frameModel, parallelism);
            }
            System.out.printf("run %d: sensors %,.0f / %,.0f readings/s, frames %,.0f / %,.0f frames/s (model / identity)%n",
                    r + 1, sensorModel[r], sensorIdentity[r], frameModelRate[r], frameIdentity[r]);
        }
        double[] paired = new double[runs - 1];
        for (int r = 1; r < runs; r++) paired[r - 1] = sensorModel[r] / sensorIdentity[r];
        Arrays.sort(paired);
        System.out.printf("Bonsai job / identity job, median of runs 2-%d: %.1f%%%n", runs, 100 * (paired[(runs - 2) / 2] + paired[(runs - 1) / 2]) / 2);
        System.out.println();
        System.out.println("| job (parallelism " + parallelism + ", MiniCluster), best of runs 2-" + runs + " | with model | with identity map | ratio |");
        System.out.println("|---|---|---|---|");
        row("Bonsai on sensor windows (readings/s)", best(sensorModel), best(sensorIdentity));
        if (framesToo) row("frame model on 320x240 frames (frames/s)", best(frameModelRate), best(frameIdentity));
    }

    static void row(String what, double model, double identity) {
        System.out.printf("| %s | %,.0f | %,.0f | %.1f%% |%n", what, model, identity, 100 * model / identity);
    }

    static double best(double[] a) {
        return Arrays.stream(a, 1, a.length).max().orElse(0);
    }

    static StreamExecutionEnvironment env(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        env.getConfig().enableObjectReuse();
        return env;
    }

    static double sensorJob(byte[] model, int parallelism) throws Exception {
        StreamExecutionEnvironment env = env(parallelism);
        DataGeneratorSource<SensorReading> source = new DataGeneratorSource<>(i -> {
            float t = i / (float) SENSORS;
            return new SensorReading("s" + (i % SENSORS), i * 10, new float[] {(float) Math.sin(t * 0.3), (float) Math.cos(t * 0.7 + (i % 7))});
        }, READINGS, TypeInformation.of(SensorReading.class));
        DataStream<FeatureVector> windows = env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings")
                .keyBy(r -> r.sensorId)
                .countWindow(32, 16)
                .process(new SensorFeatureWindow<>(new SensorFeatures(CHANNELS, BANDS)));
        if (model != null) {
            List<String> labels = Model.load(model).metadata().labels();
            // as the job is meant to run: one class in four is relevant and travels on, the rest is dropped
            Set<String> relevant = new java.util.HashSet<>();
            for (int i = 0; i < labels.size(); i += 4) relevant.add(labels.get(i));
            windows.flatMap(new SensorClassifier(ModelSource.ofBytes(model, 1), relevant)).sinkTo(new DiscardingSink<SensorEvent>());
        } else {
            windows.map((MapFunction<FeatureVector, FeatureVector>) v -> v).sinkTo(new DiscardingSink<>());
        }
        JobExecutionResult r = env.execute("sensor throughput");
        return READINGS * 1000.0 / r.getNetRuntime();
    }

    static double frameJob(byte[] model, int parallelism) throws Exception {
        StreamExecutionEnvironment env = env(parallelism);
        Random random = new Random(3);
        List<byte[]> pool = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] px = new byte[320 * 240];
            random.nextBytes(px);
            pool.add(px);
        }
        DataGeneratorSource<Frame> source = new DataGeneratorSource<>(i -> new Frame("cam" + (i % 4), i, i * 100, FrameEncoding.GRAY8, 320, 240, pool.get((int) (i % pool.size()))),
                FRAMES, TypeInformation.of(Frame.class));
        DataStream<Frame> frames = env.fromSource(source, WatermarkStrategy.noWatermarks(), "frames");
        if (model != null) {
            String positive = Model.load(model).metadata().labels().isEmpty() ? "person" : Model.load(model).metadata().labels().get(0);
            frames.flatMap(new FrameScorer(ModelSource.ofBytes(model, 1), positive)).sinkTo(new DiscardingSink<ScoredFrame>());
        } else {
            frames.map((MapFunction<Frame, Frame>) x -> x).sinkTo(new DiscardingSink<>());
        }
        JobExecutionResult r = env.execute("frame throughput");
        return FRAMES * 1000.0 / r.getNetRuntime();
    }

    /** A Bonsai tree with random weights, through the runtime's graph format like any shipped model. */
    static byte[] bonsai(int d, int classes, int depth, int proj, long seed) {
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) labels.add("class" + c);
        return new RandomBonsai(seed, d, proj, classes, depth, 1f, 0.3).artifact("sensor-bonsai", labels);
    }
}
