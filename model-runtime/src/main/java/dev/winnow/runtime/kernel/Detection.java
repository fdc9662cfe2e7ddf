package dev.winnow.runtime.kernel;

/**
 * Decodes a dense detection head and keeps the best boxes by greedy non-maximum suppression.
 *
 * <p>The head predicts, per grid cell (i, j) and anchor a of size (aw, ah) pixels, a score logit and
 * a box offset (dx, dy, tw, th): centre ((j + 0.5 + dx)·strideX, (i + 0.5 + dy)·strideY), size
 * (aw·e^tw, ah·e^th). Candidates whose sigmoid score passes the threshold are visited best first; a
 * candidate is kept when its IoU with every kept box is below the IoU threshold. Output rows are
 * (x, y, w, h, score) with (x, y) the top-left corner, best first; unused rows are zero.
 */
public final class Detection {
    private final int gridH, gridW, anchors;
    private final float[] anchorWh;
    private final float strideX, strideY, scoreThreshold, iouThreshold;
    private final int maxDetections;

    public Detection(int gridH, int gridW, float[] anchorWh, int inputH, int inputW, float scoreThreshold, float iouThreshold, int maxDetections) {
        if (anchorWh.length == 0 || anchorWh.length % 2 != 0) throw new IllegalArgumentException("anchors are (w, h) pairs");
        if (maxDetections < 1) throw new IllegalArgumentException("max detections must be >= 1");
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

    /** Floats of scratch: the decoded candidates (5 each). */
    public int scratchSize() {
        return 5 * candidates();
    }

    /**
     * Scores are logits [H, W, A]; boxes are [H, W, 4A]. Writes {@code maxDetections} rows of 5 and
     * returns how many are real.
     */
    public int run(float[] scores, int sOff, float[] boxes, int bOff, float[] out, int outOff, float[] s, int scratchOff) {
        int n = candidates();
        for (int k = 0; k < n; k++) {
            int cell = k / anchors, a = k % anchors, i = cell / gridW, j = cell % gridW;
            float score = FastMath.sigmoid(scores[sOff + k]);
            int c = scratchOff + 5 * k;
            if (score < scoreThreshold) {
                s[c + 4] = -1f;
                continue;
            }
            int b = bOff + 4 * k;
            float w = anchorWh[2 * a] * FastMath.exp(Math.min(boxes[b + 2], 8f));
            float h = anchorWh[2 * a + 1] * FastMath.exp(Math.min(boxes[b + 3], 8f));
            s[c] = (j + 0.5f + boxes[b]) * strideX - w / 2;
            s[c + 1] = (i + 0.5f + boxes[b + 1]) * strideY - h / 2;
            s[c + 2] = w;
            s[c + 3] = h;
            s[c + 4] = score;
        }
        java.util.Arrays.fill(out, outOff, outOff + 5 * maxDetections, 0f);
        int kept = 0;
        while (kept < maxDetections) {
            int best = -1;
            float bestScore = -1f;
            for (int k = 0; k < n; k++) {
                float sc = s[scratchOff + 5 * k + 4];
                if (sc > bestScore) {
                    bestScore = sc;
                    best = k;
                }
            }
            if (best < 0 || bestScore < 0f) break;
            int c = scratchOff + 5 * best;
            s[c + 4] = -1f; // visited
            boolean suppressed = false;
            for (int q = 0; q < kept && !suppressed; q++) {
                suppressed = iou(s, c, out, outOff + 5 * q) >= iouThreshold;
            }
            if (suppressed) continue;
            int o = outOff + 5 * kept++;
            out[o] = s[c];
            out[o + 1] = s[c + 1];
            out[o + 2] = s[c + 2];
            out[o + 3] = s[c + 3];
            out[o + 4] = bestScore;
        }
        return kept;
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
