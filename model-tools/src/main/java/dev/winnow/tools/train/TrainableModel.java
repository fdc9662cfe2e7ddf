package dev.winnow.tools.train;

import dev.winnow.tools.data.Dataset;

/**
 * A model the {@link Trainer} can fit: parameter blocks in double precision, a per-sample loss with
 * its gradient, and the hard inference that the runtime reproduces. Gradients of a sample are
 * accumulated into caller-owned buffers, so the trainer can split a batch over threads and sum the
 * parts in a fixed order (the result does not depend on the thread count).
 */
public interface TrainableModel {
    /** Parameter blocks; the trainer updates them in place. */
    double[][] params();

    String[] paramNames();

    /** L2 weight per block (loss += λ/2 ‖θ‖²). */
    double[] l2();

    int features();

    int classes();

    /** Per-thread scratch for {@link #lossAndGradient} and {@link #scores}. */
    Object newScratch();

    /**
     * Adds the gradient of one sample's loss to {@code grads} (null: loss only) and returns the loss.
     * {@code correct[0]} is incremented when the training-time forward pass classifies it correctly.
     */
    double lossAndGradient(float[] x, int off, int label, double[][] grads, Object scratch, int[] correct);

    /** Class scores as deployed (Bonsai: the hard path), in double precision. */
    void scores(float[] x, int off, double[] out, Object scratch);

    /** Called before each epoch (annealing). */
    default void beforeEpoch(int epoch, int epochs) {}

    /** Called after each optimizer step (hard thresholding, fixed supports). */
    default void afterStep(long step, long totalSteps) {}

    /** Fixes a block's support to its current non-zeros (pruned weights stay zero while fine-tuning). */
    void fixSupport(int block);

    /** Stops schedules (IHT, annealing) so further training only fine-tunes. */
    void freezeSchedule();

    /** A deep copy. */
    TrainableModel copy();

    /**
     * Quantization-aware training: from now on the forward pass sees every named tensor as its
     * encoding will store it (gradients pass straight through to the float weights); null or an
     * empty map turns it off. Tensor names as in {@code Compressor.matrices}.
     */
    void setFakeQuant(java.util.Map<String, dev.winnow.tools.model.TensorEncoding> encodings);

    /** Distillation: train on a teacher's softened outputs mixed with the labels (null: the model's own loss). */
    void setSoftTargets(SoftTargets targets);

    /** A short status for progress lines, e.g. σ_I and non-zeros. */
    default String status() { return ""; }

    /** Convenience: argmax of {@link #scores}. */
    default int predict(float[] x, int off, Object scratch, double[] buf) {
        scores(x, off, buf, scratch);
        int best = 0;
        for (int l = 1; l < buf.length; l++) if (buf[l] > buf[best]) best = l;
        return best;
    }

    /** Accuracy of the deployed forward pass on a data set (single thread). */
    default double accuracy(Dataset d) {
        Object s = newScratch();
        double[] buf = new double[classes()];
        int ok = 0;
        for (int i = 0; i < d.size(); i++) if (predict(d.x(), d.offset(i), s, buf) == d.label(i)) ok++;
        return d.size() == 0 ? 0 : (double) ok / d.size();
    }
}
