package dev.winnow.runtime.image;

/**
 * The one conversion of an 8-bit frame into a model's input plane, shared by the Flink frame
 * operator ({@code FramePreprocessor}) and the tools that train and score students on footage, so
 * that a student sees in training exactly what it sees in a job: grey by the Rec. 601 luma weights
 * (0.299 R + 0.587 G + 0.114 B), resized bilinearly with half-pixel centres (as OpenCV's
 * INTER_LINEAR), each value then {@code v · scale − mean} over {@code std}.
 *
 * <p>Stateless; the caller owns every buffer, so the conversion allocates nothing.
 */
public final class FrameResize {
    private FrameResize() {}

    /** Rec. 601 luma of one RGB sample, on the 0..255 scale. */
    public static float luma(int r, int g, int b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /**
     * The source as floats, {@code outC} per pixel: luma when {@code outC} is 1 and the source has 3
     * channels, the samples themselves otherwise (grey repeated when a grey source feeds 3 channels).
     * {@code plane} holds at least w·h·outC values.
     */
    public static void toPlane(byte[] src, int w, int h, int srcC, int outC, float[] plane) {
        int n = w * h;
        if (outC == 1) {
            if (srcC == 1) for (int i = 0; i < n; i++) plane[i] = src[i] & 0xFF;
            else for (int i = 0; i < n; i++) plane[i] = luma(src[3 * i] & 0xFF, src[3 * i + 1] & 0xFF, src[3 * i + 2] & 0xFF);
        } else {
            for (int i = 0; i < n; i++)
                for (int c = 0; c < 3; c++) plane[3 * i + c] = srcC == 1 ? src[i] & 0xFF : src[3 * i + c] & 0xFF;
        }
    }

    /**
     * {@link #toPlane} for 3-channel samples stored blue, green, red (ImageIO's decoded colour JPEGs):
     * {@code n} pixels, luma when {@code outC} is 1, else red, green, blue.
     */
    public static void bgrToPlane(byte[] bgr, int n, int outC, float[] plane) {
        if (outC == 1) {
            for (int i = 0; i < n; i++) plane[i] = luma(bgr[3 * i + 2] & 0xFF, bgr[3 * i + 1] & 0xFF, bgr[3 * i] & 0xFF);
        } else {
            for (int i = 0; i < n; i++) {
                plane[3 * i] = bgr[3 * i + 2] & 0xFF;
                plane[3 * i + 1] = bgr[3 * i + 1] & 0xFF;
                plane[3 * i + 2] = bgr[3 * i] & 0xFF;
            }
        }
    }

    /**
     * Bilinear resize (half-pixel centres) of a w x h plane with {@code c} channels onto a fitW x fitH
     * area of an output that is {@code outW} pixels wide, placed at (offX, offY); every value is written
     * as {@code (v · scale − mean[c]) · invStd[c]}. Pixels outside the area are not touched.
     *
     * <p>When the area has the plane's own size every sample lands on a source pixel with weight 0 on
     * its neighbours, so the bilinear sum is that pixel exactly (for finite samples); that case, a
     * camera already sending the model's size, skips the interpolation and gives the same bits.
     */
    public static void resize(float[] plane, int w, int h, int c, float[] out, int off, int outW, int fitW, int fitH, int offX, int offY,
                              float scale, float[] mean, float[] invStd) {
        if (fitW == w && fitH == h) {
            copyNormalised(plane, w, h, c, out, off, outW, offX, offY, scale, mean, invStd);
            return;
        }
        float sy = (float) h / fitH, sx = (float) w / fitW;
        for (int y = 0; y < fitH; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            float wy = fy - y0;
            for (int x = 0; x < fitW; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                float wx = fx - x0;
                for (int k = 0; k < c; k++) {
                    float a = plane[(y0 * w + x0) * c + k], b = plane[(y0 * w + x1) * c + k];
                    float d = plane[(y1 * w + x0) * c + k], e = plane[(y1 * w + x1) * c + k];
                    float v = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
                    out[off + ((y + offY) * outW + x + offX) * c + k] = (v * scale - mean[k]) * invStd[k];
                }
            }
        }
    }

    private static void copyNormalised(float[] plane, int w, int h, int c, float[] out, int off, int outW, int offX, int offY,
                                       float scale, float[] mean, float[] invStd) {
        int rowLen = w * c;
        for (int y = 0; y < h; y++) {
            int src = y * rowLen, dst = off + ((y + offY) * outW + offX) * c;
            if (c == 1) {
                float m = mean[0], is = invStd[0];
                for (int i = 0; i < rowLen; i++) out[dst + i] = (plane[src + i] * scale - m) * is;
            } else {
                for (int i = 0; i < rowLen; i++) out[dst + i] = (plane[src + i] * scale - mean[i % c]) * invStd[i % c];
            }
        }
    }

    private static final float[] ZERO = {0f}, ONE = {1f};

    /**
     * A grey student's input: the frame grey, stretched to outW x outH, in [0, 1] (scale 1/255, no mean or
     * std), as {@code FramePreprocessor} feeds a model whose input spec has one channel and the default
     * preprocessing. {@code plane} holds at least w·h floats.
     */
    public static void greyStretch(byte[] src, int w, int h, int srcC, int outW, int outH, float[] out, float[] plane) {
        toPlane(src, w, h, srcC, 1, plane);
        resize(plane, w, h, 1, out, 0, outW, outW, outH, 0, 0, 1f / 255, ZERO, ONE);
    }
}
