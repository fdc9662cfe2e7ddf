package dev.winnow.tools.train;

import dev.winnow.tools.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Mini-batch training with Adam (the models use StrictMath for exp and tanh, so runs repeat bit for bit on any JVM). Each batch is cut into a fixed number of chunks whose gradients
 * are computed in parallel into separate buffers and summed in chunk order, so a run is
 * reproducible from its seed whatever the number of threads. Prints one progress line per epoch.
 */
public final class Trainer {
    /** Chunks per batch: fixed, so the summation order does not depend on the thread count. */
    static final int CHUNKS = 4;

    public record Options(int epochs, int batchSize, double learningRate, long seed, int threads,
                          Dataset validation, Consumer<String> progress) {
        public Options {
            if (epochs < 0 || batchSize < 1 || !(learningRate > 0) || threads < 1) throw new IllegalArgumentException("bad training options");
        }

        public static Options defaults(long seed) {
            return new Options(20, 64, 0.01, seed, Runtime.getRuntime().availableProcessors(), null, s -> {});
        }

        public Options epochs(int e) { return new Options(e, batchSize, learningRate, seed, threads, validation, progress); }
        public Options batchSize(int b) { return new Options(epochs, b, learningRate, seed, threads, validation, progress); }
        public Options learningRate(double lr) { return new Options(epochs, batchSize, lr, seed, threads, validation, progress); }
        public Options threads(int t) { return new Options(epochs, batchSize, learningRate, seed, t, validation, progress); }
        public Options validation(Dataset v) { return new Options(epochs, batchSize, learningRate, seed, threads, v, progress); }
        public Options progress(Consumer<String> p) { return new Options(epochs, batchSize, learningRate, seed, threads, validation, p); }
    }

    /** One line per epoch: mean training loss, training accuracy (training-time forward), validation accuracy (deployed forward). */
    public record Epoch(int epoch, double loss, double trainAccuracy, double validationAccuracy, double seconds) {}

