package dev.winnow.runtime.stream;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.family.FamilyOps;
import dev.winnow.runtime.family.FastGrnnCell;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.kernel.AllocationProbe;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.ops.BuiltinOps;
import java.util.List;

/**
 * A FastGRNN classifier run one reading at a time: the {@code fastgrnn} node of an artifact
 * (sequence [T, D] → final state → fully connected scores) taken apart so that a caller can keep the
 * hidden state itself, per sensor, and advance it by one reading in O(1), instead of re-running T
 * steps over a window. Each step is {@link FastGrnnCell#step} on the normalised reading, so a stream
 * fed the T readings of a window from a zero state ends in the same bits as the graph node.
 *
 * <p>Immutable and shareable; the state and scratch are the caller's arrays, so stepping and scoring
 * allocate nothing. A thread that steps a stream many times takes a {@link #stepper()}: its cell runs
 * on vectors under {@code VectorGuard} (JDK 17 included), and the stepper is what watches it.
 */
public final class FastGrnnStream {
    private final String modelName;
    private final FastGrnnCell cell;
    private final float[] mean, invStd;   // per channel, null when the artifact has none
    private final float[] fc, fcBias;     // [classes][hidden], null fc: the scores are the state
    private final int classes;

    FastGrnnStream(String modelName, FastGrnnCell cell, float[] mean, float[] invStd, float[] fc, float[] fcBias) {
        this.modelName = modelName;
        this.cell = cell;
        this.mean = mean;
        this.invStd = invStd;
        this.fc = fc;
        this.fcBias = fcBias;
        this.classes = fc == null ? cell.hidden() : fcBias.length;
    }

    /**
     * The stream of a model whose graph is one forward {@code fastgrnn} node. The artifact goes
     * through the same loader as {@link Model#load}, so every weight is checked as there. Mean and
     * standard deviation are per step in the artifact ([T·D]); a stream needs them per channel, so
     * every step must carry the same D values (the EdgeML importer tiles them so).
     */
    public static FastGrnnStream of(Model model) throws ModelFormatException {
        Object nodes = model.metadata().graph().map(g -> g.get("nodes")).orElse(null);
        if (!(nodes instanceof List<?> l) || l.size() != 1) {
            throw new ModelFormatException("model '" + model.name() + "' is not a single fastgrnn node, so it cannot run one reading at a time");
        }
        FastGrnnStream[] built = new FastGrnnStream[1];
        Model.fromArtifact(model.artifact(), BuiltinOps.REGISTRY.with("fastgrnn", n -> {
            built[0] = from(model.name(), n);
            return FamilyOps.fastGrnn(n);
        }));
        if (built[0] == null) throw new ModelFormatException("model '" + model.name() + "' has no fastgrnn node");
        return built[0];
    }

    private static FastGrnnStream from(String name, NodeContext n) throws ModelFormatException {
        TensorSpec in = n.floatInput();
        if (in.rank() != 2) throw n.error("input must be a sequence [T, D]");
        if (!n.string("direction", "forward").equals("forward")) throw n.error("a backward FastGRNN cannot run one reading at a time");
        int steps = in.dim(0), d = in.dim(1);
        int hidden = n.integer("hidden", 0, 1, 4096);
        // the graph node's own cell: on vectors under VectorGuard (FastGrnnCell.guarded), probed by a stepper
        FastGrnnCell cell = FamilyOps.cell(n, "", d, hidden);
        float[] mean = n.hasWeight("mean") ? perChannel(n, "mean", steps, d) : null;
        float[] invStd = null;
        if (n.hasWeight("std")) {
            float[] std = perChannel(n, "std", steps, d);
            invStd = new float[d];
            // the graph node multiplies by 1/std computed in float; the same here keeps the bits equal
            for (int i = 0; i < d; i++) invStd[i] = 1f / std[i];
        }
        float[] fc = n.hasWeight("fc") ? n.weight("fc").toFloatArray() : null;
        float[] bias = null;
        if (fc != null) {
            int classes = fc.length / hidden;
            if (fc.length != classes * hidden) throw n.error("fc must be [classes, hidden]");
            bias = n.hasWeight("fc_bias") ? n.weight("fc_bias", classes).toFloatArray() : new float[classes];
        }
        return new FastGrnnStream(name, cell, mean, invStd, fc, bias);
    }


    private static float[] perChannel(NodeContext n, String role, int steps, int d) throws ModelFormatException {
        float[] all = n.weight(role, (long) steps * d).toFloatArray();
        for (int t = 1; t < steps; t++) {
            for (int c = 0; c < d; c++) {
                if (Float.floatToIntBits(all[t * d + c]) != Float.floatToIntBits(all[c])) {
                    throw n.error(role + " differs between step 0 and step " + t + " (channel " + c + "), so it cannot be applied per reading");
                }
            }
        }
        return java.util.Arrays.copyOf(all, d);
    }

    public String modelName() { return modelName; }
    /** Channels per reading (the cell's input width). */
    public int channels() { return cell.input(); }
    public int hidden() { return cell.hidden(); }
    public int classes() { return classes; }
    public FastGrnnCell cell() { return cell; }
    /** Floats of scratch {@link #step} needs. */
    public int scratchSize() { return cell.input() + cell.scratchSize(); }

    /** A stepper for one thread, with its scratch and the allocation probe of the guarded vector cell. */
    public FastGrnnStepper stepper() {
        return new FastGrnnStepper(this, new AllocationProbe("steps of FastGRNN model '" + modelName + "'", FastGrnnStepper.STEP_LIMIT_BYTES));
    }

    /**
     * Advances the state at {@code h[hOff..]} by one reading {@code x[xOff..xOff+channels)}: the
     * reading is normalised into the scratch, then one cell step runs.
     */
    public void step(float[] x, int xOff, float[] h, int hOff, float[] s, int sOff) {
        int d = cell.input();
        for (int i = 0; i < d; i++) {
            float v = x[xOff + i];
            if (mean != null) v -= mean[i];
            if (invStd != null) v *= invStd[i];
            s[sOff + i] = v;
        }
        cell.step(s, sOff, h, hOff, s, sOff + d);
    }

    /** Class scores of the state {@code h[hOff..]} into {@code out[outOff..outOff+classes)}. */
    public void scores(float[] h, int hOff, float[] out, int outOff) {
        int hidden = cell.hidden();
        if (fc == null) {
            System.arraycopy(h, hOff, out, outOff, hidden);
            return;
        }
        for (int c = 0; c < classes; c++) {
            float acc = fcBias[c];
            for (int j = 0; j < hidden; j++) acc += fc[c * hidden + j] * h[hOff + j];
            out[outOff + c] = acc;
        }
    }
}
