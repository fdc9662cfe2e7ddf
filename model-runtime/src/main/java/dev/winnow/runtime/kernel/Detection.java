package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.FastMath;

/**
 * Decodes a dense detection head and keeps the best boxes by greedy non-maximum suppression.
 *
 * <p>The head predicts, per grid cell (i, j) and anchor a of size (aw, ah) pixels, a score logit and
 * a box offset (dx, dy, tw, th): centre ((j + 0.5 + dx)·strideX, (i + 0.5 + dy)·strideY), size
 * (aw·e^tw, ah·e^th). Candidates whose sigmoid score passes the threshold are visited best first; a
 * candidate is kept when its IoU with every kept box is below the IoU threshold. Output rows are
 * (x, y, w, h, score) with (x, y) the top-left corner, best first; unused rows are zero.
 *
 * <p>With a centre distance r &gt; 0 the suppression test is by centres instead of IoU: a candidate is
 * suppressed by a kept box when ((cx − cx')/w̄)² + ((cy − cy')/h̄)² &lt; r², where w̄ and h̄ are the mean
 * width and height of the two boxes. Unlike IoU this keeps two people standing close side by side or one
 * behind the other (their boxes overlap a lot, their centres are a fraction of a person apart), while the
 * duplicate detections of one person, whose centres nearly coincide, are still removed.
 */
public final class Detection {
    private final int gridH, gridW, anchors;
    private final float[] anchorWh;
    private final float strideX, strideY, scoreThreshold, iouThreshold, centerDistance;
    private final int maxDetections;

    public Detection(int gridH, int gridW, float[] anchorWh, int inputH, int inputW, float scoreThreshold, float iouThreshold, int maxDetections) {
        this(gridH, gridW, anchorWh, inputH, inputW, scoreThreshold, iouThreshold, maxDetections, 0f);
    }

    /** {@code centerDistance} &gt; 0 suppresses by normalised centre distance instead of IoU (see the class comment). */
    public Detection(int gridH, int gridW, float[] anchorWh, int inputH, int inputW, float scoreThreshold, float iouThreshold, int maxDetections,
            float centerDistance) {
        if (anchorWh.length == 0 || anchorWh.length % 2 != 0) throw new IllegalArgumentException("anchors are (w, h) pairs");
        if (maxDetections < 1) throw new IllegalArgumentException("max detections must be >= 1");
        if (!(centerDistance >= 0f)) throw new IllegalArgumentException("centre distance must be >= 0");
        this.centerDistance = centerDistance;
        this.gridH = gridH;
        this.gridW = gridW;
        this.anchors = anchorWh.length / 2;
        this.anchorWh = anchorWh.clone();
        this.strideX = (float) inputW / gridW;
        this.strideY = (float) inputH / gridH;
        this.scoreThreshold = scoreThreshold;
        this.iouThreshold = iouThreshold;
        this.maxDetections = maxDetections;
    }

    public int anchors() { return anchors; }
    public int maxDetections() { return maxDetections; }
    public int candidates() { return gridH * gridW * anchors; }

    /** Floats of scratch: one score per candidate (a box is decoded only when its candidate is visited). */
    public int scratchSize() {
        return candidates();
    }