    public record History(List<Epoch> epochs, double seconds) {
        public Epoch last() { return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1); }
    }

    private Trainer() {}

    public static History train(TrainableModel model, Dataset data, Options o) {
        if (data.features() != model.features()) throw new IllegalArgumentException("data has " + data.features() + " features, the model " + model.features());
        if (data.classes() > model.classes()) throw new IllegalArgumentException("data has " + data.classes() + " classes, the model " + model.classes());
        double[][] params = model.params();
        double[] l2 = model.l2();
        Adam adam = new Adam(params, o.learningRate());
        double[][][] grads = new double[CHUNKS][][];
        Object[] scratch = new Object[CHUNKS];
        for (int c = 0; c < CHUNKS; c++) {
            grads[c] = zerosLike(params);
            scratch[c] = model.newScratch();
        }
        double[][] total = zerosLike(params);
        Random rnd = new Random(o.seed());
        int n = data.size();
        int stepsPerEpoch = (n + o.batchSize() - 1) / o.batchSize();
        long totalSteps = (long) stepsPerEpoch * o.epochs(), step = 0;
        ExecutorService pool = newPool(o.threads());
        List<Epoch> history = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int e = 0; e < o.epochs(); e++) {
                model.beforeEpoch(e, o.epochs());
                int[] order = Dataset.permutation(n, rnd);
                double lossSum = 0;
                int correctSum = 0;
                for (int b0 = 0; b0 < n; b0 += o.batchSize()) {
                    int b1 = Math.min(n, b0 + o.batchSize()), bs = b1 - b0;
                    double[] losses = new double[CHUNKS];
                    int[][] correct = new int[CHUNKS][1];
                    List<Callable<Void>> tasks = new ArrayList<>(CHUNKS);
                    for (int c = 0; c < CHUNKS; c++) {
                        final int c0 = b0 + (int) ((long) bs * c / CHUNKS), c1 = b0 + (int) ((long) bs * (c + 1) / CHUNKS), ci = c;
                        tasks.add(() -> {
                            double[][] g = grads[ci];
                            for (double[] gb : g) java.util.Arrays.fill(gb, 0);
                            double l = 0;
                            for (int i = c0; i < c1; i++) {
                                int row = order[i];
                                l += model.lossAndGradient(data.x(), data.offset(row), data.label(row), g, scratch[ci], correct[ci]);
                            }
                            losses[ci] = l;
                            return null;
                        });
                    }
                    run(pool, tasks);
                    averageGradients(grads, bs, params, l2, total);
                    for (int c = 0; c < CHUNKS; c++) {
                        lossSum += losses[c];
                        correctSum += correct[c][0];
                    }
                    // cosine decay of the learning rate to 5% of its start over the run
                    double lrScale = 0.05 + 0.95 * 0.5 * (1 + StrictMath.cos(Math.PI * step / Math.max(1, totalSteps)));
                    adam.step(params, total, lrScale);
                    model.afterStep(++step, totalSteps);
                }
                double val = o.validation() == null ? Double.NaN : accuracy(model, o.validation(), pool);
                Epoch ep = new Epoch(e + 1, lossSum / n, (double) correctSum / n, val, (System.nanoTime() - start) / 1e9);
                history.add(ep);
                o.progress().accept(progressLine(ep, o.epochs(), model.status()));
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        return new History(history, (System.nanoTime() - start) / 1e9);
    }

    /** Daemon threads for the gradient chunks, or null to run them on the caller's thread. */
    private static ExecutorService newPool(int threads) {
        return threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "winnow-train");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** total = the chunks' gradient sums averaged over the batch, plus the L2 term of each block. */
    private static void averageGradients(double[][][] grads, int batchSize, double[][] params, double[] l2, double[][] total) {
        for (int bl = 0; bl < params.length; bl++) {
            double[] t = total[bl], p = params[bl];
            for (int i = 0; i < t.length; i++) {
                double s = 0;
                for (int c = 0; c < CHUNKS; c++) s += grads[c][bl][i];
                t[i] = s / batchSize + l2[bl] * p[i];
            }
        }
    }

    /** The line printed after each epoch: loss, accuracies, the model's own status, time and ETA. */
    private static String progressLine(Epoch ep, int epochs, String status) {
        double eta = ep.seconds() / ep.epoch() * (epochs - ep.epoch());
        return String.format(Locale.ROOT, "epoch %3d/%d  loss %.4f  train acc %6.2f%%%s  %s  %6.1f s  ETA %s",
                ep.epoch(), epochs, ep.loss(), 100 * ep.trainAccuracy(),
                Double.isNaN(ep.validationAccuracy()) ? "" : String.format(Locale.ROOT, "  val acc %6.2f%%", 100 * ep.validationAccuracy()),
                status, ep.seconds(), duration(eta));
    }

    static String duration(double s) {
        long t = Math.round(s);
        return t >= 60 ? (t / 60) + "m" + String.format(Locale.ROOT, "%02d", t % 60) + "s" : t + "s";
    }

    private static void run(ExecutorService pool, List<Callable<Void>> tasks) {
        try {
            if (pool == null) {
                for (Callable<Void> t : tasks) t.call();
                return;
            }
            for (Future<Void> f : pool.invokeAll(tasks)) f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deployed-forward accuracy, rows split over the pool (or {@code threads} fresh threads). */
    public static double accuracy(TrainableModel model, Dataset d, int threads) {
        if (threads <= 1) return model.accuracy(d);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            return accuracy(model, d, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    static double accuracy(TrainableModel model, Dataset d, ExecutorService pool) {
        if (pool == null || d.size() < 256) return model.accuracy(d);
        int parts = CHUNKS;
        int[] ok = new int[parts];
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            final int from = (int) ((long) d.size() * p / parts), to = (int) ((long) d.size() * (p + 1) / parts), pi = p;
            tasks.add(() -> {
                Object s = model.newScratch();
                double[] buf = new double[model.classes()];
                for (int i = from; i < to; i++) if (model.predict(d.x(), d.offset(i), s, buf) == d.label(i)) ok[pi]++;
                return null;
            });
        }
        run(pool, tasks);
        int sum = 0;
        for (int v : ok) sum += v;
        return (double) sum / d.size();
    }

    static double[][] zerosLike(double[][] p) {
        double[][] z = new double[p.length][];
        for (int i = 0; i < p.length; i++) z[i] = new double[p[i].length];
        return z;
    }
}
