package dev.winnow.examples.samples;

import dev.winnow.flink.sensor.SensorFeatures;
import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.graph.Interpreter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * An anomaly model learned without labels: k-means centroids of the features that the sensor jobs'
 * {@code SensorFeatureWindow} computes ({@link SensorFeatures}: {@value #CHANNELS} channels, {@value #BANDS} FFT
 * bands each) over {@value #WINDOW}-reading windows of normal readings, written as a ProtoNN artifact whose
 * prototypes are the centroids: {@code normal} = Σ_j exp(−γ²‖x̂ − c_j‖²), {@code anomaly} = 2τ − normal, so
 * the class is {@code anomaly} exactly when the kernel density is below τ, and the artifact runs unchanged
 * in {@code SensorClassifier} / {@code HotSwapSensorClassifier} with relevant label {@code anomaly}.
 *
 * <p>Data: the NOAA Seattle daily station record that scripts/data/fetch-sensor-series.sh brings
 * (precipitation, temp_max, temp_min, wind; 2012-2015, real measurements). The weather label is not used.
 * Centroids: fitted on 2012-2013. τ: the {@value #QUANTILE} quantile of the density of the 2014 windows,
 * which are clean and which the centroids never saw (no fault labels anywhere). Evaluation: 2015 only, which
 * neither step saw, every window (slide 1) with one fault type injected into every {@value #FAULT_EVERY}th
 * window's temp_max or temp_min channel, a separate set per type. The temperatures' level (mean, min, max,
 * RMS) gets weight 0 in the projection: it follows the season, which two years of windows cover thinly,
 * and a fault is a change of shape.
 */
public final class WeatherAnomaly {
    public static final int WINDOW = 14, CHANNELS = 4, BANDS = 2, K = 8, FAULT_EVERY = 4, SEED = 7;
    static final double QUANTILE = 0.02;
    static final List<String> LABELS = List.of("normal", "anomaly");
    static final SensorFeatures FEATURES = new SensorFeatures(CHANNELS, BANDS);
    /** Which features the projection uses: all but the level of the two temperature channels (1, 2). */
    static final boolean[] USED = used();

    private static boolean[] used() {
        boolean[] u = new boolean[FEATURES.size()];
        Arrays.fill(u, true);
        for (int c : new int[] {1, 2}) for (int f : new int[] {0, 2, 3, 4}) u[c * FEATURES.perChannel() + f] = false;
        return u;
    }

    public enum Fault { SPIKE, STUCK, DRIFT }

    /** Precision and recall of one fault type's evaluation set. */
    public record Row(Fault fault, int windows, int faulty, int truePositives, int falsePositives) {
        public double precision() { return truePositives + falsePositives == 0 ? 0 : truePositives / (double) (truePositives + falsePositives); }
        public double recall() { return truePositives / (double) faulty; }
    }

    public record Result(byte[] artifact, int trainWindows, int validationWindows, double validationFlagged, List<Row> rows) {}

    /**
     * Design choices: centroids, the clean-window quantile τ sits at, and whether the projection has the
     * temperature range coordinate (mean temp_max − mean temp_min: one channel drifting or stuck moves it
     * while the season moves both). Chosen with {@code --validate}, on 2014 with injected faults, never on 2015.
     */
    public record Config(int k, double quantile, boolean range) {
        public static final Config CHOSEN = new Config(K, QUANTILE, false);
    }

    /** The projection's rows: each a linear combination of the window features, standardized on the training windows. */
    static float[][] rows(Config cfg) {
        List<float[]> rows = new ArrayList<>();
        for (int j = 0; j < FEATURES.size(); j++) {
            if (!USED[j]) continue;
            float[] a = new float[FEATURES.size()];
            a[j] = 1;
            rows.add(a);
        }
        if (cfg.range()) {
            float[] a = new float[FEATURES.size()];
            a[FEATURES.perChannel()] = 1;       // mean temp_max
            a[2 * FEATURES.perChannel()] = -1;  // mean temp_min
            rows.add(a);
        }
        return rows.toArray(new float[0][]);
    }

    static double dot(float[] a, float[] f) {
        double s = 0;
        for (int j = 0; j < f.length; j++) if (a[j] != 0) s += a[j] * (double) f[j];
        return s;
    }

    public record Series(String[] dates, float[] values) {
        public int days() { return dates.length; }
        public int firstOf(String year) {
            for (int i = 0; i < dates.length; i++) if (dates[i].startsWith(year)) return i;
            throw new IllegalArgumentException("no day of " + year);
        }
    }

    /** seattle-weather.csv: date,precipitation,temp_max,temp_min,wind,weather; values interleaved per day. */
    public static Series read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (!lines.get(0).startsWith("date,precipitation,temp_max,temp_min,wind")) throw new IllegalArgumentException(csv + ": unexpected header " + lines.get(0));
        int n = lines.size() - 1;
        String[] dates = new String[n];
        float[] v = new float[n * CHANNELS];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            dates[i] = f[0];
            for (int c = 0; c < CHANNELS; c++) v[i * CHANNELS + c] = Float.parseFloat(f[1 + c]);
        }
        return new Series(dates, v);
    }

    public static float[] features(float[] window) {
        float[] out = new float[FEATURES.size()];
        FEATURES.compute(window, window.length / CHANNELS, out, 0, new double[16], new double[16]);
        return out;
    }

    /** Windows of WINDOW days starting in [from, to - WINDOW], one every {@code slide} days. */
    public static List<float[]> windows(Series s, int from, int to, int slide) {
        List<float[]> ws = new ArrayList<>();
        for (int d = from; d + WINDOW <= to; d += slide) ws.add(Arrays.copyOfRange(s.values(), d * CHANNELS, (d + WINDOW) * CHANNELS));
        return ws;
    }

    /** Injects {@code fault} into a copy of {@code w}: temp_max or temp_min, a random place, a random real-looking size. */
    public static float[] inject(float[] w, Fault fault, Random rnd) {
        float[] x = w.clone();
        int c = 1 + rnd.nextInt(2);
        switch (fault) {
            case SPIKE -> { // one reading off by 8-15 °C: a transient in the sensor or its line
                int at = rnd.nextInt(WINDOW);
                x[at * CHANNELS + c] += (rnd.nextBoolean() ? 1 : -1) * (8 + 7 * rnd.nextFloat());
            }
            case STUCK -> { // the value freezes for 5-10 days: a hung sensor repeating its last reading
                int len = 5 + rnd.nextInt(6), at = rnd.nextInt(WINDOW - len + 1);
                for (int i = at; i < at + len; i++) x[i * CHANNELS + c] = x[at * CHANNELS + c];
            }
            case DRIFT -> { // an offset growing 0.5-1.5 °C a day from a random day: calibration drift
                int at = rnd.nextInt(WINDOW / 2);
                float rate = (rnd.nextBoolean() ? 1 : -1) * (0.5f + rnd.nextFloat());
                for (int i = at; i < WINDOW; i++) x[i * CHANNELS + c] += rate * (i - at);
            }
        }
        return x;
    }

    /** The chosen design, evaluated on 2015. */
    public static Result run(Path csv) throws Exception {
        return run(csv, Config.CHOSEN, "2015");
    }

    /**
     * Centroids from 2012-2013, τ from the clean 2014 windows, precision and recall on {@code evalYear}'s
     * windows with injected faults: "2015" for the figures, "2014" to choose a design without looking at 2015.
     */
    public static Result run(Path csv, Config cfg, String evalYear) throws Exception {
        Series s = read(csv);
        int y2014 = s.firstOf("2014"), y2015 = s.firstOf("2015");
        float[][] rows = rows(cfg);
        List<float[]> train = new ArrayList<>();
        for (float[] w : windows(s, 0, y2014, 1)) train.add(features(w));
        int p = rows.length;
        double[] mean = new double[p], std = new double[p];
        for (float[] f : train) for (int r = 0; r < p; r++) mean[r] += dot(rows[r], f) / train.size();
        for (float[] f : train) for (int r = 0; r < p; r++) std[r] += Math.pow(dot(rows[r], f) - mean[r], 2) / train.size();
        for (int r = 0; r < p; r++) std[r] = Math.max(1e-6, Math.sqrt(std[r]));
        double[][] z = new double[train.size()][p];
        for (int i = 0; i < z.length; i++) for (int r = 0; r < p; r++) z[i][r] = (dot(rows[r], train.get(i)) - mean[r]) / std[r];
        double[][] c = kMeans(z, cfg.k(), new Random(SEED));
        // γ: a window at the median distance from its nearest centroid has similarity 1/e to it
        double[] nearest = new double[z.length];
        for (int i = 0; i < z.length; i++) nearest[i] = nearestSq(z[i], c);
        Arrays.sort(nearest);
        float gamma = (float) Math.sqrt(1 / Math.max(1e-6, nearest[nearest.length / 2]));

        // τ from the clean 2014 windows, with the same arithmetic the artifact runs
        Interpreter probe = Model.load(artifact(rows, mean, std, c, gamma, 0f, cfg, train.size())).newInterpreter();
        List<float[]> validation = windows(s, y2014, y2015, 1);
        double[] density = new double[validation.size()];
        float[] scores = new float[2];
        for (int i = 0; i < density.length; i++) {
            probe.predict(features(validation.get(i)), scores);
            density[i] = scores[0];
        }
        Arrays.sort(density);
        float tau = (float) density[(int) Math.floor(cfg.quantile() * density.length)];
        byte[] artifact = artifact(rows, mean, std, c, gamma, tau, cfg, train.size());
        Interpreter model = Model.load(artifact).newInterpreter();
        int flaggedValidation = 0;
        for (float[] w : validation) if (flagged(model, w, scores)) flaggedValidation++;

        int from = s.firstOf(evalYear), to = evalYear.equals("2014") ? y2015 : s.days();
        if (!evalYear.equals("2014") && !evalYear.equals("2015")) throw new IllegalArgumentException("evaluate on 2014 (validation) or 2015, not " + evalYear);
        List<float[]> eval = windows(s, from, to, 1);
        List<Row> table = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            Random rnd = new Random(SEED * 31L + fault.ordinal());
            int tp = 0, fp = 0, faulty = 0;
            for (int i = 0; i < eval.size(); i++) {
                boolean isFault = i % FAULT_EVERY == 1;
                boolean f = flagged(model, isFault ? inject(eval.get(i), fault, rnd) : eval.get(i), scores);
                if (isFault) faulty++;
                if (f && isFault) tp++;
                if (f && !isFault) fp++;
            }
            table.add(new Row(fault, eval.size(), faulty, tp, fp));
        }
        return new Result(artifact, train.size(), validation.size(), flaggedValidation / (double) validation.size(), table);
    }

    static boolean flagged(Interpreter model, float[] window, float[] scores) {
        model.predict(features(window), scores);
        return scores[1] > scores[0];
    }

    static double nearestSq(double[] x, double[][] c) {
        double best = Double.MAX_VALUE;
        for (double[] cj : c) {
            double s = 0;
            for (int j = 0; j < x.length; j++) s += (x[j] - cj[j]) * (x[j] - cj[j]);
            best = Math.min(best, s);
        }
        return best;
    }

    /** Lloyd's k-means from a k-means++ start. */
    static double[][] kMeans(double[][] x, int k, Random rnd) {
        double[][] c = new double[k][];
        c[0] = x[rnd.nextInt(x.length)].clone();
        double[] dist = new double[x.length];
        for (int n = 1; n < k; n++) {
            double total = 0;
            for (int i = 0; i < x.length; i++) total += dist[i] = nearestSq(x[i], Arrays.copyOf(c, n));
            double r = rnd.nextDouble() * total;
            int pick = 0;
            while (pick < x.length - 1 && (r -= dist[pick]) > 0) pick++;
            c[n] = x[pick].clone();
        }
        int d = x[0].length;
        for (int iter = 0; iter < 100; iter++) {
            double[][] sum = new double[k][d];
            int[] count = new int[k];
            for (double[] xi : x) {
                int best = 0;
                double bd = Double.MAX_VALUE;
                for (int j = 0; j < k; j++) {
                    double s = 0;
                    for (int q = 0; q < d; q++) s += (xi[q] - c[j][q]) * (xi[q] - c[j][q]);
                    if (s < bd) { bd = s; best = j; }
                }
                count[best]++;
                for (int q = 0; q < d; q++) sum[best][q] += xi[q];
            }
            boolean moved = false;
            for (int j = 0; j < k; j++) {
                if (count[j] == 0) continue; // an empty cluster keeps its centroid
                for (int q = 0; q < d; q++) {
                    double v = sum[j][q] / count[j];
                    if (v != c[j][q]) moved = true;
                    c[j][q] = v;
                }
            }
            if (!moved) break;
        }
        return c;
    }

    /**
     * The ProtoNN artifact: W row r = rows[r]/σ_r, B_j = c_j + μ/σ (so W x − B_j = x̂ − c_j), Z_j = [1, −1],
     * then {@code add} [0, 2τ]: scores [density, 2τ − density].
     */
    static byte[] artifact(float[][] rows, double[] mean, double[] std, double[][] c, float gamma, float tau, Config cfg, int trainWindows) {
        int d = FEATURES.size(), p = rows.length, k = c.length;
        float[] w = new float[p * d], b = new float[k * p], zz = new float[k * 2];
        for (int r = 0; r < p; r++) for (int j = 0; j < d; j++) w[r * d + j] = (float) (rows[r][j] / std[r]);
        for (int q = 0; q < k; q++) {
            for (int r = 0; r < p; r++) b[q * p + r] = (float) (c[q][r] + mean[r] / std[r]);
            zz[q * 2] = 1f;
            zz[q * 2 + 1] = -1f;
        }
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {d}).tensor("density", new int[] {2}).tensor("scores", new int[] {2})
                .input("x").output("scores")
                .weightFloat("W", new int[] {p, d}, w).weightFloat("B", new int[] {k, p}, b).weightFloat("Z", new int[] {k, 2}, zz)
                .weightFloat("tau", new int[] {2}, new float[] {0f, 2 * tau});
        Map<String, String> roles = new LinkedHashMap<>();
        for (String role : List.of("W", "B", "Z")) roles.put(role, role);
        g.node("protonn", "prototypes", List.of("x"), List.of("density"), roles, Map.of("gamma", (double) gamma));
        g.node("add", "threshold", List.of("density"), List.of("scores"), Map.of("b", "tau"), null);
        return g.toBytes(Metadata.builder("weather-anomaly", "protonn").labels(LABELS)
                .description("k-means prototypes of " + WINDOW + "-day weather-station window features; anomaly when the kernel density is below tau")
                .provenance("trainedOn", "seattle-weather 2012-2013 (" + trainWindows + " windows, slide 1 day), no labels")
                .provenance("threshold", "tau " + tau + ": the " + cfg.quantile() + " quantile of the seattle-weather 2014 windows")
                .provenance("design", cfg.toString())
                .input("x", new int[] {d}, "float32", "features", null));
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--validate")) {
            validate(Path.of(args.length > 1 ? args[1] : "data/sensors/seattle-weather.csv"));
            return;
        }
        Path csv = Path.of(args.length > 0 ? args[0] : "data/sensors/seattle-weather.csv");
        Path out = Path.of(args.length > 1 ? args[1] : "data/sensors/weather-anomaly.wnm");
        if (!Files.exists(csv)) throw new IllegalStateException(csv + " is missing: run scripts/data/fetch-sensor-series.sh");
        Result r = run(csv);
        System.out.println("design: " + Config.CHOSEN);
        Files.write(out, r.artifact());
        System.out.printf(Locale.ROOT, "centroids from %d windows of 2012-2013; threshold from %d clean windows of 2014, %.1f %% of them flagged%n",
                r.trainWindows(), r.validationWindows(), 100 * r.validationFlagged());
        System.out.printf(Locale.ROOT, "evaluated on 2015 only: %d-day windows, slide 1, a fault in every %dth; artifact %d B: %s%n",
                WINDOW, FAULT_EVERY, r.artifact().length, out);
        System.out.println("| fault | windows | faulty | flagged faulty | flagged clean | precision | recall |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Row row : r.rows()) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f %% | %.1f %% |%n", row.fault().name().toLowerCase(Locale.ROOT), row.windows(), row.faulty(),
                    row.truePositives(), row.falsePositives(), 100 * row.precision(), 100 * row.recall());
        }
    }

    /** The candidate designs on 2014 with injected faults (2015 untouched): how {@link Config#CHOSEN} was picked. */
    static void validate(Path csv) throws Exception {
        System.out.println("| design | spike P / R | stuck P / R | drift P / R |");
        System.out.println("|---|---|---|---|");
        for (int k : new int[] {4, 8, 16}) {
            for (double q : new double[] {0.02, 0.05}) {
                for (boolean range : new boolean[] {false, true}) {
                    Config cfg = new Config(k, q, range);
                    StringBuilder line = new StringBuilder("| " + cfg);
                    for (Row row : run(csv, cfg, "2014").rows()) line.append(String.format(Locale.ROOT, " | %.2f / %.2f", row.precision(), row.recall()));
                    System.out.println(line.append(" |"));
                }
            }
        }
    }
}
