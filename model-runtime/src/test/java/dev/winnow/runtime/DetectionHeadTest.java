package dev.winnow.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.kernel.Detection;
import dev.winnow.runtime.testing.ReferenceOps;
import dev.winnow.runtime.testing.Tensors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class DetectionHeadTest {

    @Test
    void nmsKeepsTheBestOfOverlappingBoxesAndSeparateOnes() {
        // 4x4 grid over 64x64 pixels, one 16x32 anchor
        Detection det = new Detection(4, 4, new float[] {16, 32}, 64, 64, 0.5f, 0.45f, 5);
        float[] scores = new float[16], boxes = new float[64];
        java.util.Arrays.fill(scores, -6f);
        scores[5] = 3f;       // cell (1,1): strong
        scores[6] = 2f;       // cell (1,2), shifted left by half a cell onto (1,1): overlaps, suppressed
        boxes[4 * 6] = -1f;
        scores[15] = 1f;      // cell (3,3): separate, kept
        float[] out = new float[25], s = new float[det.scratchSize()];
        int n = det.run(scores, 0, boxes, 0, out, 0, s, 0);
        assertEquals(2, n);
        assertEquals((float) (1 / (1 + Math.exp(-3))), out[4], 1e-6);
        assertEquals(24 - 8, out[0], 1e-5);   // centre x 24, width 16
        assertEquals(24 - 16, out[1], 1e-5);  // centre y 24, height 32
        assertEquals(16, out[2], 1e-4);
        assertEquals(32, out[3], 1e-4);
        assertEquals((float) (1 / (1 + Math.exp(-1))), out[9], 1e-6);
        for (int i = 10; i < 25; i++) assertEquals(0f, out[i]);
    }

    /**
     * The reference trials' candidates in double precision: for each of the 6x8 cells (8 px) and its two
     * anchors (10x20, 20x10), centre x, centre y, width, height and score, where the score is at least 0.3.
     */
    static List<double[]> candidates(float[] scores, float[] boxes) {
        List<double[]> cands = new ArrayList<>();
        for (int k = 0; k < 96; k++) {
            double sc = 1 / (1 + Math.exp(-scores[k]));
            if (sc < 0.3) continue;
            int cell = k / 2, a = k % 2, i = cell / 8, j = cell % 8;
            double w = (a == 0 ? 10 : 20) * Math.exp(boxes[4 * k + 2]), h = (a == 0 ? 20 : 10) * Math.exp(boxes[4 * k + 3]);
            cands.add(new double[] {(j + 0.5 + boxes[4 * k]) * 8, (i + 0.5 + boxes[4 * k + 1]) * 8, w, h, sc});
        }
        return cands;
    }

    /** Greedy suppression over candidates sorted best first: at most 10 kept, each dropped that {@code clashes} with one already kept. */
    static <T> List<T> greedy(List<T> sorted, BiPredicate<T, T> clashes) {
        List<T> kept = new ArrayList<>();
        for (T c : sorted) {
            if (kept.size() == 10) break;
            if (kept.stream().noneMatch(k -> clashes.test(c, k))) kept.add(c);
        }
        return kept;
    }

    @Test
    void matchesAReferenceGreedyNms() {
        Random r = new Random(81);
        for (int trial = 0; trial < 50; trial++) {
            Detection det = new Detection(6, 8, new float[] {10, 20, 20, 10}, 48, 64, 0.3f, 0.4f, 10);
            float[] scores = Tensors.gaussian(r, 6 * 8 * 2, 2), boxes = Tensors.gaussian(r, 6 * 8 * 8, 0.4);
            float[] out = new float[50];
            int n = det.run(scores, 0, boxes, 0, out, 0, new float[det.scratchSize()], 0);
            List<float[]> cands = new ArrayList<>();
            for (double[] c : candidates(scores, boxes)) {
                cands.add(new float[] {(float) (c[0] - c[2] / 2), (float) (c[1] - c[3] / 2), (float) c[2], (float) c[3], (float) c[4]});
            }
            cands.sort(Comparator.comparingDouble((float[] c) -> -c[4]));
            List<float[]> kept = greedy(cands, (c, k) -> Detection.iou(c, 0, k, 0) >= 0.4f);
            assertEquals(kept.size(), n, "trial " + trial);
            for (int q = 0; q < n; q++) for (int f = 0; f < 5; f++) assertEquals(kept.get(q)[f], out[5 * q + f], 1e-3, "trial " + trial);
        }
    }

    @Test
    void centreDistanceKeepsNeighboursThatIouWouldMerge() {
        // two people side by side, centres 10 px apart with 16 px wide boxes: IoU (6·32)/(2·16·32 − 6·32) = 0.23
        Detection byIou = new Detection(4, 4, new float[] {16, 32}, 64, 64, 0.5f, 0.2f, 5);
        Detection byCentre = new Detection(4, 4, new float[] {16, 32}, 64, 64, 0.5f, 0.2f, 5, 0.5f);
        float[] scores = new float[16], boxes = new float[64];
        java.util.Arrays.fill(scores, -6f);
        scores[5] = 3f;                 // cell (1,1), centre (24, 24)
        scores[6] = 2f;                 // cell (1,2), centre moved from 40 to 34: 10 px right of the first (0.625 widths)
        boxes[4 * 6] = -6f / 16f;
        scores[9] = 1f;                 // cell (2,1), centre moved up to (24, 30): a duplicate 6/32 = 0.19 heights below the first
        boxes[4 * 9 + 1] = -10f / 16f;
        float[] out = new float[25];
        assertEquals(1, byIou.run(scores, 0, boxes, 0, out, 0, new float[byIou.scratchSize()], 0));
        assertEquals(2, byCentre.run(scores, 0, boxes, 0, out, 0, new float[byCentre.scratchSize()], 0));
        assertEquals(34 - 8, out[5], 1e-4);
    }

    @Test
    void centreDistanceMatchesAReference() {
        Random r = new Random(83);
        for (int trial = 0; trial < 50; trial++) {
            double radius = 0.3 + 0.6 * r.nextDouble();
            Detection det = new Detection(6, 8, new float[] {10, 20, 20, 10}, 48, 64, 0.3f, 0.4f, 10, (float) radius);
            float[] scores = Tensors.gaussian(r, 6 * 8 * 2, 2), boxes = Tensors.gaussian(r, 6 * 8 * 8, 0.4);
            float[] out = new float[50];
            int n = det.run(scores, 0, boxes, 0, out, 0, new float[det.scratchSize()], 0);
            // reference in double precision: centres and sizes straight from the head, greedy by score
            List<double[]> cands = candidates(scores, boxes);
            cands.sort(Comparator.comparingDouble((double[] c) -> -c[4]));
            List<double[]> kept = greedy(cands, (c, k) -> Math.hypot((c[0] - k[0]) / ((c[2] + k[2]) / 2), (c[1] - k[1]) / ((c[3] + k[3]) / 2)) < radius);
            assertEquals(kept.size(), n, "trial " + trial);
            for (int q = 0; q < n; q++) {
                double[] k = kept.get(q);
                assertEquals(k[0] - k[2] / 2, out[5 * q], 1e-3, "trial " + trial);
                assertEquals(k[1] - k[3] / 2, out[5 * q + 1], 1e-3, "trial " + trial);
                assertEquals(k[2], out[5 * q + 2], 1e-3 * k[2]);
                assertEquals(k[3], out[5 * q + 3], 1e-3 * k[3]);
                assertEquals(k[4], out[5 * q + 4], 1e-5);
            }
        }
    }

    @Test
    void bestOutputIsTheTopAnchorScorePassingTheThresholdOrNot() throws Exception {
        GraphBuilder g = new GraphBuilder().tensor("scores", new int[] {3, 4, 2}).tensor("boxes", new int[] {3, 4, 8})
                .tensor("dets", new int[] {6, 5}).tensor("count", new int[] {1}).tensor("best", new int[] {1}).input("scores").input("boxes");
        g.node("detect", "detect", List.of("scores", "boxes"), List.of("dets", "count", "best"), null,
                Map.of("anchors", List.of(10.0, 20.0, 20.0, 40.0), "input_size", List.of(24L, 32L), "score_threshold", 0.6, "max_detections", 6L))
                .output("dets").output("count").output("best");
        Model m = Model.load(g.toBytes(Metadata.builder("detect-only", "cnn").input("scores", new int[] {3, 4, 2}, "float32", "HWC", null)));
        Interpreter it = m.newInterpreter();
        Random r = new Random(5);
        float[] boxes = Tensors.gaussian(r, 96, 0.1), dets = new float[30], count = new float[1], best = new float[1];
        for (double top : new double[] {-3.1, 0.2, 0.4054, 0.41, 2.5}) { // sigmoid(0.4055) = 0.6: under, at and over the threshold
            float[] logits = Tensors.uniform(r, 24, -6, -4);
            logits[r.nextInt(24)] = (float) top;
            it.setInput(0, logits, 0);
            it.setInput(1, boxes, 0);
            it.invoke();
            it.getOutput(0, dets, 0);
            it.getOutput(1, count, 0);
            it.getOutput(2, best, 0);
            double reference = 1.0 / (1.0 + Math.exp(-top)); // a plain double-precision logistic of the top logit
            assertEquals(reference, best[0], 1e-4, "best score for top logit " + top);
            assertEquals(best[0] >= 0.6f, count[0] > 0, "a detection exactly when the best score passes: " + best[0]);
            if (count[0] > 0) assertEquals(best[0], dets[4], 1e-6, "the first detection is the best anchor");
        }
    }

    private static Model presenceDetector(Map<String, Object> extra) throws Exception {
        GraphBuilder g = new GraphBuilder().tensor("scores", new int[] {3, 4, 2}).tensor("boxes", new int[] {3, 4, 8}).tensor("presence", new int[] {1})
                .tensor("dets", new int[] {6, 5}).tensor("count", new int[] {1}).tensor("best", new int[] {1}).input("scores").input("boxes").input("presence");
        Map<String, Object> attrs = new java.util.LinkedHashMap<>(Map.of("anchors", List.of(10.0, 20.0, 20.0, 40.0), "input_size", List.of(24L, 32L),
                "score_threshold", 0.6, "max_detections", 6L));
        attrs.putAll(extra);
        g.node("detect", "detect", List.of("scores", "boxes", "presence"), List.of("dets", "count", "best"), null, attrs)
                .output("dets").output("count").output("best");
        return Model.load(g.toBytes(Metadata.builder("detect-presence", "cnn").input("scores", new int[] {3, 4, 2}, "float32", "HWC", null)));
    }

    @Test
    void presenceHeadVetoesTheAnchorsOrFindsPeopleTheyMiss() throws Exception {
        Interpreter it = presenceDetector(Map.of("presence_threshold", 0.8, "presence_veto", 0.2)).newInterpreter();
        Random r = new Random(9);
        float[] boxes = Tensors.gaussian(r, 96, 0.1), dets = new float[30], count = new float[1], best = new float[1];
        for (double top : new double[] {-3.0, 0.2, 0.41, 2.5}) {
            for (double headLogit : new double[] {-4.0, -1.0, 0.0, 1.0, 1.5, 4.0}) {
                float[] logits = Tensors.uniform(r, 24, -6, -4);
                int at = r.nextInt(24);
                logits[at] = (float) top;
                it.setInput(0, logits, 0);
                it.setInput(1, boxes, 0);
                it.setInput(2, new float[] {(float) headLogit}, 0);
                it.invoke();
                it.getOutput(0, dets, 0);
                it.getOutput(1, count, 0);
                it.getOutput(2, best, 0);
                double anchor = 1 / (1 + Math.exp(-top)), head = 1 / (1 + Math.exp(-headLogit));
                boolean present = head >= 0.8 || (anchor >= 0.6 && head >= 0.2); // the gate in double precision
                String at_ = "anchor " + anchor + " head " + head;
                assertEquals(present, count[0] > 0, at_);
                assertEquals(present, best[0] >= 0.6f, "best passes the threshold exactly when the frame has people: " + best[0] + ", " + at_);
                if (!present) for (float v : dets) assertEquals(0f, v, "a vetoed or empty frame has no detections, " + at_);
                if (present && anchor < 0.6) { // the head alone: the best anchor's box, with its own score
                    assertEquals(1f, count[0], at_);
                    assertEquals(anchor, dets[4], 1e-4, at_);
                    int cell = at / 2, i = cell / 4, j = cell % 4;
                    double w = (at % 2 == 0 ? 10 : 20) * Math.exp(boxes[4 * at + 2]);
                    assertEquals((j + 0.5 + boxes[4 * at]) * 8 - w / 2, dets[0], 1e-3, at_);
                }
            }
        }
    }

    @Test
    void presenceAttributesAreCheckedWhenTheModelLoads() {
        assertThrows(dev.winnow.runtime.format.ModelFormatException.class, () -> presenceDetector(Map.of("presence_threshold", 0.3, "presence_veto", 0.5)),
                "a veto above the head's threshold");
        assertThrows(dev.winnow.runtime.format.ModelFormatException.class, () -> presenceDetector(Map.of("presence_threshold", 1.5)));
        GraphBuilder g = new GraphBuilder().tensor("scores", new int[] {3, 4, 2}).tensor("boxes", new int[] {3, 4, 8})
                .tensor("dets", new int[] {6, 5}).tensor("count", new int[] {1}).input("scores").input("boxes");
        g.node("detect", "detect", List.of("scores", "boxes"), List.of("dets", "count"), null,
                Map.of("anchors", List.of(10.0, 20.0, 20.0, 40.0), "input_size", List.of(24L, 32L), "max_detections", 6L, "presence_threshold", 0.5)).output("dets").output("count");
        var e = assertThrows(dev.winnow.runtime.format.ModelFormatException.class,
                () -> Model.load(g.toBytes(Metadata.builder("d", "cnn").input("scores", new int[] {3, 4, 2}, "float32", "HWC", null))));
        assertTrue(e.getMessage().contains("third input"), e.getMessage());
    }

    @Test
    void mbConvDetectorGraphRunsWithoutAllocating() throws Exception {
        Random r = new Random(82);
        GraphBuilder g = new GraphBuilder().tensor("image", new int[] {16, 24, 8}).input("image");
        CnnBlocks.MbConvWeights same = weights(r, 8, 4, 8), down = weights(r, 8, 2, 16);
        String a = CnnBlocks.mbConv(g, "b1", "image", 16, 24, 8, 4, 8, 1, same);
        String b = CnnBlocks.mbConv(g, "b2", a, 16, 24, 8, 2, 16, 2, down);
        g.tensor("scores", new int[] {8, 12, 1}).tensor("boxes", new int[] {8, 12, 4}).tensor("dets", new int[] {5, 5}).tensor("count", new int[] {1});
        g.node("conv2d", "head.score", List.of(b), List.of("scores"), Map.of("filter", "hs.f"), null)
                .node("conv2d", "head.box", List.of(b), List.of("boxes"), Map.of("filter", "hb.f"), null)
                .node("detect", "detect", List.of("scores", "boxes"), List.of("dets", "count"), null,
                        Map.of("anchors", List.of(12.0, 24.0), "input_size", List.of(16L, 24L), "score_threshold", 0.5, "max_detections", 5L))
                .weightFloat("hs.f", new int[] {1, 1, 1, 16}, Tensors.gaussian(r, 16, 1)).weightFloat("hb.f", new int[] {4, 1, 1, 16}, Tensors.gaussian(r, 64, 0.1))
                .output("dets").output("count");
        Model m = Model.load(g.toBytes(Metadata.builder("tiny-detector", "cnn").input("image", new int[] {16, 24, 8}, "float32", "HWC", null)));
        Interpreter it = m.newInterpreter();
        float[] x = Tensors.uniform(r, 16 * 24 * 8, 0, 1), dets = new float[25], count = new float[1];
        it.setInput(0, x, 0);
        it.invoke();
        it.getOutput(0, dets, 0);
        it.getOutput(1, count, 0);
        assertTrue(count[0] >= 0 && count[0] <= 5);
        // the first block's residual: output = input + project(...), check one element against the reference ops
        double[] e = ReferenceOps.conv2d(Tensors.toDouble(x), 16, 24, 8, Tensors.toDouble(same.expand()), Tensors.toDouble(same.expandBias()), 32, 1, 1, 1, 1, 0, 0, 16, 24, 0, 6);
        double[] d = ReferenceOps.depthwise(e, 16, 24, 32, 1, Tensors.toDouble(same.depthwise()), Tensors.toDouble(same.depthwiseBias()), 3, 3, 1, 1, 1, 1, 16, 24, 0, 6);
        double[] p = ReferenceOps.conv2d(d, 16, 24, 32, Tensors.toDouble(same.project()), Tensors.toDouble(same.projectBias()), 8, 1, 1, 1, 1, 0, 0, 16, 24, -1e9, 1e9);
        assertTrue(m.report().toTable().contains("b1.residual"));
        float[] expected = new float[p.length];
        for (int i = 0; i < p.length; i++) expected[i] = (float) (x[i] + p[i]);
        GraphBuilder only = new GraphBuilder().tensor("image", new int[] {16, 24, 8}).input("image");
        String o = CnnBlocks.mbConv(only, "b1", "image", 16, 24, 8, 4, 8, 1, same);
        only.output(o);
        float[] got = Model.load(only.toBytes(Metadata.builder("mb", "cnn").input("image", new int[] {16, 24, 8}, "float32", "HWC", null)))
                .newInterpreter().predict(x, new float[p.length]);
        for (int i = 0; i < p.length; i++) assertEquals(expected[i], got[i], 1e-4);
        // warmed up in rounds until C2 has compiled the kernels: one fixed warm-up fails on a busy machine
        assertEquals(0, Tensors.allocationAfterWarmUp(it::invoke, 200), "detector graph allocates nothing per frame");
    }

    private static CnnBlocks.MbConvWeights weights(Random r, int in, int t, int out) {
        int mid = in * t;
        return new CnnBlocks.MbConvWeights(Tensors.gaussian(r, mid * in, 0.3), Tensors.gaussian(r, mid, 0.1),
                Tensors.gaussian(r, 9 * mid, 0.3), Tensors.gaussian(r, mid, 0.1), Tensors.gaussian(r, out * mid, 0.3), Tensors.gaussian(r, out, 0.1));
    }
}
