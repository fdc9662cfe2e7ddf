package dev.winnow.tools.detect;

import dev.winnow.tools.nn.Tensor;
import java.util.List;

/**
 * The detection loss on the head's per-cell outputs. Score: CenterNet's focal loss (Law and Deng;
 * Zhou et al.) — the cell holding a person's centre is positive, −(1−p)² log p; every other cell is
 * negative, −(1−Y)⁴ p² log(1−p), where Y is a Gaussian bump (σ = {@link #SIGMA} cells) around each
 * centre, so near misses cost little. Box: L1 on (dx, dy, tw, th) of positive cells; dx, dy are the
 * centre's offset from the cell centre in cells, tw, th the log of the size over the anchor. Both
 * terms are divided by the number of positives (at least 1). Writes the gradients into the output
 * tensors and returns {score loss, box loss}.
 */
public final class DetectionLoss {
    public static final float SIGMA = 0.8f;
    public static final float BOX_WEIGHT = 1f;

    private DetectionLoss() {}

    public static double[] apply(Tensor scores, Tensor boxes, List<float[]> truth, float anchorW, float anchorH) {
        final int gh = scores.h, gw = scores.w;
        final float cellH = (float) DetectorNet.IN_H / gh, cellW = (float) DetectorNet.IN_W / gw;
        float[] bump = new float[gh * gw];
        int[] owner = new int[gh * gw];
        java.util.Arrays.fill(owner, -1);
        float[] ownerArea = new float[gh * gw];
        for (int n = 0; n < truth.size(); n++) {
            float[] b = truth.get(n);
            float cx = (b[0] + b[2] / 2) / cellW, cy = (b[1] + b[3] / 2) / cellH;
            int j = Math.min(gw - 1, Math.max(0, (int) cx)), i = Math.min(gh - 1, Math.max(0, (int) cy));
            if (b[2] * b[3] > ownerArea[i * gw + j]) {
                owner[i * gw + j] = n;
                ownerArea[i * gw + j] = b[2] * b[3];
            }
            for (int y = Math.max(0, i - 3); y < Math.min(gh, i + 4); y++)
                for (int x = Math.max(0, j - 3); x < Math.min(gw, j + 4); x++) {
                    float dy = y + 0.5f - cy, dx = x + 0.5f - cx;
                    bump[y * gw + x] = Math.max(bump[y * gw + x], (float) Math.exp(-(dx * dx + dy * dy) / (2 * SIGMA * SIGMA)));
                }
        }
        int npos = 0;
        for (int o : owner) if (o >= 0) npos++;
        float norm = 1f / Math.max(1, npos);
        double sl = 0, bl = 0;
        float[] gs = scores.grad(), gb = boxes.grad();
        for (int k = 0; k < gh * gw; k++) {
            float s = scores.data[k];
            float p = sigmoid(s);
            p = Math.min(1f - 1e-6f, Math.max(1e-6f, p));
            if (owner[k] >= 0) {
                float q = 1f - p;
                sl += -q * q * Math.log(p) * norm;
                gs[k] += (float) ((2 * p * q * q * Math.log(p) - q * q * q) * norm);
                float[] b = truth.get(owner[k]);
                int i = k / gw, j = k % gw;
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
                float w = 1f - bump[k];
                w = w * w * w * w;
                sl += -w * p * p * Math.log(1 - p) * norm;
                gs[k] += (float) (-w * (2 * p * p * (1 - p) * Math.log(1 - p) - p * p * p) * norm);
            }
        }
        return new double[] {sl, bl};
    }

    static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }
}
