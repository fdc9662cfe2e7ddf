package dev.winnow.tools.cnn;

import dev.winnow.tools.nn.Checkpoints;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.data.FashionMnist;
import dev.winnow.tools.nn.Adam;
import dev.winnow.tools.nn.BatchWorkers;
import dev.winnow.tools.nn.ClassifierOps;
import dev.winnow.tools.nn.OptimiserOptions;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;

/**
 * Trains a {@link FashionNet} on Fashion-MNIST with Adam and mini-batches split over worker threads
 * (each worker takes every n-th example of the batch into its own gradient buffers; buffers are
 * summed in worker order, so a run repeats exactly from its seed), then exports a float32 and an int8
 * artifact (post-training quantization calibrated on training images), evaluates both through the
 * runtime on the 10,000 test images and prints the table.
 * <pre>
 *   java -cp winnow.jar dev.winnow.tools.cnn.FashionTrainer --name fashion-rnnpool --spec c16k3s2-r4s2h8-mb2 \
 *       --epochs 8 --batch 64 --lr 0.003 --seed 1 --threads 2 --work target/fashion --out models
 * </pre>
 * The test set is scored after every epoch for the progress line only; the shipped model is the last
 * epoch's, whatever those scores say.
 */
public final class FashionTrainer {
    private FashionTrainer() {}

    /** The same as {@code winnow train-cnn}, for scripts that run the jar's classes directly. */
    public static void main(String[] argv) {
        int code = new CommandLine(new TrainCnnCommand()).execute(argv);
        if (code != 0) System.exit(code);
    }

    /** Trains (or, with --export-only, loads the parameters), then exports and evaluates the float32 and int8 artifacts. */
    static void run(TrainCnnCommand o) throws Exception {
        OptimiserOptions opt = o.optimiser;
        float lr = (float) opt.lr;
        Path data = o.data != null ? o.data : FashionMnist.locate();
        if (data == null) throw new IllegalArgumentException("no Fashion-MNIST: install dataset-fashion-mnist or pass --data-path DIR");

        Dataset train = FashionMnist.load(data, "train"), test = FashionMnist.load(data, "t10k");
        if (o.limit > 0) train = train.slice(0, Math.min(o.limit, train.size()));
        FashionNet net = new FashionNet(o.spec, 28, 28, 10, opt.threads, opt.seed);
        System.out.printf(Locale.ROOT, "%s: spec %s, %,d parameters; %,d training images, %d epochs, batch %d, lr %.4g, %d threads, seed %d%n",
                o.name, o.spec, net.parameterCount(), train.size(), opt.epochs, opt.batch, lr, opt.threads, opt.seed);
        Path paramsFile = o.work.resolve(o.name + ".params");
        ExecutorService pool = Executors.newFixedThreadPool(opt.threads);
        try {
            if (o.exportOnly) Checkpoints.load(net.params(), paramsFile);
            else {
                train(net, train, test, pool, opt.threads, opt.epochs, opt.batch, lr, o.weightDecay, o.smoothing, o.shift, opt.seed);
                Checkpoints.save(net.params(), paramsFile);
            }
            exportAndEvaluate(o, net, train, test, pool);
        } finally {
            pool.shutdown();
        }
    }

    /** Writes the float32 and int8 artifacts under --out, each with its test accuracy measured through the runtime, and prints the table. */
    private static void exportAndEvaluate(TrainCnnCommand o, FashionNet net, Dataset train, Dataset test, ExecutorService pool) throws Exception {
        double floatTest = accuracy(net, test, pool, o.optimiser.threads);
        Map<String, float[]> ranges = calibrate(net, train, o.calibration, o.optimiser.seed);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("tool", "winnow FashionTrainer");
        prov.put("dataset", "Fashion-MNIST (Debian dataset-fashion-mnist), 60,000 training images; calibration on " + o.calibration + " of them");
        prov.put("spec", o.spec);
        prov.put("seed", o.optimiser.seed);
        prov.put("epochs", (long) o.optimiser.epochs);
        prov.put("command", "model-tools/scripts/train-fashion.sh");
        Files.createDirectories(o.out);
        List<FashionEval.Row> rows = new ArrayList<>();
        for (boolean q : new boolean[] {false, true}) {
            String file = o.name + (q ? "-int8" : "-float") + ".wnm";
            Metadata.Builder m = net.metadata(o.name + (q ? "-int8" : "-float"))
                    .description("Fashion-MNIST classifier (" + o.spec + "), " + (q ? "int8 post-training quantized" : "float32")
                            + "; output: class probabilities");
            prov.forEach(m::provenance);
            m.metric("trainer_float_test_accuracy", floatTest);
            byte[] bytes = net.export(q ? ranges : null).builder().toBytes(m);
            Model model = Model.load(bytes);
            FashionEval.Row row = FashionEval.evaluate(file, model, test);
            if (!q) System.out.printf(Locale.ROOT, "runtime float vs trainer: max |Δp| %.2e over 200 test images%n", maxDifference(net, model, test, 200));
            // the artifact carries its own measured test accuracy
            m.metric("test_accuracy", row.accuracy());
            bytes = net.export(q ? ranges : null).builder().toBytes(m);
            Files.write(o.out.resolve(file), bytes);
            rows.add(new FashionEval.Row(file, row.accuracy(), row.parameters(), row.macs(), bytes.length, row.arenaBytes(), row.msPerImage()));
        }
        System.out.printf(Locale.ROOT, "trainer float test accuracy %.2f%%%n", 100 * floatTest);
        System.out.println(FashionEval.header());
        for (FashionEval.Row r : rows) System.out.println(FashionEval.line(r));
    }

