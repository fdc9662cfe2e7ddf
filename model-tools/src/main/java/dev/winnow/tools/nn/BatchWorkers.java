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

    /** Runs examples {@code from .. to - 1} on {@code threads} workers of {@code pool}; the sums of their two figures. */
    public static double[] sum(ExecutorService pool, int threads, int from, int to, Example example) throws Exception {
        List<Future<double[]>> fs = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            final int worker = w;
            fs.add(pool.submit(() -> {
                double[] acc = new double[2];
                for (int i = from + worker; i < to; i += threads) {
                    double[] r = example.run(worker, i);
                    acc[0] += r[0];
                    acc[1] += r[1];
                }
                return acc;
            }));
        }
        double[] total = new double[2];
        for (Future<double[]> f : fs) {
            double[] r = f.get();
            total[0] += r[0];
            total[1] += r[1];
        }
        return total;
    }
}
