package dev.winnow.tools.train;

import dev.winnow.tools.model.TensorEncoding;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sparse families' trainable models (Bonsai, ProtoNN) share besides their maths: the fixed
 * supports of their parameter blocks and whether the IHT schedule still runs, the encodings their
 * forward pass fakes (quantization-aware training) and the teacher's soft targets (distillation).
 */
abstract sealed class SparseModel implements TrainableModel permits BonsaiModel, ProtoNnModel {
    /** Fixed supports per parameter block (null: free); set by the last phase of IHT and by pruning. */
    final boolean[][] masks = new boolean[4][];
    /** Whether the schedules run: IHT in {@link #afterStep}, Bonsai's σ_I annealing (off when fine-tuning a pruned model). */
    boolean ihtSchedule = true;
    /** The encodings the forward pass sees the named tensors in (null: the float parameters themselves). */
    Map<String, TensorEncoding> fakeQuant;
    SoftTargets soft;

    @Override
    public final void fixSupport(int block) {
        double[] p = params()[block];
        boolean[] m = new boolean[p.length];
        for (int i = 0; i < p.length; i++) m[i] = p[i] != 0;
        masks[block] = m;
    }

    @Override
    public final void freezeSchedule() {
        ihtSchedule = false;
    }

    @Override
    public final void setSoftTargets(SoftTargets t) {
        this.soft = t;
    }

    /**
     * Quantization-aware training on or off: the forward pass reads copies of the parameters kept
     * fake-quantized after every step, or the parameters themselves.
     */
    @Override
    public final void setFakeQuant(Map<String, TensorEncoding> enc) {
        boolean on = enc != null && !enc.isEmpty();
        if (on) beforeFakeQuant();
        fakeQuant = on ? new LinkedHashMap<>(enc) : null;
        forwardFrom(on);
        refreshFakeQuant();
    }

    /** What a model changes in its own parameters before they are first fake-quantized (nothing by default). */
    void beforeFakeQuant() {}

    /** Points the forward pass at fresh copies of the parameters (to hold their fake-quantized values) or at the parameters themselves. */
    abstract void forwardFrom(boolean copies);

    /** Recomputes the fake-quantized copies from the parameters under {@link #fakeQuant}; with none, the state that goes with none. */
    abstract void refreshFakeQuant();

    /** Gives a copy this model's supports, schedule and soft targets (its fake quantization is set last, on its own weights). */
    final void copyTrainingStateTo(SparseModel c) {
        for (int b = 0; b < masks.length; b++) c.masks[b] = masks[b] == null ? null : masks[b].clone();
        c.ihtSchedule = ihtSchedule;
        c.soft = soft;
    }
}
