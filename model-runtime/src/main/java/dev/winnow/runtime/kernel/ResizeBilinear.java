package dev.winnow.runtime.kernel;

/**
 * Bilinear resize of an HWC float tensor with TensorFlow's {@code ResizeBilinear} semantics
 * (tensorflow/core/kernels/image/resize_bilinear_op.cc, {@code compute_interpolation_weights}; the
 * same as tfjs-backend-cpu's {@code resizeBilinear}): scale = in/out, or (in−1)/(out−1) with
 * {@code align_corners} and out > 1; source = o·scale, or (o + ½)·scale − ½ with
 * {@code half_pixel_centers}; lower = max(floor(source), 0), upper = min(ceil(source), in − 1),
 * weight = source − floor(source); {@code top + (bottom − top)·dy} of {@code left + (right − left)·dx}.
 * Indices and weights are computed once; {@link #run} allocates nothing. Thread safe.
 */
public final class ResizeBilinear {
    private final int inH, inW, c, outH, outW;
    private final int[] y0, y1, x0, x1;
    private final float[] fy, fx;

    public ResizeBilinear(int inH, int inW, int channels, int outH, int outW, boolean alignCorners, boolean halfPixelCenters) {
        if (inH < 1 || inW < 1 || channels < 1 || outH < 1 || outW < 1) throw new IllegalArgumentException("sizes must be positive");
        this.inH = inH;
        this.inW = inW;
        this.c = channels;
        this.outH = outH;
        this.outW = outW;
        y0 = new int[outH];
        y1 = new int[outH];
        fy = new float[outH];
        x0 = new int[outW];
        x1 = new int[outW];
        fx = new float[outW];
        weights(inH, outH, alignCorners, halfPixelCenters, y0, y1, fy);
        weights(inW, outW, alignCorners, halfPixelCenters, x0, x1, fx);
    }

    /**
     * The source rows (or columns) and blend weights of a resize of one axis from {@code in} to
     * {@code out}, by the rules above: {@code lo[o]} and {@code hi[o]} the two source indices of output
     * {@code o}, {@code frac[o]} the weight of {@code hi}. Also what the trainer's resize uses, so a
     * trained model's resize is the runtime's to the bit. Pure: any thread, on arrays it owns.
     */
    public static void weights(int in, int out, boolean align, boolean half, int[] lo, int[] hi, float[] frac) {
        float scale = align && out > 1 ? (in - 1) / (float) (out - 1) : in / (float) out;
        for (int o = 0; o < out; o++) {
            float src = half ? (o + 0.5f) * scale - 0.5f : o * scale;
            float fl = (float) Math.floor(src);
            lo[o] = Math.max((int) fl, 0);
            hi[o] = Math.min((int) Math.ceil(src), in - 1);
            frac[o] = src - fl;
        }
    }

    public static long macs(int outH, int outW, int channels) {
        return 3L * outH * outW * channels;
    }

    public void run(float[] in, int inOff, float[] out, int outOff) {
        for (int y = 0; y < outH; y++) {
            int r0 = inOff + y0[y] * inW * c, r1 = inOff + y1[y] * inW * c;
            float dy = fy[y];
            int o = outOff + y * outW * c;
            for (int x = 0; x < outW; x++) {
                int a = x0[x] * c, b = x1[x] * c;
                float dx = fx[x];
                for (int k = 0; k < c; k++) {
                    float tl = in[r0 + a + k], tr = in[r0 + b + k], bl = in[r1 + a + k], br = in[r1 + b + k];
                    float top = tl + (tr - tl) * dx, bottom = bl + (br - bl) * dx;
                    out[o + x * c + k] = top + (bottom - top) * dy;
                }
            }
        }
    }
}