    /**
     * Scores are logits [H, W, A]; boxes are [H, W, 4A]. Writes {@code maxDetections} rows of 5 and
     * returns how many are real.
     */
    public int run(float[] scores, int sOff, float[] boxes, int bOff, float[] out, int outOff, float[] s, int scratchOff) {
        int n = candidates();
        for (int k = 0; k < n; k++) {
            float score = FastMath.sigmoid(scores[sOff + k]);
            s[scratchOff + k] = score < scoreThreshold ? -1f : score;
        }
        java.util.Arrays.fill(out, outOff, outOff + 5 * maxDetections, 0f);
        int kept = 0;
        while (kept < maxDetections) {
            int best = -1;
            float bestScore = -1f;
            for (int k = 0; k < n; k++) {
                float sc = s[scratchOff + k];
                if (sc > bestScore) {
                    bestScore = sc;
                    best = k;
                }
            }
            if (best < 0 || bestScore < 0f) break;
            s[scratchOff + best] = -1f; // visited
            // decode the candidate into the next free output row; it stays there only if no kept box suppresses it
            int cell = best / anchors, a = best % anchors, i = cell / gridW, j = cell % gridW, b = bOff + 4 * best;
            float w = anchorWh[2 * a] * FastMath.exp(Math.min(boxes[b + 2], 8f));
            float h = anchorWh[2 * a + 1] * FastMath.exp(Math.min(boxes[b + 3], 8f));
            int o = outOff + 5 * kept;
            out[o] = (j + 0.5f + boxes[b]) * strideX - w / 2;
            out[o + 1] = (i + 0.5f + boxes[b + 1]) * strideY - h / 2;
            out[o + 2] = w;
            out[o + 3] = h;
            out[o + 4] = bestScore;
            boolean suppressed = false;
            for (int q = 0; q < kept && !suppressed; q++) {
                suppressed = centerDistance > 0f ? near(out, o, out, outOff + 5 * q, centerDistance) : iou(out, o, out, outOff + 5 * q) >= iouThreshold;
            }
            if (!suppressed) kept++;
        }
        if (kept < maxDetections) java.util.Arrays.fill(out, outOff + 5 * kept, outOff + 5 * kept + 5, 0f); // a suppressed last candidate
        return kept;
    }

    /**
     * Writes the best anchor's box (x, y, w, h, score) into row 0 of {@code out}, whatever its score: the one
     * detection of a frame that a presence head finds people in when no anchor passes the threshold.
     */
    public void writeBest(float[] scores, int sOff, float[] boxes, int bOff, float[] out, int outOff) {
        int best = 0;
        for (int k = 1; k < candidates(); k++) if (scores[sOff + k] > scores[sOff + best]) best = k;
        int cell = best / anchors, a = best % anchors, i = cell / gridW, j = cell % gridW, b = bOff + 4 * best;
        float w = anchorWh[2 * a] * FastMath.exp(Math.min(boxes[b + 2], 8f));
        float h = anchorWh[2 * a + 1] * FastMath.exp(Math.min(boxes[b + 3], 8f));
        out[outOff] = (j + 0.5f + boxes[b]) * strideX - w / 2;
        out[outOff + 1] = (i + 0.5f + boxes[b + 1]) * strideY - h / 2;
        out[outOff + 2] = w;
        out[outOff + 3] = h;
        out[outOff + 4] = FastMath.sigmoid(scores[sOff + best]);
    }

    /** Whether two (x, y, w, h) boxes' centres are closer than r in units of their mean width and height. */
    public static boolean near(float[] a, int ao, float[] b, int bo, float r) {
        float mw = 0.5f * (a[ao + 2] + b[bo + 2]), mh = 0.5f * (a[ao + 3] + b[bo + 3]);
        if (mw <= 0f || mh <= 0f) return false;
        float dx = (a[ao] + 0.5f * a[ao + 2] - b[bo] - 0.5f * b[bo + 2]) / mw;
        float dy = (a[ao + 1] + 0.5f * a[ao + 3] - b[bo + 1] - 0.5f * b[bo + 3]) / mh;
        return dx * dx + dy * dy < r * r;
    }

    /** Intersection over union of two (x, y, w, h) boxes. */
    public static float iou(float[] a, int ao, float[] b, int bo) {
        float x1 = Math.max(a[ao], b[bo]), y1 = Math.max(a[ao + 1], b[bo + 1]);
        float x2 = Math.min(a[ao] + a[ao + 2], b[bo] + b[bo + 2]), y2 = Math.min(a[ao + 1] + a[ao + 3], b[bo + 1] + b[bo + 3]);
        float inter = Math.max(0f, x2 - x1) * Math.max(0f, y2 - y1);
        float union = a[ao + 2] * a[ao + 3] + b[bo + 2] * b[bo + 3] - inter;
        return union <= 0f ? 0f : inter / union;
    }
}
