package dev.winnow.tools.detect;

import dev.winnow.tools.teacher.Picture;

/**
 * A picture as a grey-frame student's input, converted as the Flink frame operator
 * ({@code FramePreprocessor}) converts it: grey by the Rec. 601 luma weights, stretched to the
 * model's size by bilinear interpolation with half-pixel centres, scaled to [0, 1].
 */
final class GreyInput {
    private GreyInput() {}

    static void fill(Picture p, int outW, int outH, float[] out) {
        int w = p.width(), h = p.height(), c = p.channels();
        byte[] d = p.data();
        float sy = (float) h / outH, sx = (float) w / outW;
        for (int y = 0; y < outH; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            float wy = fy - y0;
            for (int x = 0; x < outW; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                float wx = fx - x0;
                float a = grey(d, (y0 * w + x0) * c, c), b = grey(d, (y0 * w + x1) * c, c);
                float e = grey(d, (y1 * w + x0) * c, c), f = grey(d, (y1 * w + x1) * c, c);
                out[y * outW + x] = ((a * (1 - wx) + b * wx) * (1 - wy) + (e * (1 - wx) + f * wx) * wy) / 255f;
            }
        }
    }

    private static float grey(byte[] d, int i, int c) {
        return c == 1 ? d[i] & 0xFF : 0.299f * (d[i] & 0xFF) + 0.587f * (d[i + 1] & 0xFF) + 0.114f * (d[i + 2] & 0xFF);
    }
}
