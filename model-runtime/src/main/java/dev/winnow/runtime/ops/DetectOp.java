package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.Detection;
import dev.winnow.runtime.kernel.PresenceGate;
import java.util.List;

/**
 * The {@code detect} node: scores [H,W,A] and boxes [H,W,4A] in; detections [max, 5] and a count [1]
 * out, and optionally the best anchor's score [1] whether or not it passes the threshold. A cascade
 * needs that third output: a frame whose best score sits just under the threshold is the student's
 * least sure "nobody", which is exactly what a teacher band should see. Float inputs (dequantize an
 * int8 head first).
 *
 * <p>An optional third input is a frame-level presence logit [1] (a presence head that sees the whole
 * frame), combined with the anchors by {@link PresenceGate} with attributes {@code presence_threshold}
 * (the head alone finds people: when no anchor passes, the best anchor's box is the one detection) and
 * {@code presence_veto} (under it, the head drops every detection). {@code best} is then the gate's
 * combined score, so that best &gt;= score_threshold still holds exactly when count &gt; 0.
 */
final class DetectOp extends Op {
    private final Detection det;
    private final PresenceGate gate;

    private DetectOp(NodeContext n, TensorSpec[] ins, TensorSpec[] outs, Detection det, PresenceGate gate) {
        super(n.name(), ins, outs);
        this.det = det;
        this.gate = gate;
    }

    static Op create(NodeContext n) throws ModelFormatException {
        TensorSpec[] ins = n.inputsAtLeast(2);
        if (ins.length > 3) throw n.error("expects 2 or 3 inputs (scores, boxes[, presence]), has " + ins.length);
        TensorSpec[] outs = n.outputsBetween(2, 3);
        for (TensorSpec t : ins) n.expectType(t, ElementType.FLOAT32);
        for (TensorSpec t : outs) n.expectType(t, ElementType.FLOAT32);
        TensorSpec scores = ins[0], boxes = ins[1];
        if (scores.rank() != 3 || boxes.rank() != 3) throw n.error("scores and boxes must be [H, W, A] and [H, W, 4A]");
        int a = scores.dim(2);
        if (boxes.dim(0) != scores.dim(0) || boxes.dim(1) != scores.dim(1) || boxes.dim(2) != 4 * a) throw n.error("boxes must be [H, W, 4A]");
        int[] input = n.pair("input_size", 0, 1, 1 << 16);
        int max = n.integer("max_detections", 20, 1, 1000);
        float[] anchors = anchors(n, a);
        n.expectShape(outs[0], max, 5);
        n.expectShape(outs[1], 1);
        if (outs.length == 3) n.expectShape(outs[2], 1);
        float center = n.number("center_distance", 0f);
        if (center < 0f) throw n.error("center_distance must be >= 0 (0: suppress by IoU)");
        float threshold = n.number("score_threshold", 0.5f);
        Detection det = new Detection(scores.dim(0), scores.dim(1), anchors, input[0], input[1],
                threshold, n.number("iou_threshold", 0.45f), max, center);
        PresenceGate gate = null;
        if (ins.length == 3) {
            if (ins[2].elementCount() != 1) throw n.error("the presence input must hold one logit, has " + ins[2].elementCount());
            float present = n.number("presence_threshold", 0.5f), veto = n.number("presence_veto", 0f);
            try {
                gate = new PresenceGate(threshold, present, veto);
            } catch (IllegalArgumentException e) {
                throw n.error(e.getMessage());
            }
        } else if (n.raw("presence_threshold") != null || n.raw("presence_veto") != null) {
            throw n.error("presence_threshold and presence_veto need a third input, the presence logit");
        }
        return new DetectOp(n, ins, outs, det, gate);
    }

    private static float[] anchors(NodeContext n, int a) throws ModelFormatException {
        Object v = n.raw("anchors");
        if (!(v instanceof List) || ((List<?>) v).size() != 2 * a) throw n.error("anchors must list " + a + " (w, h) pairs, flattened");
        float[] out = new float[2 * a];
        for (int i = 0; i < out.length; i++) {
            Object e = ((List<?>) v).get(i);
            if (!(e instanceof Number) || !(((Number) e).doubleValue() > 0)) throw n.error("anchor sizes must be positive numbers");
            out[i] = ((Number) e).floatValue();
        }
        return out;
    }

    @Override public String type() { return "detect"; }
    @Override public long macs() { return 10L * det.candidates(); }
    @Override public long parameterCount() { return 0; }
    @Override public int scratchFloats() { return det.scratchSize(); }

    @Override
    public void invoke(Arena a) {
        int count = det.run(a.f, in[0], a.f, in[1], a.f, out[0], a.f, scratchF);
        if (gate == null) {
            a.f[out[1]] = count;
            if (out.length == 3) a.f[out[2]] = bestScore(a.f, in[0], det.candidates());
            return;
        }
        float anchor = bestScore(a.f, in[0], det.candidates());
        float head = dev.winnow.runtime.kernel.base.FastMath.sigmoid(a.f[in[2]]);
        if (gate.vetoed(head)) {
            java.util.Arrays.fill(a.f, out[0], out[0] + 5 * det.maxDetections(), 0f);
            count = 0;
        } else if (count == 0 && gate.headPresent(head)) {
            det.writeBest(a.f, in[0], a.f, in[1], a.f, out[0]);
            count = 1;
        }
        a.f[out[1]] = count;
        if (out.length == 3) a.f[out[2]] = gate.score(anchor, head);
    }

    /**
     * The sigmoid of the largest score logit: the logistic is monotone, so one sigmoid for the whole grid,
     * and the same one the detections use, so that best >= threshold exactly when count > 0.
     */
    static float bestScore(float[] logits, int off, int n) {
        float best = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) best = Math.max(best, logits[off + k]);
        return dev.winnow.runtime.kernel.base.FastMath.sigmoid(best);
    }
}
