package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

/**
 * Max and average pooling over HWC windows. Average pooling divides by the number of window
 * positions inside the input (TFLite semantics), so padded edges are not pulled towards zero. int8
 * pooling keeps the input's scale and zero point, so it works on raw quantized values.
 */
public final class Pool2d {
    private Pool2d() {}

    public static long macs(ConvGeometry g) {
        return (long) g.outH() * g.outW() * g.outC() * g.kH() * g.kW();
    }

    private static void checkChannels(ConvGeometry g) {
        if (g.inC() != g.outC()) throw new IllegalArgumentException("pooling keeps the channel count");
    }

    /*
     * Each pooling walks the window positions inside the input only (ConvGeometry's first/end row and
     * column): padding is never read, and the count of an average is the clipped window's area.
     */

    public static void maxFloat32(ConvGeometry g, float[] in, int inOff, float[] out, int outOff) {
        checkChannels(g);
        final int c = g.outC();
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                int o = outOff + (oh * g.outW() + ow) * c;
                java.util.Arrays.fill(out, o, o + c, Float.NEGATIVE_INFINITY);
                for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                    for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                        int x = inputOffset(g, inOff, oh, ow, kh, kw);
                        for (int ch = 0; ch < c; ch++) out[o + ch] = Math.max(out[o + ch], in[x + ch]);
                    }
                }
            }
        }
    }

    public static void avgFloat32(ConvGeometry g, float[] in, int inOff, float[] out, int outOff) {
        checkChannels(g);
        final int c = g.outC();
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                int o = outOff + (oh * g.outW() + ow) * c;
                java.util.Arrays.fill(out, o, o + c, 0f);
                for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                    for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                        int x = inputOffset(g, inOff, oh, ow, kh, kw);
                        for (int ch = 0; ch < c; ch++) out[o + ch] += in[x + ch];
                    }
                }
                float inv = 1f / windowArea(g, oh, ow);
                for (int ch = 0; ch < c; ch++) out[o + ch] *= inv;
            }
        }
    }

    public static void maxInt8(ConvGeometry g, byte[] in, int inOff, byte[] out, int outOff) {
        checkChannels(g);
        final int c = g.outC();
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                int o = outOff + (oh * g.outW() + ow) * c;
                java.util.Arrays.fill(out, o, o + c, Byte.MIN_VALUE);
                for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                    for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                        int x = inputOffset(g, inOff, oh, ow, kh, kw);
                        for (int ch = 0; ch < c; ch++) if (in[x + ch] > out[o + ch]) out[o + ch] = in[x + ch];
                    }
                }
            }
        }
    }

    /** Average with round-half-away-from-zero, as TFLite's reference int8 average pool. */
    public static void avgInt8(ConvGeometry g, byte[] in, int inOff, byte[] out, int outOff) {
        checkChannels(g);
        final int c = g.outC();
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                int o = outOff + (oh * g.outW() + ow) * c, count = windowArea(g, oh, ow);
                for (int ch = 0; ch < c; ch++) {
                    int sum = 0;
                    for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                        for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) sum += in[inputOffset(g, inOff, oh, ow, kh, kw) + ch];
                    }
                    out[o + ch] = (byte) roundedMean(sum, count);
                }
            }
        }
    }

    /** Where window tap (kh, kw) of output pixel (oh, ow) starts in the input. */
    private static int inputOffset(ConvGeometry g, int inOff, int oh, int ow, int kh, int kw) {
        int ih = oh * g.strideH() - g.padTop() + kh, iw = ow * g.strideW() - g.padLeft() + kw;
        return inOff + (ih * g.inW() + iw) * g.inC();
    }

    /** How many window positions of output pixel (oh, ow) lie inside the input. */
    private static int windowArea(ConvGeometry g, int oh, int ow) {
        return Math.max(0, g.endRow(oh) - g.firstRow(oh)) * Math.max(0, g.endColumn(ow) - g.firstColumn(ow));
    }

    /** sum / count rounded half away from zero, as TFLite's int8 averages. */
    private static int roundedMean(int sum, int count) {
        return sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    }

    /** Mean over H and W of an HWC tensor: [H,W,C] -> [C]. */
    public static void globalAvgFloat32(int h, int w, int c, float[] in, int inOff, float[] out, int outOff) {
        java.util.Arrays.fill(out, outOff, outOff + c, 0f);
        for (int p = 0; p < h * w; p++) {
            int x = inOff + p * c;
            for (int ch = 0; ch < c; ch++) out[outOff + ch] += in[x + ch];
        }
        float inv = 1f / (h * w);
        for (int ch = 0; ch < c; ch++) out[outOff + ch] *= inv;
    }

    /** int8 global average keeping the input's quantization parameters. */
    public static void globalAvgInt8(int h, int w, int c, byte[] in, int inOff, byte[] out, int outOff) {
        int count = h * w;
        for (int ch = 0; ch < c; ch++) {
            int sum = 0;
            for (int p = 0; p < count; p++) sum += in[inOff + p * c + ch];
            out[outOff + ch] = (byte) roundedMean(sum, count);
        }
    }
}
