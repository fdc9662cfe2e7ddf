package dev.winnow.tools.detect;

import dev.winnow.tools.nn.Tensor;
import java.util.List;

/**
 * The detection loss on the head's per-anchor outputs. Score: CenterNet's focal loss (Law and Deng;
 * Zhou et al.) — the (sub-)cell holding a person's centre is positive, −(1−p)² log p; every other cell is
 * negative, −(1−Y)⁴ p² log(1−p), where Y is a Gaussian bump around each centre, so near misses cost
 * little. The bump's σ is {@link #SIGMA} sub-cells, or (adaptive, {@code detector train --adaptive-sigma})
 * CenterNet's size-adaptive σ when that is wider ({@link #sigma}): with a fixed σ, every cell of a person 150 pixels tall but the few at its centre was a
 * full negative, and the student learned to call the body of a large person background. Box: L1 on (dx, dy, tw, th) of positive cells; dx, dy are the
 * centre's offset from the cell centre in cells, tw, th the log of the size over the anchor. Both
 * terms are divided by the number of positives (at least 1). Writes the gradients into the output
 * tensors and returns {score loss, box loss}.
 */
public final class DetectionLoss {
    public static final float SIGMA = 0.8f;
    public static final float BOX_WEIGHT = 1f;

    private DetectionLoss() {}

    /** One anchor per cell when scores have one channel, else {@code scores.c} anchors side by side (subX = A). */
    public static double[] apply(Tensor scores, Tensor boxes, List<float[]> truth, float anchorW, float anchorH) {
        return apply(scores, boxes, truth, anchorW, anchorH, scores.c);
    }

    /**
     * Scores [gh, gw, A] and boxes [gh, gw, 4A] with A = subX·subY anchors per cell: anchor
     * (sy, sx) of cell (i, j) is the sub-cell (i·subY + sy, j·subX + sx) of a finer virtual grid, which
     * is where positives, the Gaussian bump and ownership are laid out; box targets stay relative to
     * the cell centre in cells (what the runtime's detect node decodes).
     */
    public static double[] apply(Tensor scores, Tensor boxes, List<float[]> truth, float anchorW, float anchorH, int subX) {
        return apply(scores, boxes, truth, anchorW, anchorH, subX, false);
    }

    /** With {@code adaptiveSigma}, each person's bump takes {@link #sigma}; without, every bump has {@link #SIGMA}. */
    public static double[] apply(Tensor scores, Tensor boxes, List<float[]> truth, float anchorW, float anchorH, int subX, boolean adaptiveSigma) {
        final int gh = scores.h, gw = scores.w, A = scores.c, subY = A / subX;
        if (subX * subY != A || boxes.c != 4 * A) throw new IllegalArgumentException("scores " + scores + " and boxes " + boxes + " do not fit " + subX + " anchors across");
        final float cellH = (float) DetectorNet.IN_H / gh, cellW = (float) DetectorNet.IN_W / gw;
        final int vh = gh * subY, vw = gw * subX;
        final float vcH = cellH / subY, vcW = cellW / subX;
        float[] bump = new float[vh * vw];
        int[] owner = new int[vh * vw];
        java.util.Arrays.fill(owner, -1);
        float[] ownerArea = new float[vh * vw];
        for (int n = 0; n < truth.size(); n++) {
            float[] b = truth.get(n);
            float cx = (b[0] + b[2] / 2) / vcW, cy = (b[1] + b[3] / 2) / vcH;
            int j = Math.min(vw - 1, Math.max(0, (int) cx)), i = Math.min(vh - 1, Math.max(0, (int) cy));
            if (b[2] * b[3] > ownerArea[i * vw + j]) {
                owner[i * vw + j] = n;
                ownerArea[i * vw + j] = b[2] * b[3];
            }
            float sigma = adaptiveSigma ? sigma(b[3] / vcH, b[2] / vcW) : SIGMA;
            int reach = Math.max(3, (int) Math.ceil(3 * sigma));
            for (int y = Math.max(0, i - reach); y < Math.min(vh, i + reach + 1); y++)
                for (int x = Math.max(0, j - reach); x < Math.min(vw, j + reach + 1); x++) {
                    float dy = y + 0.5f - cy, dx = x + 0.5f - cx;
                    bump[y * vw + x] = Math.max(bump[y * vw + x], (float) Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)));
                }
        }
        int npos = 0;
        for (int o : owner) if (o >= 0) npos++;
        float norm = 1f / Math.max(1, npos);
        double sl = 0, bl = 0;
        float[] gs = scores.grad(), gb = boxes.grad();
        for (int v = 0; v < vh * vw; v++) {
            int vi = v / vw, vj = v % vw, i = vi / subY, j = vj / subX;
            int k = (i * gw + j) * A + (vi % subY) * subX + vj % subX;
            float s = scores.data[k];
            float p = sigmoid(s);
            p = Math.min(1f - 1e-6f, Math.max(1e-6f, p));
            if (owner[v] >= 0) {
                float q = 1f - p;
                sl += -q * q * Math.log(p) * norm;
                gs[k] += (float) ((2 * p * q * q * Math.log(p) - q * q * q) * norm);
                float[] b = truth.get(owner[v]);
                float[] t = {
                    (b[0] + b[2] / 2) / cellW - (j + 0.5f),
                    (b[1] + b[3] / 2) / cellH - (i + 0.5f),
                    (float) Math.log(Math.max(1f, b[2]) / anchorW),
                    (float) Math.log(Math.max(1f, b[3]) / anchorH)};
                for (int c = 0; c < 4; c++) {
                    float d = boxes.data[4 * k + c] - t[c];
                    bl += BOX_WEIGHT * Math.abs(d) * norm;
                    gb[4 * k + c] += BOX_WEIGHT * Math.signum(d) * norm;
                }
            } else {
                float w = 1f - bump[v];
                w = w * w * w * w;
                sl += -w * p * p * Math.log(1 - p) * norm;
                gs[k] += (float) (-w * (2 * p * p * (1 - p) * Math.log(1 - p) - p * p * p) * norm);
            }
        }
        return new double[] {sl, bl};
    }

    /**
     * The bump's σ in sub-cells for a box {@code h} x {@code w} sub-cells: {@link #SIGMA}, or CenterNet's when wider.
     * CenterNet (Zhou et al. 2019, after CornerNet's {@code gaussian_radius} with minimum overlap 0.7, as its reference
     * code computes it) takes the radius r within which a shifted box keeps IoU 0.7 with the true one, the smallest of
     * three cases' roots, truncates it, and draws the Gaussian with σ = (2r + 1) / 6. For the plaza's pedestrians
     * (about 2 x 4 sub-cells) r is 0 and {@link #SIGMA} stays; a person 150 x 100 pixels gets σ = 1.5 sub-cells.
     */
    static float sigma(float h, float w) {
        final double overlap = 0.7;
        double b1 = h + w, c1 = w * h * (1 - overlap) / (1 + overlap);
        double r1 = (b1 + Math.sqrt(b1 * b1 - 4 * c1)) / 2;
        double b2 = 2 * (h + w), c2 = (1 - overlap) * w * h;
        double r2 = (b2 + Math.sqrt(b2 * b2 - 16 * c2)) / 2;
        double a3 = 4 * overlap, b3 = -2 * overlap * (h + w), c3 = (overlap - 1) * w * h;
        double r3 = (b3 + Math.sqrt(b3 * b3 - 4 * a3 * c3)) / 2;
        int r = (int) Math.max(0, Math.min(r1, Math.min(r2, r3)));
        return Math.max(SIGMA, (2 * r + 1) / 6f);
    }

    static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }
}
