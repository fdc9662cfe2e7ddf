package dev.winnow.tools.detect;

import dev.winnow.tools.nn.Adam;
import dev.winnow.tools.nn.BatchWorkers;
import dev.winnow.tools.nn.FilterRounding;
import dev.winnow.tools.nn.WeightAverage;
import dev.winnow.tools.detect.DetectorTrainer.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The student's optimisation loop, shared by training from scratch ({@link DetectorTrainer#train}) and
 * fine-tuning to a camera ({@link DetectorTrainer#fineTune}): each epoch shuffles the frames, splits every
 * mini-batch over worker threads (each with its own tape), and takes one Adam step per batch on a linear
 * warm-up then a cosine schedule down to 3% of the peak rate. One seeded {@link Random} draws the shuffles
 * and every example's augmentation seed in a fixed order, so one thread reproduces a run bit for bit.
 *
 * <p>Built with {@link #builder}; {@link Builder#build} refuses a configuration that cannot train.
 * Not thread safe: one {@link #run} at a time.
 */
final class TrainingLoop {
    /** Told after every epoch; may validate, print or stop the run by throwing. */
    interface EpochListener {
        /** {@code epoch} counts from 1; the losses are means per frame of that epoch (presence: 0 without the head). */
        void epochDone(int epoch, double scoreLoss, double boxLoss, double presenceLoss) throws Exception;
    }

    private final DetectorNet net;
    private final int epochs, batch, threads, warmupSteps;
    private final float lr, zoom, enlarge, emaDecay;
    private final long seed;
    private final DetectorTrainer.LossSettings loss;
    private final CopyPaste paste;
    private final FilterRounding rounding;
    private WeightAverage ema;

    private TrainingLoop(Builder b) {
        net = b.net;
        epochs = b.epochs;
        batch = b.batch;
        threads = b.threads;
        warmupSteps = b.warmupSteps;
        lr = b.lr;
        seed = b.seed;
        zoom = b.zoom;
        enlarge = b.enlarge;
        paste = b.paste;
        rounding = b.rounding;
        emaDecay = b.emaDecay;
        loss = new DetectorTrainer.LossSettings(b.presenceWeight, b.adaptiveSigma);
        trainable = b.trainable != null ? b.trainable : net.params();
    }

    /** The parameters Adam moves; the others keep their values (their gradients are computed and never applied). */
    private final List<dev.winnow.tools.nn.Param> trainable;

    static Builder builder(DetectorNet net) {
        return new Builder(net);
    }

    /**
     * Trains {@code net} on {@code train} for the configured epochs; with a moving average configured, the
     * average is kept beside the weights (see {@link #useAverage}). Nothing happens with no frames or no epochs.
     */
    void run(List<Sample> train, EpochListener afterEpoch) throws Exception {
        if (train.isEmpty() || epochs <= 0) return;
        Adam adam = new Adam(trainable);
        ema = emaDecay > 0 ? new WeightAverage(trainable, emaDecay) : null;
        Random rnd = new Random(seed);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            int total = epochs * ((train.size() + batch - 1) / batch), step = 0;
            for (int e = 0; e < epochs; e++) {
                List<Sample> order = new ArrayList<>(train);
                Collections.shuffle(order, rnd);
                double scoreLoss = 0, boxLoss = 0, presenceLoss = 0;
                for (int s = 0; s < order.size(); s += batch) {
                    List<Sample> b = order.subList(s, Math.min(order.size(), s + batch));
                    double[] l = batchLoss(pool, b, rnd);
                    scoreLoss += l[0];
                    boxLoss += l[1];
                    if (l.length > 2) presenceLoss += l[2];
                    adam.step(rate(step, total), 1f / b.size(), 1e-4f);
                    if (ema != null) ema.update();
                    step++;
                }
                if (afterEpoch != null) afterEpoch.epochDone(e + 1, scoreLoss / order.size(), boxLoss / order.size(), presenceLoss / order.size());
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Summed losses and gradients of one mini-batch; with filter rounding, the gradients are taken at the int8-rounded filters. */
    private double[] batchLoss(ExecutorService pool, List<Sample> b, Random rnd) throws Exception {
        if (rounding != null) rounding.round();
        try {
            long[] seeds = new long[b.size()];
            for (int i = 0; i < seeds.length; i++) seeds[i] = rnd.nextLong();
            return BatchWorkers.sum(pool, threads, 0, b.size(),
                    (worker, i) -> DetectorTrainer.trainOne(net, b.get(i), seeds[i], worker, zoom, enlarge, paste, loss));
        } finally {
            if (rounding != null) rounding.restore(); // the float weights back before the update, or on a failure
        }
    }

    /** Linear warm-up over the first steps, then a cosine from the peak down to 3% of it. */
    private float rate(int step, int total) {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        float progress = (float) step / total;
        return lr * (0.03f + 0.97f * 0.5f * (1f + (float) Math.cos(Math.PI * progress)));
    }

    /** Overwrites the weights with their moving average; false (weights untouched) when none was kept or nothing ran. */
    boolean useAverage() {
        if (ema == null) return false;
        ema.copyInto();
        return true;
    }

    /** The loop's settings; {@link #build} checks them together. */
    static final class Builder {
        private final DetectorNet net;
        private int epochs = -1, batch = 8, threads = 1, warmupSteps = 30;
        private float lr = Float.NaN, zoom, enlarge, emaDecay, presenceWeight = 1f;
        private List<dev.winnow.tools.nn.Param> trainable;
        private long seed = 7;
        private boolean adaptiveSigma;
        private CopyPaste paste;
        private FilterRounding rounding;

        private Builder(DetectorNet net) {
            this.net = net;
        }

        /** Passes over the frames; 0 trains nothing. Required. */
        Builder epochs(int epochs) { this.epochs = epochs; return this; }
        /** Frames per optimiser step (default 8). */
        Builder batch(int batch) { this.batch = batch; return this; }
        /** Worker threads per mini-batch (default 1, which reproduces a run bit for bit). */
        Builder threads(int threads) { this.threads = threads; return this; }
        /** Peak Adam learning rate. Required. */
        Builder learningRate(float lr) { this.lr = lr; return this; }
        /** Steps of linear warm-up before the cosine (default 30; fine-tuning trained weights needs fewer). */
        Builder warmupSteps(int steps) { this.warmupSteps = steps; return this; }
        /** Seed of the shuffles and of every example's augmentation (default 7). */
        Builder seed(long seed) { this.seed = seed; return this; }
        /** Zoom-out probability and largest zoom-in factor of the augmentation ({@link DetectorTrainer#augment}); 0 = off. */
        Builder zoom(float zoom, float enlarge) { this.zoom = zoom; this.enlarge = enlarge; return this; }
        /** Copy-paste augmentation and the synthetic and pasted scenes it draws; null = off. */
        Builder paste(CopyPaste paste) { this.paste = paste; return this; }
        /** Quantization-aware training: gradients at the int8-rounded filters; null = off. */
        Builder rounding(FilterRounding rounding) { this.rounding = rounding; return this; }
        /** Keep a moving average of the weights with this decay per step; 0 = off. */
        Builder movingAverage(float decay) { this.emaDecay = decay; return this; }

        /** Weight of the presence head's loss beside the anchor losses (default 1; ignored without the head). */
        Builder presenceWeight(float w) { this.presenceWeight = w; return this; }
        /** Large people's score targets with CenterNet's size-adaptive bump ({@link DetectionLoss#sigma}); default off. */
        Builder adaptiveSigma(boolean on) { this.adaptiveSigma = on; return this; }

        /** Only these parameters are trained (default: all of the network's). */
        Builder trainable(List<dev.winnow.tools.nn.Param> params) { this.trainable = List.copyOf(params); return this; }

        TrainingLoop build() {
            if (net == null) throw new IllegalArgumentException("training loop: no network");
            if (epochs < 0) throw new IllegalArgumentException("training loop: epochs must be set and >= 0, not " + epochs);
            if (batch < 1 || threads < 1) throw new IllegalArgumentException("training loop: batch and threads must be >= 1, not " + batch + " and " + threads);
            if (!(lr > 0)) throw new IllegalArgumentException("training loop: the learning rate must be set and > 0, not " + lr);
            if (warmupSteps < 1) throw new IllegalArgumentException("training loop: warm-up steps must be >= 1, not " + warmupSteps);
            if (!(zoom >= 0 && zoom <= 1)) throw new IllegalArgumentException("training loop: zoom must be in [0, 1], not " + zoom);
            if (enlarge != 0f && !(enlarge >= 1.2f)) throw new IllegalArgumentException("training loop: enlarge is 0 (off) or a largest factor of at least 1.2, not " + enlarge);
            if (emaDecay != 0f && !(emaDecay > 0f && emaDecay < 1f)) throw new IllegalArgumentException("training loop: the moving-average decay is 0 (off) or in (0, 1), not " + emaDecay);
            if (trainable != null && (trainable.isEmpty() || !net.params().containsAll(trainable)))
                throw new IllegalArgumentException("training loop: the trainable parameters must be a non-empty subset of the network's");
            if (!(presenceWeight >= 0f)) throw new IllegalArgumentException("training loop: the presence loss weight must be >= 0, not " + presenceWeight);
            return new TrainingLoop(this);
        }
    }
}
