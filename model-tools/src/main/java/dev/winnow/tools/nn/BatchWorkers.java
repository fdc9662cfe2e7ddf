package dev.winnow.tools.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Data-parallel mini-batches: the examples of a batch dealt round-robin to worker threads (each with its
 * own tape and gradient buffers), and the two figures each example returns (a loss and a count, say)
 * summed. Worker w takes examples from + w, from + w + threads, …, adds its own in that order, and the
 * workers' sums are added in worker order: with the same thread count, the same bits every run.
 */
public final class BatchWorkers {
    private BatchWorkers() {}

    /** One example's work on a worker: two figures to sum. */
    @FunctionalInterface
    public interface Example {
        double[] run(int worker, int index) throws Exception;
    }

    /** Runs examples {@code from .. to - 1} on {@code threads} workers of {@code pool}; the sums of their figures (at least two). */
    public static double[] sum(ExecutorService pool, int threads, int from, int to, Example example) throws Exception {
        List<Future<double[]>> fs = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            final int worker = w;
            fs.add(pool.submit(() -> {
                double[] acc = new double[2];
                for (int i = from + worker; i < to; i += threads) acc = accumulate(acc, example.run(worker, i));
                return acc;
            }));
        }
        double[] total = new double[2];
        for (Future<double[]> f : fs) total = accumulate(total, f.get());
        return total;
    }

    /** acc + r element by element; an example may report more terms than two (a detector's presence loss), so acc grows to fit. */
    private static double[] accumulate(double[] acc, double[] r) {
        if (r.length > acc.length) acc = java.util.Arrays.copyOf(acc, r.length);
        for (int k = 0; k < r.length; k++) acc[k] += r[k];
        return acc;
    }
}
