package dev.winnow.tools.detect;

import dev.winnow.tools.nn.GraphExport;
import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.quant.QuantParams;
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
    /**
     * With a presence head, {@code presenceThreshold} (the head alone finds people) and {@code presenceVeto} (under it
     * the head drops the anchors' detections) are the detect node's gate ({@code PresenceGate}); networks without the
     * head ignore them.
     */
    public record Decode(float scoreThreshold, float iouThreshold, float centerDistance, float presenceThreshold, float presenceVeto) {
        public Decode(float scoreThreshold, float iouThreshold, float centerDistance) {
            this(scoreThreshold, iouThreshold, centerDistance, 1f, 0f);
        }

        public Decode(float scoreThreshold, float iouThreshold) {
            this(scoreThreshold, iouThreshold, 0f);
        }

        /** The same suppression with this presence gate. */
        public Decode withPresence(float threshold, float veto) {
            return new Decode(scoreThreshold, iouThreshold, centerDistance, threshold, veto);
        }
    }

    private DetectorExport() {}

    /**
     * Activation names in the order {@link DetectorNet#forward} lists them: stem, down, pool, then per
     * block expand, dw, project, out; then the context branch's down1, down2, lift, up, out; then score, box.
     */
    static List<String> activationNames(DetectorNet net) {
        List<String> n = new ArrayList<>(List.of("stem", "down", "pool"));
        for (int b = 0; b < net.blocks.size(); b++) {
            n.add("mb" + b + ".expand");
            n.add("mb" + b + ".dw");
            n.add("mb" + b + ".project");
            n.add("mb" + b + ".out");
        }
        if (net.context != null) n.addAll(List.of("ctx.down1", "ctx.down2", "ctx.lift", "ctx.up", "ctx.out"));
        n.add("score");
        n.add("box");
        if (net.hasPresence()) {
            n.add("presence.hidden");
            n.add("presence");
        }
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
        GraphExport e = new GraphExport(q);
        if (q) e.biasCorrection(biasCorrection);
        declareTensors(e, net, ranges);
        addLayers(e, net);
        String scores = "score", boxes = "box", presence = "presence";
        if (q) { // the detect node decodes float logits
            e.node("dequantize", "score.dq", "score", "score_f").node("dequantize", "box.dq", "box", "box_f");
            scores = "score_f";
            boxes = "box_f";
            if (net.hasPresence()) {
                e.node("dequantize", "presence.dq", "presence", "presence_f");
                presence = "presence_f";
            }
        }
        GraphBuilder g = e.builder();
        List<String> detectIn = net.hasPresence() ? List.of(scores, boxes, presence) : List.of(scores, boxes);
        g.node("detect", "detect", detectIn, List.of("detections", "count", "best"), null, detectAttributes(net, decode));
        g.output("detections").output("count").output("best");
        for (String t : extraOutputs) g.output(t);
        return g.toBytes(metadata(q, decode, provenance, metrics));
    }

    /** The shape of every activation, in {@link #activationNames} order. */
    static int[][] activationShapes(DetectorNet net) {
        DetectorNet.Config c = net.cfg;
        int gh = c.gridH(), gw = c.gridW(), f = c.features();
        List<int[]> shapes = new ArrayList<>();
        shapes.add(new int[] {DetectorNet.IN_H / 2, DetectorNet.IN_W / 2, c.c1()});
        shapes.add(new int[] {DetectorNet.IN_H / 4, DetectorNet.IN_W / 4, c.c2()});
        shapes.add(new int[] {gh, gw, f});
        for (int b = 0; b < net.blocks.size(); b++) {
            shapes.add(new int[] {gh, gw, f * c.expansion()});
            shapes.add(new int[] {gh, gw, f * c.expansion()});
            shapes.add(new int[] {gh, gw, f});
            shapes.add(new int[] {gh, gw, f});
        }
        if (net.context != null) {
            int[] g1 = c.contextGrid(1), g2 = c.contextGrid(2);
            shapes.add(new int[] {g1[0], g1[1], c.context()});
            shapes.add(new int[] {g2[0], g2[1], c.context()});
            shapes.add(new int[] {g2[0], g2[1], f});
            shapes.add(new int[] {gh, gw, f});
            shapes.add(new int[] {gh, gw, f});
        }
        shapes.add(new int[] {gh, gw, c.anchors()});
        shapes.add(new int[] {gh, gw, 4 * c.anchors()});
        if (net.hasPresence()) { // dense nodes write flat vectors
            shapes.add(new int[] {net.presence.hidden});
            shapes.add(new int[] {1});
        }
        return shapes.toArray(int[][]::new);
    }

    /**
     * The image input (int8 on the 1/255 grid with zero point −128 when quantized), every activation (on its
     * calibrated range when quantized), the dequantized heads of an int8 graph, and the detect node's outputs.
     */
    private static void declareTensors(GraphExport e, DetectorNet net, float[][] ranges) {
        List<String> names = activationNames(net);
        int[][] shapes = activationShapes(net);
        e.input("image", new int[] {DetectorNet.IN_H, DetectorNet.IN_W, 1}, new QuantParams(1f / 255f, -128));
        for (int i = 0; i < names.size(); i++) e.activation(names.get(i), shapes[i], ranges != null ? ranges[i] : null);
        int heads = names.indexOf("score");
        if (ranges != null) e.floatTensor("score_f", shapes[heads]).floatTensor("box_f", shapes[heads + 1]);
        if (ranges != null && net.context != null) { // the resize runs in float between the lift's and the upsampled grids
            e.floatTensor("ctx.lift_f", shapes[names.indexOf("ctx.lift")]).floatTensor("ctx.up_f", shapes[names.indexOf("ctx.up")]);
        }
        if (net.hasPresence()) {
            String last = names.get(heads - 1); // the last feature map, which the presence head pools
            int f = net.cfg.features();
            e.activationLike("presence.avg", new int[] {1, 1, f}, last).activationLike("presence.max", new int[] {1, 1, f}, last)
                    .activationLike("presence.pool", new int[] {1, 1, 2 * f}, last);
            if (ranges != null) e.floatTensor("presence_f", new int[] {1});
        }
        e.floatTensor("detections", new int[] {MAX_DETECTIONS, 5}).floatTensor("count", new int[] {1}).floatTensor("best", new int[] {1});
    }

    /** Stem, downsampling, RNNPool, the MBConv blocks with their residuals, and the score and box heads. */
    private static void addLayers(GraphExport e, DetectorNet net) {
        DetectorNet.Config c = net.cfg;
        e.conv("stem", "image", "stem", net.stemW, net.stemB, 2, "relu6")
                .conv("down", "stem", "down", net.downW, net.downB, 2, "relu6")
                .rnnpool("pool", "down", "pool", net.rnn1, net.rnn2, c.patch(), c.patch());
        String x = "pool";
        for (int b = 0; b < net.blocks.size(); b++) {
            DetectorNet.Block bl = net.blocks.get(b);
            String n = "mb" + b;
            e.conv(n + ".expand", x, n + ".expand", bl.expandW(), bl.expandB(), 1, "relu6")
                    .depthwise(n + ".dw", n + ".expand", n + ".dw", bl.dwW(), bl.dwB(), 1, "relu6")
                    .conv(n + ".project", n + ".dw", n + ".project", bl.projectW(), bl.projectB(), 1, "none")
                    .add(n + ".residual", x, n + ".project", n + ".out");
            x = n + ".out";
        }
        if (net.context != null) x = addContext(e, net, x);
        e.conv("score", x, "score", net.scoreW, net.scoreB, 1, "none").conv("box", x, "box", net.boxW, net.boxB, 1, "none");
        if (net.hasPresence()) {
            List<Long> grid = List.of((long) c.gridH(), (long) c.gridW());
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("size", grid);
            whole.put("stride", grid);
            whole.put("padding", "valid");
            GraphBuilder g = e.builder();
            g.node("avg_pool2d", "presence.avg", List.of(x), List.of("presence.avg"), null, whole);
            g.node("max_pool2d", "presence.max", List.of(x), List.of("presence.max"), null, whole);
            g.node("concat", "presence.pool", List.of("presence.avg", "presence.max"), List.of("presence.pool"), null, null);
            e.dense("presence.fc1", "presence.pool", "presence.hidden", net.presence.fc1W, net.presence.fc1B, "relu6")
                    .dense("presence.fc2", "presence.hidden", "presence", net.presence.fc2W, net.presence.fc2B, "none");
        }
    }

    /**
     * The context branch on feature map {@code x}; returns the name of the features with the context added. In an int8
     * graph the lift is dequantized, resized in float (the runtime's resize is float) and quantized onto the
     * upsampled tensor's grid, as quantization-aware training rounds it.
     */
    private static String addContext(GraphExport e, DetectorNet net, String x) {
        DetectorNet.Context c = net.context;
        e.conv("ctx.down1", x, "ctx.down1", c.down1W(), c.down1B(), 2, "relu6")
                .conv("ctx.down2", "ctx.down1", "ctx.down2", c.down2W(), c.down2B(), 2, "relu6")
                .conv("ctx.lift", "ctx.down2", "ctx.lift", c.liftW(), c.liftB(), 1, "none");
        Map<String, Object> resize = new LinkedHashMap<>();
        resize.put("size", List.of((long) net.cfg.gridH(), (long) net.cfg.gridW()));
        resize.put("half_pixel_centers", 1L);
        if (e.int8()) {
            e.node("dequantize", "ctx.lift.dq", "ctx.lift", "ctx.lift_f");
            e.builder().node("resize_bilinear", "ctx.resize", List.of("ctx.lift_f"), List.of("ctx.up_f"), null, resize);
            e.node("quantize", "ctx.up.q", "ctx.up_f", "ctx.up");
        } else {
            e.builder().node("resize_bilinear", "ctx.resize", List.of("ctx.lift"), List.of("ctx.up"), null, resize);
        }
        e.add("ctx.residual", x, "ctx.up", "ctx.out");
        return "ctx.out";
    }

    /** The detect node's anchors, thresholds, suppression rule, input size and, with a presence head, its gate. */
    private static Map<String, Object> detectAttributes(DetectorNet net, Decode decode) {
        DetectorNet.Config c = net.cfg;
        Map<String, Object> da = new LinkedHashMap<>();
        List<Double> anchors = new ArrayList<>();
        for (float v : c.anchorSizes()) anchors.add((double) v);
        da.put("anchors", anchors);
        da.put("score_threshold", (double) decode.scoreThreshold());
        da.put("iou_threshold", (double) decode.iouThreshold());
        if (decode.centerDistance() > 0f) da.put("center_distance", (double) decode.centerDistance());
        da.put("max_detections", (long) MAX_DETECTIONS);
        da.put("input_size", new int[] {DetectorNet.IN_H, DetectorNet.IN_W});
        if (net.hasPresence()) {
            da.put("presence_threshold", (double) decode.presenceThreshold());
            da.put("presence_veto", (double) decode.presenceVeto());
        }
        return da;
    }

    private static Metadata.Builder metadata(boolean int8, Decode decode, Map<String, Object> provenance, Map<String, Double> metrics) {
        Metadata.Builder m = Metadata.builder(int8 ? "person-detector-int8" : "person-detector-float", "cnn")
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
        return m;
    }
}
