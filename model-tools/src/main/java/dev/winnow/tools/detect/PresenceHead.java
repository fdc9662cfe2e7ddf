package dev.winnow.tools.detect;

import dev.winnow.tools.nn.ClassifierOps;
import dev.winnow.tools.nn.Ops;
import dev.winnow.tools.nn.Param;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.List;
import java.util.Random;

/**
 * The frame-level presence head: the average and the maximum of the last feature map over the whole
 * grid, side by side (2F values), a dense layer to {@code hidden} units with ReLU6, and a dense layer to
 * one logit, "is anyone in this frame". Each anchor of the score head sees about 64 pixels, so a person
 * 150 pixels tall or a dog filling the frame is judged from a fragment; this head reads the whole frame.
 * The runtime graph is the same: {@code avg_pool2d} and {@code max_pool2d} over the full grid (int8 pools
 * keep their input's grid), {@code concat}, two {@code dense} nodes.
 */
final class PresenceHead {
    final Param fc1W, fc1B, fc2W, fc2B;
    final int features, hidden;

    PresenceHead(int features, int hidden, int workers, Random r) {
        if (hidden < 1) throw new IllegalArgumentException("presence head: hidden units must be >= 1, not " + hidden);
        this.features = features;
        this.hidden = hidden;
        fc1W = new Param("presence.fc1.weights", new int[] {hidden, 2 * features}, workers).init(r, 2 * features, Math.sqrt(2));
        fc1B = new Param("presence.fc1.bias", new int[] {hidden}, workers);
        fc2W = new Param("presence.fc2.weights", new int[] {1, hidden}, workers).init(r, hidden, 0.1);
        fc2B = new Param("presence.fc2.bias", new int[] {1}, workers);
    }

    List<Param> params() {
        return List.of(fc1W, fc1B, fc2W, fc2B);
    }

    /** [1, 1, 2F]: per channel the mean over the grid, then per channel the maximum. */
    static Tensor pool(Tape t, Tensor x) {
        return ClassifierOps.globalAvgMaxPool(t, x);
    }

    /** The hidden layer (ReLU6) from the pooled features. */
    Tensor hidden(Tape t, Tensor pooled) {
        return Ops.relu6(t, ClassifierOps.dense(t, pooled, fc1W, fc1B));
    }

    /** The presence logit [1, 1, 1] from the hidden layer. */
    Tensor logit(Tape t, Tensor hidden) {
        return ClassifierOps.dense(t, hidden, fc2W, fc2B);
    }

    /**
     * Binary cross-entropy of the logit against "the teacher boxed someone", times {@code weight}; adds its
     * gradient to the logit's and returns the loss.
     */
    static double loss(Tensor logit, boolean present, float weight) {
        float z = logit.data[0];
        float p = DetectionLoss.sigmoid(z);
        // log(1 + e^-|z|) form: no overflow for large logits
        double softplus = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        double l = softplus - (present ? z : 0);
        logit.grad()[0] += weight * (p - (present ? 1f : 0f));
        return weight * l;
    }
}
