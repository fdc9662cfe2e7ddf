package dev.winnow.tools.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.tools.detect.DetectorExport;
import dev.winnow.tools.detect.DetectorNet;
import dev.winnow.tools.detect.Scenes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The person detector's graph written node by node on {@link GraphExport} gives outputs identical,
 * bit for bit, to {@link DetectorExport}'s, float32 and int8: the exporter's helpers carry the
 * conventions, and DetectorExport's layout of them is what this test spells out.
 */
class GraphExportTest {
    /** The detector's graph through GraphExport; names, shapes and node order as DetectorExport writes them. */
    static byte[] viaGraphExport(DetectorNet net, DetectorExport.Decode decode, Map<String, float[]> ranges) {
        DetectorNet.Config c = net.cfg;
        int gh = DetectorNet.IN_H / 4 / c.patch(), gw = DetectorNet.IN_W / 4 / c.patch(), f = 4 * c.hidden(), mid = f * c.expansion();
        Map<String, Tensor> acts = new LinkedHashMap<>();
        GraphExport e = new GraphExport(ranges != null);
        e.input("image", new int[] {DetectorNet.IN_H, DetectorNet.IN_W, 1}, new QuantParams(1f / 255f, -128));
        e.activation("stem", new int[] {DetectorNet.IN_H / 2, DetectorNet.IN_W / 2, c.c1()}, r(ranges, "stem"))
                .conv("stem", "image", "stem", net.stemW, net.stemB, 2, "relu6");
        e.activation("down", new int[] {DetectorNet.IN_H / 4, DetectorNet.IN_W / 4, c.c2()}, r(ranges, "down"))
                .conv("down", "stem", "down", net.downW, net.downB, 2, "relu6");
        e.activation("pool", new int[] {gh, gw, f}, r(ranges, "pool")).rnnpool("pool", "down", "pool", net.rnn1, net.rnn2, c.patch(), c.patch());
        String x = "pool";
        for (int b = 0; b < net.blocks.size(); b++) {
            DetectorNet.Block bl = net.blocks.get(b);
            String n = "mb" + b;
            e.activation(n + ".expand", new int[] {gh, gw, mid}, r(ranges, n + ".expand"))
                    .activation(n + ".dw", new int[] {gh, gw, mid}, r(ranges, n + ".dw"))
                    .activation(n + ".project", new int[] {gh, gw, f}, r(ranges, n + ".project"))
                    .activation(n + ".out", new int[] {gh, gw, f}, r(ranges, n + ".out"));
            e.conv(n + ".expand", x, n + ".expand", bl.expandW(), bl.expandB(), 1, "relu6")
                    .depthwise(n + ".dw", n + ".expand", n + ".dw", bl.dwW(), bl.dwB(), 1, "relu6")
                    .conv(n + ".project", n + ".dw", n + ".project", bl.projectW(), bl.projectB(), 1, "none")
                    .add(n + ".residual", x, n + ".project", n + ".out");
            x = n + ".out";
        }
        int a = c.anchors();
        e.activation("score", new int[] {gh, gw, a}, r(ranges, "score")).activation("box", new int[] {gh, gw, 4 * a}, r(ranges, "box"));
        e.conv("score", x, "score", net.scoreW, net.scoreB, 1, "none").conv("box", x, "box", net.boxW, net.boxB, 1, "none");
        String s = "score", bx = "box";
        if (ranges != null) {
            e.floatTensor("score_f", new int[] {gh, gw, a}).floatTensor("box_f", new int[] {gh, gw, 4 * a});
            e.node("dequantize", "score.dq", "score", "score_f").node("dequantize", "box.dq", "box", "box_f");
            s = "score_f";
            bx = "box_f";
        }
        e.floatTensor("detections", new int[] {DetectorExport.MAX_DETECTIONS, 5}).floatTensor("count", new int[] {1}).floatTensor("best", new int[] {1});
        Map<String, Object> da = new LinkedHashMap<>();
        List<Double> anchors = new java.util.ArrayList<>();
        for (int k = 0; k < a; k++) {
            anchors.add((double) c.anchorW());
            anchors.add((double) c.anchorH());
        }
        da.put("anchors", anchors);
        da.put("score_threshold", (double) decode.scoreThreshold());
        da.put("iou_threshold", (double) decode.iouThreshold());
        da.put("max_detections", (long) DetectorExport.MAX_DETECTIONS);
        da.put("input_size", new int[] {DetectorNet.IN_H, DetectorNet.IN_W});
        e.builder().node("detect", "detect", List.of(s, bx), List.of("detections", "count", "best"), null, da);
        e.builder().output("detections").output("count").output("best").output(s);
        return e.builder().toBytes(Metadata.builder("d", "cnn").input("image", new int[] {DetectorNet.IN_H, DetectorNet.IN_W, 1}, "float32", "HWC", Map.of()));
    }

    static float[] r(Map<String, float[]> ranges, String name) {
        return ranges == null ? null : ranges.get(name);
    }

    static float[][] run(byte[] artifact, float[] img) throws Exception {
        Interpreter it = Model.load(artifact).newInterpreter();
        it.setInput(0, img, 0);
        it.invoke();
        float[][] out = new float[4][];
        for (int i = 0; i < 4; i++) {
            out[i] = new float[it.outputSpec(i).elementCount()];
            it.getOutput(i, out[i], 0);
        }
        return out;
    }

    @Test
    void rebuildsTheDetectorGraphWithIdenticalOutputs() throws Exception {
        DetectorNet net = new DetectorNet(DetectorNet.Config.standard(), 1, 3);
        net.scoreB.w[0] = 0f; // detections likely with random weights
        DetectorExport.Decode decode = new DetectorExport.Decode(0.3f, 0.3f);
        // ranges in DetectorExport's activation order, from one forward pass
        List<Tensor> acts = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, Scenes.blobs(8))).activations();
        List<String> names = new java.util.ArrayList<>(List.of("stem", "down", "pool"));
        for (int b = 0; b < net.blocks.size(); b++) for (String s : List.of(".expand", ".dw", ".project", ".out")) names.add("mb" + b + s);
        names.add("score");
        names.add("box");
        float[][] rangeArray = new float[names.size()][];
        Map<String, float[]> ranges = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float v : acts.get(i).data) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            rangeArray[i] = new float[] {lo, hi};
            ranges.put(names.get(i), rangeArray[i]);
        }
        for (boolean q : new boolean[] {false, true}) {
            byte[] theirs = DetectorExport.export(net, decode, q ? rangeArray : null, null, null, true);
            byte[] ours = viaGraphExport(net, decode, q ? ranges : null);
            for (long seed = 1; seed <= 2; seed++) {
                float[] img = Scenes.blobs(seed);
                float[][] a = run(theirs, img), b = run(ours, img);
                for (int i = 0; i < 4; i++) assertArrayEquals(a[i], b[i], 0f, (q ? "int8" : "float") + " output " + i);
            }
        }
    }
}
