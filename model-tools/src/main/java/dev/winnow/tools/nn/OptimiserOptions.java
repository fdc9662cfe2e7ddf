package dev.winnow.tools.nn;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every trainer takes: epochs, mini-batch size, peak learning rate, seed and threads.
 * A picocli mixin; each command sets its own defaults when it declares it
 * ({@code OptimiserOptions.defaults().epochs(8).batch(64)…}), and they show in its --help.
 */
public final class OptimiserOptions {
    @Option(names = "--epochs", description = "passes over the training data (default: ${DEFAULT-VALUE})")
    public int epochs = 10;

    @Option(names = "--batch", description = "examples per optimiser step (default: ${DEFAULT-VALUE})")
    public int batch = 64;

    @Option(names = "--lr", description = "peak learning rate of the schedule (default: ${DEFAULT-VALUE})")
    public double lr = 0.001;

    @Option(names = "--seed", description = "seed of the initial weights, shuffles and augmentations (default: ${DEFAULT-VALUE})")
    public long seed = 1;

    @Option(names = "--threads", description = "training threads (default: ${DEFAULT-VALUE})")
    public int threads = 1;

    private OptimiserOptions() {}

    /** 10 epochs, batch 64, learning rate 0.001, seed 1, one thread: set a command's own with the methods below. */
    public static OptimiserOptions defaults() {
        return new OptimiserOptions();
    }

    public OptimiserOptions epochs(int epochs) { this.epochs = epochs; return this; }
    public OptimiserOptions batch(int batch) { this.batch = batch; return this; }
    public OptimiserOptions lr(double lr) { this.lr = lr; return this; }
    public OptimiserOptions seed(long seed) { this.seed = seed; return this; }
    public OptimiserOptions threads(int threads) { this.threads = threads; return this; }

    /** Refuses values no trainer can use, as a usage error of {@code cl}'s command. */
    public void check(CommandLine cl) {
        if (epochs < 0) throw new CommandLine.ParameterException(cl, "--epochs must be >= 0, not " + epochs);
        if (batch < 1) throw new CommandLine.ParameterException(cl, "--batch must be >= 1, not " + batch);
        if (!(lr > 0)) throw new CommandLine.ParameterException(cl, "--lr must be > 0, not " + lr);
        if (threads < 1) throw new CommandLine.ParameterException(cl, "--threads must be >= 1, not " + threads);
    }
}
