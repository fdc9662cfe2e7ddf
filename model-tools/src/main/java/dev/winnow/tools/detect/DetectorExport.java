package dev.winnow.tools.detect;

import dev.winnow.tools.nn.GraphExport;
import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.tools.nn.Param;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the trained student as a runtime graph: float32, or int8 by post-training quantization in
 * the TensorFlow Lite scheme (weights symmetric per output channel, activations asymmetric per tensor
 * from calibration ranges, int32 biases; RNNPool's cells run in Q15 inside the runtime). Outputs:
 * {@code detections} [max, 5] (x, y, w, h, score; best first), {@code count} [1], both from the
 * {@code detect} node (sigmoid score ≥ threshold, greedy NMS), and {@code best} [1], the highest
 * anchor score whether or not it passes.
 */
public final class DetectorExport {
    public static final int MAX_DETECTIONS = 24;
    /** Graph outputs: detections, count, best; then the extra outputs asked for, from this index on. */
    public static final int FIRST_EXTRA_OUTPUT = 3;

    /** Thresholds the exported detect node applies. */
    /** Score threshold and suppression: by IoU, or by normalised centre distance when {@code centerDistance} &gt; 0. */
    public record Decode(float scoreThreshold, float iouThreshold, float centerDistance) {
        public Decode(float scoreThreshold, float iouThreshold) {
            this(scoreThreshold, iouThreshold, 0f);
        }
    }

    private DetectorExport() {}

    /**
     * Activation names in the order {@link DetectorNet#forward} lists them: stem, down, pool, then per
     * block expand, dw, project, out; then score, box.
     */
    static List<String> activationNames(DetectorNet net) {
        List<String> n = new ArrayList<>(List.of("stem", "down", "pool"));
        for (int b = 0; b < net.blocks.size(); b++) {
            n.add("mb" + b + ".expand");
            n.add("mb" + b + ".dw");
            n.add("mb" + b + ".project");
            n.add("mb" + b + ".out");
        }
        n.add("score");
        n.add("box");
        return n;
    }

    /**
     * Raises the lower end of the score logits' calibrated range to {@code floor}, in place; returns the
     * calibrated lower end. The int8 score tensor then spends its 256 steps on the logits that can
     * cross a threshold: those below the floor clamp to it and decode the same (no detection).
     */
    static float floorScoreRange(DetectorNet net, float[][] ranges, float floor) {
        float[] r = ranges[activationNames(net).indexOf("score")];
        if (!(floor < r[1])) throw new IllegalArgumentException("score floor " + floor + " is not below the calibrated maximum " + r[1]);
        float before = r[0];
        r[0] = Math.max(r[0], floor);
        return before;
    }

    /** Float32 graph when {@code ranges} is null; int8 with those activation ranges (min, max per activation) otherwise. */
    public static byte[] export(DetectorNet net, Decode decode, float[][] ranges, Map<String, Object> provenance, Map<String, Double> metrics) {
        return export(net, decode, ranges, provenance, metrics, false);
    }

    /** With {@code scoreOutput}, the float score logits [gh, gw, A] follow detections, count and best (for tests and tools). */
    public static byte[] export(DetectorNet net, Decode decode, float[][] ranges, Map<String, Object> provenance, Map<String, Double> metrics,
                                boolean scoreOutput) {
        return export(net, decode, ranges, provenance, metrics, scoreOutput, false);
    }

    /** With {@code boxOutput} too, the float box offsets [gh, gw, 4A] follow the scores (the trainer decodes the int8 head itself). */
    public static byte[] export(DetectorNet net, Decode decode, float[][] ranges, Map<String, Object> provenance, Map<String, Double> metrics,
                                boolean scoreOutput, boolean boxOutput) {
        List<String> extra = new ArrayList<>();
        if (scoreOutput || boxOutput) extra.add(ranges != null ? "score_f" : "score");
        if (boxOutput) extra.add(ranges != null ? "box_f" : "box");
        return export(net, decode, ranges, Map.of(), provenance, metrics, extra);
    }

    /**
     * The general form. {@code biasCorrection}: per layer name, amounts added to that layer's float
     * bias before it is quantized (int8 only; {@link BiasCorrection} estimates them). {@code extraOutputs}:
     * tensors (activation names, or score_f/box_f) listed as graph outputs after detections, count and best.
     */
    public static byte[] export(DetectorNet net, Decode decode, float[][] ranges, Map<String, float[]> biasCorrection,
                                Map<String, Object> provenance, Map<String, Double> metrics, List<String> extraOutputs) {
        boolean q = ranges != null;
        Map<String, float[]> bc = q ? biasCorrection : Map.of();
        DetectorNet.Config c = net.cfg;
        int gh = c.gridH(), gw = c.gridW(), f = c.features();
        List<String> names = activationNames(net);
        int[][] shapes = new int[names.size()][];
        int k = 0;
        shapes[k++] = new int[] {DetectorNet.IN_H / 2, DetectorNet.IN_W / 2, c.c1()};
        shapes[k++] = new int[] {DetectorNet.IN_H / 4, DetectorNet.IN_W / 4, c.c2()};
        shapes[k++] = new int[] {gh, gw, f};
        for (int b = 0; b < net.blocks.size(); b++) {
            shapes[k++] = new int[] {gh, gw, f * c.expansion()};
            shapes[k++] = new int[] {gh, gw, f * c.expansion()};
            shapes[k++] = new int[] {gh, gw, f};
            shapes[k++] = new int[] {gh, gw, f};
        }
        shapes[k++] = new int[] {gh, gw, c.anchors()};
        shapes[k] = new int[] {gh, gw, 4 * c.anchors()};

        GraphBuilder g = new GraphBuilder();
        QuantParams inQ = new QuantParams(1f / 255f, -128);
        Map<String, QuantParams> qp = new LinkedHashMap<>();
        if (q) {
            g.tensorInt8("image", new int[] {DetectorNet.IN_H, DetectorNet.IN_W, 1}, inQ);
            qp.put("image", inQ);
            for (int i = 0; i < names.size(); i++) {
                QuantParams p = QuantParams.forRange(ranges[i][0], ranges[i][1]);
                qp.put(names.get(i), p);
                g.tensorInt8(names.get(i), shapes[i], p);
            }
            g.tensor("score_f", shapes[names.size() - 2]).tensor("box_f", shapes[names.size() - 1]);
        } else {
            g.tensor("image", new int[] {DetectorNet.IN_H, DetectorNet.IN_W, 1});
            for (int i = 0; i < names.size(); i++) g.tensor(names.get(i), shapes[i]);
        }
        g.tensor("detections", new int[] {MAX_DETECTIONS, 5}).tensor("count", new int[] {1}).tensor("best", new int[] {1});

        conv(g, q, qp, bc, "stem", "image", "stem", net.stemW, net.stemB, 2, "relu6");
        conv(g, q, qp, bc, "down", "stem", "down", net.downW, net.downB, 2, "relu6");
        Map<String, String> rw = new LinkedHashMap<>();
        for (String cell : new String[] {"rnn1", "rnn2"}) {
            var r = cell.equals("rnn1") ? net.rnn1 : net.rnn2;
            String p = "pool." + cell + ".";
            rw.put(cell + ".W", p + "W");
            rw.put(cell + ".U", p + "U");
            rw.put(cell + ".bg", p + "bg");
            rw.put(cell + ".bh", p + "bh");
            rw.put(cell + ".zeta", p + "zeta");
            rw.put(cell + ".nu", p + "nu");
            g.weightFloat(p + "W", new int[] {r.hidden, r.input}, r.w.w).weightFloat(p + "U", new int[] {r.hidden, r.hidden}, r.u.w)
                    .weightFloat(p + "bg", new int[] {r.hidden}, r.bg.w).weightFloat(p + "bh", new int[] {r.hidden}, r.bh.w)
                    .weightFloat(p + "zeta", new int[] {1}, new float[] {30f}).weightFloat(p + "nu", new int[] {1}, new float[] {-30f});
        }
        g.node("rnnpool", "pool", List.of("down"), List.of("pool"), rw,
                Map.of("patch", (long) c.patch(), "stride", (long) c.patch(), "hidden1", (long) c.hidden(), "hidden2", (long) c.hidden(), "pad_output", 0L));
        String x = "pool";
        for (int b = 0; b < net.blocks.size(); b++) {
            DetectorNet.Block bl = net.blocks.get(b);
            String n = "mb" + b;
            conv(g, q, qp, bc, n + ".expand", x, n + ".expand", bl.expandW(), bl.expandB(), 1, "relu6");
            depthwise(g, q, qp, bc, n + ".dw", n + ".expand", n + ".dw", bl.dwW(), bl.dwB(), "relu6");
            conv(g, q, qp, bc, n + ".project", n + ".dw", n + ".project", bl.projectW(), bl.projectB(), 1, "none");
            g.node("add", n + ".residual", List.of(x, n + ".project"), List.of(n + ".out"), null, null);
            x = n + ".out";
        }
        conv(g, q, qp, bc, "score", x, "score", net.scoreW, net.scoreB, 1, "none");
        conv(g, q, qp, bc, "box", x, "box", net.boxW, net.boxB, 1, "none");
        String s = "score", bx = "box";
        if (q) {
            g.node("dequantize", "score.dq", List.of("score"), List.of("score_f"), null, null);
            g.node("dequantize", "box.dq", List.of("box"), List.of("box_f"), null, null);
            s = "score_f";
            bx = "box_f";
        }
        Map<String, Object> da = new LinkedHashMap<>();
        List<Double> anchors = new ArrayList<>();
        for (float v : c.anchorSizes()) anchors.add((double) v);
        da.put("anchors", anchors);
        da.put("score_threshold", (double) decode.scoreThreshold());
        da.put("iou_threshold", (double) decode.iouThreshold());
        if (decode.centerDistance() > 0f) da.put("center_distance", (double) decode.centerDistance());
        da.put("max_detections", (long) MAX_DETECTIONS);
        da.put("input_size", new int[] {DetectorNet.IN_H, DetectorNet.IN_W});
        g.node("detect", "detect", List.of(s, bx), List.of("detections", "count", "best"), null, da);
        g.input("image").output("detections").output("count").output("best");
        for (String t : extraOutputs) g.output(t);

        Metadata.Builder m = Metadata.builder(q ? "person-detector-int8" : "person-detector-float", "cnn")
                .description("RNNPool person detector distilled from the CenterNet teacher on the footage of "
                        + "model-tools/detector/training-sources.csv; outputs detections (x, y, w, h, score; 320x240 pixels), "
                        + "count, and best (the highest anchor score, passing the threshold or not)")
                .input("image", new int[] {DetectorNet.IN_H, DetectorNet.IN_W, 1}, "float32", "HWC",
                        Map.of("colorSpace", "gray", "scale", 1.0 / 255, "width", 320L, "height", 240L))
                .labels(List.of("person"))
                // the detect node's threshold, for readers of "best" (a cascade's band sits around it)
                .put("scoreThreshold", (double) decode.scoreThreshold());
        if (provenance != null) provenance.forEach(m::provenance);
        if (metrics != null) metrics.forEach(m::metric);
        return g.toBytes(m);
    }


    /** The float bias, plus the layer's correction when there is one. */
    private static float[] bias(Map<String, float[]> bc, String name, Param b) {
        float[] c = bc.get(name);
        if (c == null) return b.w;
        if (c.length != b.w.length) throw new IllegalArgumentException(name + ": bias correction has " + c.length + " values for " + b.w.length + " channels");
        float[] r = b.w.clone();
        for (int i = 0; i < r.length; i++) r[i] += c[i];
        return r;
    }

    private static void conv(GraphBuilder g, boolean q, Map<String, QuantParams> qp, Map<String, float[]> bc, String name, String in, String out,
                             Param w, Param b, int stride, String act) {
        int kh = w.shape[0], kw = w.shape[1], ic = w.shape[2], oc = w.shape[3];
        int[] shape = {oc, kh, kw, ic};
        float[] ohwi = GraphExport.toOhwi(w);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("stride", (long) stride);
        attrs.put("padding", "same");
        attrs.put("activation", act);
        g.node("conv2d", name, List.of(in), List.of(out), Map.of("filter", name + ".filter", "bias", name + ".bias"), attrs);
        if (!q) {
            g.weightFloat(name + ".filter", shape, ohwi).weightFloat(name + ".bias", new int[] {oc}, b.w);
            return;
        }
        float[] scales = QuantParams.symmetricScales(ohwi, oc);
        g.weightInt8(name + ".filter", shape, QuantParams.quantizeSymmetric(ohwi, scales), 0, scales);
        g.weightInt32(name + ".bias", new int[] {oc}, QuantParams.quantizeBias(bias(bc, name, b), qp.get(in).scale(), scales));
    }

    private static void depthwise(GraphBuilder g, boolean q, Map<String, QuantParams> qp, Map<String, float[]> bc, String name, String in, String out,
                                  Param w, Param b, String act) {
        int ch = w.shape[2];
        int[] shape = {w.shape[0], w.shape[1], ch};
        g.node("depthwise_conv2d", name, List.of(in), List.of(out), Map.of("filter", name + ".filter", "bias", name + ".bias"),
                Map.of("stride", 1L, "padding", "same", "activation", act));
        if (!q) {
            g.weightFloat(name + ".filter", shape, w.w).weightFloat(name + ".bias", new int[] {ch}, b.w);
            return;
        }
        float[] scales = new float[ch];
        for (int c = 0; c < ch; c++) {
            float m = 0f;
            for (int k = c; k < w.size(); k += ch) m = Math.max(m, Math.abs(w.w[k]));
            scales[c] = m > 0 ? m / 127f : 1f;
        }
        g.weightInt8(name + ".filter", shape, QuantParams.quantizeSymmetricChannelsLast(w.w, scales), 2, scales);
        g.weightInt32(name + ".bias", new int[] {ch}, QuantParams.quantizeBias(bias(bc, name, b), qp.get(in).scale(), scales));
    }
}