    static void train(FashionNet net, Dataset train, Dataset test, ExecutorService pool, int threads, int epochs, int batch, float lr,
                      float wd, float smoothing, boolean shift, long seed) throws Exception {
        Adam adam = new Adam(net.params());
        Random rnd = new Random(seed);
        int n = train.size(), steps = (n + batch - 1) / batch, total = epochs * steps, warm = Math.min(200, total / 10);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        long t0 = System.nanoTime();
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double loss = 0;
            long correct = 0;
            int seen = 0, report = Math.max(1, steps / 5);
            for (int s = 0; s < steps; s++) {
                final int from = s * batch, to = Math.min(n, from + batch);
                final long[] seeds = new long[to - from];
                for (int i = 0; i < seeds.length; i++) seeds[i] = rnd.nextLong();
                double[] r = BatchWorkers.sum(pool, threads, from, to,
                        (worker, i) -> trainOne(net, train, order[i], worker, smoothing, shift ? seeds[i - from] : 0));
                loss += r[0];
                correct += (long) r[1];
                seen += to - from;
                float progress = (float) step / total;
                float rate = step < warm ? lr * (step + 1) / warm : lr * (0.02f + 0.98f * 0.5f * (1f + (float) Math.cos(Math.PI * progress)));
                adam.step(rate, 1f / (to - from), wd);
                step++;
                if ((s + 1) % report == 0 && s + 1 < steps) {
                    double el = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "  epoch %d/%d  %5.1f%%  loss %.4f  train acc %.2f%%  lr %.2e  %.0f s, ETA %.0f s%n", e + 1, epochs,
                            100.0 * (s + 1) / steps, loss / seen, 100.0 * correct / seen, rate, el, el / step * (total - step));
                }
            }
            double el = (System.nanoTime() - t0) / 1e9;
            double acc = accuracy(net, test, pool, threads);
            el = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  train acc %.2f%%  test acc %.2f%%  %.0f s, ETA %.0f s%n", e + 1, epochs,
                    loss / n, 100.0 * correct / n, 100 * acc, el, el / (e + 1) * (epochs - e - 1));
        }
    }

    /** One example: forward, loss, backward into the worker's buffers. Returns (loss, 1 if correct). */
    static double[] trainOne(FashionNet net, Dataset d, int row, int worker, float smoothing, long augmentSeed) {
        float[] img = new float[28 * 28];
        int off = d.offset(row);
        if (augmentSeed == 0) {
            System.arraycopy(d.x(), off, img, 0, img.length);
        } else {
            Random r = new Random(augmentSeed);
            int dy = r.nextInt(3) - 1, dx = r.nextInt(3) - 1;
            for (int y = 0; y < 28; y++) {
                int sy = y - dy;
                if (sy < 0 || sy >= 28) continue;
                for (int x = 0; x < 28; x++) {
                    int sx = x - dx;
                    if (sx >= 0 && sx < 28) img[y * 28 + x] = d.x()[off + sy * 28 + sx];
                }
            }
        }
        Tape t = new Tape(worker, true);
        Tensor logits = net.forward(t, new Tensor(28, 28, 1, img), null);
        double loss = ClassifierOps.softmaxCrossEntropy(logits, d.label(row), smoothing);
        int pred = ClassifierOps.argmax(logits.data);
        t.backward();
        return new double[] {loss, pred == d.label(row) ? 1 : 0};
    }

    /** Trainer (float) accuracy, examples split over the workers. */
    static double accuracy(FashionNet net, Dataset d, ExecutorService pool, int threads) throws Exception {
        List<Future<Integer>> fs = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            final int worker = w;
            fs.add(pool.submit(() -> {
                int c = 0;
                for (int i = worker; i < d.size(); i += threads) {
                    Tensor y = net.forward(Tape.inference(), new Tensor(28, 28, 1, d.row(i)), null);
                    if (ClassifierOps.argmax(y.data) == d.label(i)) c++;
                }
                return c;
            }));
        }
        int c = 0;
        for (Future<Integer> f : fs) c += f.get();
        return (double) c / d.size();
    }

    /** Activation ranges (min, max) by name over {@code n} training images picked from the seed. */
    static Map<String, float[]> calibrate(FashionNet net, Dataset train, int n, long seed) {
        Random r = new Random(seed + 1);
        Map<String, float[]> ranges = new LinkedHashMap<>();
        for (int k = 0; k < Math.min(n, train.size()); k++) {
            for (Map.Entry<String, Tensor> e : net.activations(train.row(r.nextInt(train.size()))).entrySet()) {
                float[] m = ranges.computeIfAbsent(e.getKey(), x -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
                for (float v : e.getValue().data) {
                    m[0] = Math.min(m[0], v);
                    m[1] = Math.max(m[1], v);
                }
            }
        }
        return ranges;
    }

    /** Largest difference between the runtime's probabilities and the trainer's softmax. */
    static double maxDifference(FashionNet net, Model m, Dataset test, int n) {
        var it = m.newInterpreter();
        float[] out = new float[net.classes];
        double worst = 0;
        for (int i = 0; i < Math.min(n, test.size()); i++) {
            it.predict(test.row(i), out);
            float[] p = ClassifierOps.softmax(net.forward(Tape.inference(), new Tensor(28, 28, 1, test.row(i)), null).data);
            for (int k = 0; k < p.length; k++) worst = Math.max(worst, Math.abs(p[k] - out[k]));
        }
        return worst;
    }



}
