package dev.winnow.examples.samples;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.FastGrnnStream;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.nn.Adam;
import dev.winnow.tools.nn.FastGrnn;
import dev.winnow.tools.nn.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a FastGRNN on the NOAA Seattle weather-station series that scripts/data/fetch-sensor-series.sh
 * brings (4 channels a day: precipitation, maximum and minimum temperature, wind; label: the day's
 * weather). Trained on 2012-2014, reported on 2015 only, which it never saw: (a) as the artifact's graph
 * node over the last {@value #STEPS} days, as trained, and (b) as {@code StreamingFastGrnn} runs it,
 * one reading at a time on a state carried from the first day ({@link FastGrnnStream}, the operator's
 * arithmetic). The majority class of 2015 is printed beside them. Writes the artifact and the series as
 * sensor readings for the {@code sensor-states} job beside it (git-ignored).
 *
 * <pre>scripts/samples/train-weather-grnn.sh [data/sensors/seattle-weather.csv] [data/sensors/seattle-weather-grnn.wnm]</pre>
 */
public final class TrainWeatherGrnn {
    static final int STEPS = 14, CHANNELS = 4, HIDDEN = 16, EPOCHS = 80, BATCH = 32;
    static final List<String> LABELS = List.of("drizzle", "fog", "rain", "snow", "sun");

    record Day(String date, float[] x, int label) {}

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : "data/sensors/seattle-weather.csv");
        Path out = Path.of(args.length > 1 ? args[1] : "data/sensors/seattle-weather-grnn.wnm");
        if (!Files.exists(csv)) throw new IllegalStateException(csv + " is missing: run scripts/data/fetch-sensor-series.sh");
        List<Day> days = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int label = LABELS.indexOf(f[5]);
            if (label < 0) throw new IllegalStateException("unknown weather '" + f[5] + "' on " + f[0]);
            days.add(new Day(f[0], new float[] {Float.parseFloat(f[1]), Float.parseFloat(f[2]), Float.parseFloat(f[3]), Float.parseFloat(f[4])}, label));
        }
        int firstTest = 0;
        while (!days.get(firstTest).date().startsWith("2015")) firstTest++;
        float[] mean = new float[CHANNELS], std = new float[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            double s = 0, ss = 0;
            for (int d = 0; d < firstTest; d++) { s += days.get(d).x()[c]; ss += days.get(d).x()[c] * days.get(d).x()[c]; }
            mean[c] = (float) (s / firstTest);
            std[c] = (float) Math.sqrt(ss / firstTest - mean[c] * (double) mean[c]);
        }
        float[] xs = new float[days.size() * CHANNELS];
        for (int d = 0; d < days.size(); d++) for (int c = 0; c < CHANNELS; c++) xs[d * CHANNELS + c] = (days.get(d).x()[c] - mean[c]) / std[c];

        Random r = new Random(5);
        FastGrnn cell = new FastGrnn("grnn", CHANNELS, HIDDEN, 1, r);
        Param fc = new Param("fc", new int[] {LABELS.size(), HIDDEN}, 1).init(r, HIDDEN, 1.0), fcBias = new Param("fc_bias", new int[] {LABELS.size()}, 1);
        List<Param> params = new ArrayList<>(cell.params());
        params.add(fc);
        params.add(fcBias);
        Adam adam = new Adam(params);
        float[] cache = new float[cell.cacheSize(STEPS)], dh = new float[HIDDEN], tmp = new float[2 * HIDDEN], p = new float[LABELS.size()];
        List<Integer> train = new ArrayList<>();
        for (int d = STEPS - 1; d < firstTest; d++) train.add(d);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            java.util.Collections.shuffle(train, r);
            double loss = 0;
            for (int b = 0; b < train.size(); b += BATCH) {
                int n = Math.min(BATCH, train.size() - b);
                for (int i = 0; i < n; i++) {
                    int d = train.get(b + i), off = (d - STEPS + 1) * CHANNELS;
                    cell.forward(xs, off, CHANNELS, STEPS, cache, 0);
                    int h = STEPS * HIDDEN;
                    softmax(fc.w, fcBias.w, cache, h, p);
                    int y = days.get(d).label();
                    loss -= Math.log(Math.max(p[y], 1e-12));
                    p[y] -= 1f;
                    float[] gFc = fc.grad(0), gB = fcBias.grad(0);
                    java.util.Arrays.fill(dh, 0f);
                    for (int k = 0; k < p.length; k++) {
                        gB[k] += p[k];
                        for (int j = 0; j < HIDDEN; j++) {
                            gFc[k * HIDDEN + j] += p[k] * cache[h + j];
                            dh[j] += fc.w[k * HIDDEN + j] * p[k];
                        }
                    }
                    cell.backward(xs, off, CHANNELS, STEPS, cache, 0, dh, null, 0, 0, tmp);
                }
                adam.step(epoch < EPOCHS * 3 / 4 ? 0.01f : 0.002f, 1f / n, 0f);
            }
            if (epoch % 20 == 19 || epoch == EPOCHS - 1) System.out.printf(Locale.ROOT, "epoch %d: train loss %.4f%n", epoch + 1, loss / train.size());
        }

        // the series as sensor readings (sensorId,timestampMillis,values…,label) for the sensor-states job
        StringBuilder rows = new StringBuilder();
        for (Day d : days) {
            long millis = java.time.LocalDate.parse(d.date().replace('/', '-')).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
            rows.append("seattle,").append(millis);
            for (float v : d.x()) rows.append(',').append(v);
            rows.append(',').append(d.label()).append('\n');
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out.resolveSibling("seattle-weather-readings.csv"), rows);
        byte[] artifact = artifact(cell, fc.w, fcBias.w, mean, std, firstTest, days.size() - firstTest, false);
        Files.write(out, artifact);
        Model model = Model.load(artifact);
        Interpreter it = model.newInterpreter();
        FastGrnnStream stream = FastGrnnStream.of(model);
        float[] window = new float[STEPS * CHANNELS], scores = new float[LABELS.size()];
        float[] state = new float[HIDDEN], scratch = new float[stream.scratchSize()];
        int[] counts = new int[LABELS.size()];
        int windowed = 0, streamed = 0, tests = days.size() - firstTest;
        int[][] confusion = new int[LABELS.size()][LABELS.size()];
        for (int d = 0; d < days.size(); d++) {
            stream.step(days.get(d).x(), 0, state, 0, scratch, 0);
            if (d < firstTest) continue;
            int y = days.get(d).label();
            counts[y]++;
            stream.scores(state, 0, scores, 0);
            int s = argmax(scores);
            if (s == y) streamed++;
            for (int t = 0; t < STEPS; t++) System.arraycopy(days.get(d - STEPS + 1 + t).x(), 0, window, t * CHANNELS, CHANNELS);
            it.predict(window, scores);
            int w = argmax(scores);
            if (w == y) windowed++;
            confusion[y][w]++;
        }
        int best = 0;
        for (int c = 1; c < counts.length; c++) if (counts[c] > counts[best]) best = c;
        System.out.printf(Locale.ROOT, "held-out 2015 (%d days; trained on %d days of 2012-2014): %d-day window %.1f%%, streaming state from 2012-01-01 %.1f%%, majority class (%s) %.1f%%%n",
                tests, firstTest, STEPS, 100.0 * windowed / tests, 100.0 * streamed / tests, LABELS.get(best), 100.0 * counts[best] / tests);
        System.out.println("window confusion (rows: truth " + LABELS + ", columns: predicted)");
        for (int y = 0; y < LABELS.size(); y++) System.out.printf(Locale.ROOT, "  %-8s %s%n", LABELS.get(y), java.util.Arrays.toString(confusion[y]));
        System.out.printf(Locale.ROOT, "model: %d parameters, %d bytes -> %s%n", model.report().parameters(), artifact.length, out);

        byte[] int8 = artifact(cell, fc.w, fcBias.w, mean, std, firstTest, days.size() - firstTest, true);
        Path int8Out = out.resolveSibling(out.getFileName().toString().replace(".wnm", "-int8.wnm"));
        Files.write(int8Out, int8);
        double[] q = accuracy(int8, days, firstTest);
        System.out.printf(Locale.ROOT, "int8 weights (W, U, fc; one scale per row): %d bytes -> %s; held-out 2015: %d-day window %.1f%% (float %.1f%%), streaming %.1f%% (float %.1f%%)%n",
                int8.length, int8Out, STEPS, 100 * q[0], 100.0 * windowed / tests, 100 * q[1], 100.0 * streamed / tests);
    }

    /** Held-out (2015) accuracy of an artifact: {14-day window, streaming state from the first day}. */
    static double[] accuracy(byte[] artifact, List<Day> days, int firstTest) throws Exception {
        Model model = Model.load(artifact);
        Interpreter it = model.newInterpreter();
        FastGrnnStream stream = FastGrnnStream.of(model);
        float[] window = new float[STEPS * CHANNELS], scores = new float[LABELS.size()];
        float[] state = new float[HIDDEN], scratch = new float[stream.scratchSize()];
        int windowed = 0, streamed = 0;
        for (int d = 0; d < days.size(); d++) {
            stream.step(days.get(d).x(), 0, state, 0, scratch, 0);
            if (d < firstTest) continue;
            int y = days.get(d).label();
            stream.scores(state, 0, scores, 0);
            if (argmax(scores) == y) streamed++;
            for (int t = 0; t < STEPS; t++) System.arraycopy(days.get(d - STEPS + 1 + t).x(), 0, window, t * CHANNELS, CHANNELS);
            it.predict(window, scores);
            if (argmax(scores) == y) windowed++;
        }
        int tests = days.size() - firstTest;
        return new double[] {windowed / (double) tests, streamed / (double) tests};
    }

    /** A [rows][cols] matrix as int8 with one symmetric scale per row. */
    static void matrixInt8(GraphBuilder g, String name, int rows, int cols, float[] m) {
        byte[] q = new byte[rows * cols];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) max = Math.max(max, Math.abs(m[r * cols + c]));
            scales[r] = max == 0 ? 1f : max / 127f;
            for (int c = 0; c < cols; c++) q[r * cols + c] = (byte) Math.round(m[r * cols + c] / scales[r]);
        }
        g.weightInt8(name, new int[] {rows, cols}, q, 0, scales);
    }

    static void softmax(float[] w, float[] b, float[] h, int hOff, float[] p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < p.length; k++) {
            float a = b[k];
            for (int j = 0; j < HIDDEN; j++) a += w[k * HIDDEN + j] * h[hOff + j];
            p[k] = a;
            max = Math.max(max, a);
        }
        float sum = 0;
        for (int k = 0; k < p.length; k++) sum += p[k] = (float) Math.exp(p[k] - max);
        for (int k = 0; k < p.length; k++) p[k] /= sum;
    }

    static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    /** The runtime's one-node fastgrnn artifact; ζ = 1, ν = 0 as trained (raw ±20: the sigmoid rounds to 1 and 2e-9). */
    /**
     * The artifact; with {@code int8} the matrices W, U and fc are stored as int8 with one scale per row
     * (the runtime dequantizes them at load, the arithmetic stays float), the vectors stay float.
     */
    static byte[] artifact(FastGrnn cell, float[] fc, float[] fcBias, float[] mean, float[] std, int trainDays, int testDays, boolean int8) {
        float[] meanT = new float[STEPS * CHANNELS], stdT = new float[STEPS * CHANNELS];
        for (int t = 0; t < STEPS; t++) {
            System.arraycopy(mean, 0, meanT, t * CHANNELS, CHANNELS);
            System.arraycopy(std, 0, stdT, t * CHANNELS, CHANNELS);
        }
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {STEPS, CHANNELS}).tensor("scores", new int[] {LABELS.size()}).input("x").output("scores");
        if (int8) {
            matrixInt8(g, "W", HIDDEN, CHANNELS, cell.w.w);
            matrixInt8(g, "U", HIDDEN, HIDDEN, cell.u.w);
            matrixInt8(g, "fc", LABELS.size(), HIDDEN, fc);
        } else {
            g.weightFloat("W", new int[] {HIDDEN, CHANNELS}, cell.w.w).weightFloat("U", new int[] {HIDDEN, HIDDEN}, cell.u.w)
                    .weightFloat("fc", new int[] {LABELS.size(), HIDDEN}, fc);
        }
        g.weightFloat("bg", new int[] {HIDDEN}, cell.bg.w).weightFloat("bh", new int[] {HIDDEN}, cell.bh.w)
                .weightFloat("zeta", new int[] {1}, new float[] {20f}).weightFloat("nu", new int[] {1}, new float[] {-20f})
                .weightFloat("mean", new int[] {meanT.length}, meanT).weightFloat("std", new int[] {stdT.length}, stdT)
                .weightFloat("fc_bias", new int[] {LABELS.size()}, fcBias);
        Map<String, String> roles = new LinkedHashMap<>();
        for (String role : List.of("W", "U", "bg", "bh", "zeta", "nu", "mean", "std", "fc", "fc_bias")) roles.put(role, role);
        g.node("fastgrnn", "rnn", List.of("x"), List.of("scores"), roles, Map.of("hidden", (long) HIDDEN));
        return g.toBytes(Metadata.builder(int8 ? "seattle-weather-grnn-int8" : "seattle-weather-grnn", "fastgrnn").labels(LABELS)
                .description("FastGRNN on NOAA Seattle daily weather (precipitation, temp_max, temp_min, wind); trained on 2012-2014")
                .provenance("trainedOn", "2012-01-01..2014-12-31 (" + trainDays + " days)")
                .provenance("heldOut", "2015 (" + testDays + " days)")
                .input("x", new int[] {STEPS, CHANNELS}, "float32", "sequence", null));
    }
}
