package dev.winnow.runtime.testing;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A FastGRNN classifier with random weights as a one-node graph artifact ({@code fastgrnn}, sequence
 * [steps, channels] → fc scores), with the raw numbers kept for reference computations. Weights are
 * [out][in] as the runtime stores them; zeta and nu are raw (before the sigmoid), as in the artifact.
 */
public final class RandomFastGrnn {
    public final int channels, hidden, classes, steps, wRank, uRank;
    /** W [hidden][channels] (full rank) or W1 [wRank][channels] and W2 [hidden][wRank]; U likewise. */
    public final float[] w, w1, w2, u, u1, u2, bg, bh, mean, std, fc, fcBias;
    public final float zetaRaw, nuRaw;

    /** @param wRank 0 for a full-rank W, else its rank; {@code uRank} likewise */
    public RandomFastGrnn(long seed, int channels, int hidden, int classes, int steps, int wRank, int uRank) {
        Random r = new Random(seed);
        this.channels = channels;
        this.hidden = hidden;
        this.classes = classes;
        this.steps = steps;
        this.wRank = wRank;
        this.uRank = uRank;
        w = wRank == 0 ? Tensors.gaussian(r, hidden * channels, 0.4) : null;
        w1 = wRank == 0 ? null : Tensors.gaussian(r, wRank * channels, 0.5);
        w2 = wRank == 0 ? null : Tensors.gaussian(r, hidden * wRank, 0.5);
        u = uRank == 0 ? Tensors.gaussian(r, hidden * hidden, 0.3) : null;
        u1 = uRank == 0 ? null : Tensors.gaussian(r, uRank * hidden, 0.4);
        u2 = uRank == 0 ? null : Tensors.gaussian(r, hidden * uRank, 0.4);
        bg = Tensors.gaussian(r, hidden, 0.5);
        bh = Tensors.gaussian(r, hidden, 0.5);
        mean = Tensors.gaussian(r, channels, 2);
        std = Tensors.uniform(r, channels, 0.5, 3);
        fc = Tensors.gaussian(r, classes * hidden, 0.5);
        fcBias = Tensors.gaussian(r, classes, 0.2);
        zetaRaw = 1.0f;
        nuRaw = -4.0f;
    }

    /** The artifact; {@code name} is the model name, labels "c0".."c{classes-1}". */
    public byte[] artifact(String name) {
        return artifact(name, tile(mean), tile(std));
    }

    /** The artifact with the given per-step ([steps·channels]) mean and std. */
    public byte[] artifact(String name, float[] meanPerStep, float[] stdPerStep) {
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {steps, channels}).tensor("scores", new int[] {classes})
                .input("x").output("scores");
        Map<String, String> roles = new LinkedHashMap<>();
        if (w != null) g.weightFloat("W", new int[] {hidden, channels}, w);
        else g.weightFloat("W1", new int[] {wRank, channels}, w1).weightFloat("W2", new int[] {hidden, wRank}, w2);
        if (u != null) g.weightFloat("U", new int[] {hidden, hidden}, u);
        else g.weightFloat("U1", new int[] {uRank, hidden}, u1).weightFloat("U2", new int[] {hidden, uRank}, u2);
        for (String role : w != null ? List.of("W") : List.of("W1", "W2")) roles.put(role, role);
        for (String role : u != null ? List.of("U") : List.of("U1", "U2")) roles.put(role, role);
        g.weightFloat("bg", new int[] {hidden}, bg).weightFloat("bh", new int[] {hidden}, bh)
                .weightFloat("zeta", new int[] {1}, new float[] {zetaRaw}).weightFloat("nu", new int[] {1}, new float[] {nuRaw})
                .weightFloat("mean", new int[] {meanPerStep.length}, meanPerStep).weightFloat("std", new int[] {stdPerStep.length}, stdPerStep)
                .weightFloat("fc", new int[] {classes, hidden}, fc).weightFloat("fc_bias", new int[] {classes}, fcBias);
        for (String role : List.of("bg", "bh", "zeta", "nu", "mean", "std", "fc", "fc_bias")) roles.put(role, role);
        g.node("fastgrnn", "rnn", List.of("x"), List.of("scores"), roles, Map.of("hidden", (long) hidden));
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) labels.add("c" + c);
        return g.toBytes(Metadata.builder(name, "fastgrnn").labels(labels)
                .input("x", new int[] {steps, channels}, "float32", "sequence", null));
    }

    /** The per-channel values repeated for every step, as the EdgeML importer stores them. */
    public float[] tile(float[] perChannel) {
        float[] out = new float[steps * channels];
        for (int t = 0; t < steps; t++) System.arraycopy(perChannel, 0, out, t * channels, channels);
        return out;
    }

    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
