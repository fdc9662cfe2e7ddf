package dev.winnow.tools.train;

import dev.winnow.tools.model.TensorEncoding;

/**
 * The forward values of quantization-aware training: a master weight in double precision is seen
 * by the forward pass as the value its encoding will store (the same scale rule as the exporter:
 * clip·max|row|/levels, symmetric, or sign × mean|row| for binary), and its gradient passes
 * straight through (the straight-through estimator of Bengio et al. 2013, as in XNOR-Net and
 * TFLite's quantization-aware training). Codebooks and float32 pass through unchanged here.
 */
public final class FakeQuant {
    private FakeQuant() {}

    /** Writes the forward values of {@code src} ([rows][…]) under {@code e} into {@code dst}; returns the last row's scale (per tensor: the scale). */
    public static double apply(double[] src, double[] dst, int rows, TensorEncoding e) {
        int per = src.length / rows;
        double last = 1;
        switch (e.kind()) {
            case INT8: {
                int n = e.perRow() ? rows : 1, len = e.perRow() ? per : src.length, levels = e.levels(), mult = 127 / levels;
                for (int r = 0; r < n; r++) {
                    double m = 0;
                    for (int i = 0; i < len; i++) m = Math.max(m, Math.abs(src[r * len + i]));
                    // the exporter's arithmetic (FamilyArtifacts.quantize), in float, so training sees the stored values
                    float s = m > 0 ? (float) ((float) m * e.clip() / ((double) levels * mult)) : 1f, step = s * mult;
                    for (int i = 0; i < len; i++) {
                        long q = Math.round((float) src[r * len + i] / step);
                        dst[r * len + i] = (double) (mult * Math.max(-levels, Math.min(levels, q))) * s;
                    }
                    last = s;
                }
                return last;
            }
            case BINARY: {
                for (int r = 0; r < rows; r++) {
                    double sum = 0;
                    for (int i = 0; i < per; i++) sum += Math.abs((float) src[r * per + i]);
                    float a = sum > 0 ? (float) (sum / per) : 1e-8f;
                    for (int i = 0; i < per; i++) dst[r * per + i] = src[r * per + i] >= 0 ? a : -a;
                    last = a;
                }
                return last;
            }
            default:
                System.arraycopy(src, 0, dst, 0, src.length);
                return 1;
        }
    }

    /** Rounds a projection coordinate to {@code scale}'s grid, saturating at ±limit steps (as the int8 ProtoNN kernel does). */
    public static double round(double v, double scale, int limit) {
        double q = Math.round(v / scale);
        return Math.max(-limit, Math.min(limit, q)) * scale;
    }
}
