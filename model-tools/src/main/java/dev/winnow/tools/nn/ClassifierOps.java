package dev.winnow.tools.nn;

import dev.winnow.runtime.kernel.base.ConvGeometry;

/**
 * Differentiable operations a classifier needs on top of {@link Ops}: dense layers, max, average and
 * global-average pooling, and the softmax cross-entropy loss. Semantics follow the runtime's nodes:
 * {@code dense} reads its input flat (HWC order) with weights [O, I] row-major; pools use TensorFlow
 * SAME padding ({@link ConvGeometry#same}) and average pooling divides by the window positions that
 * fall inside the input.
 */
public final class ClassifierOps {
    private ClassifierOps() {}

    /** y = W x + b over the flattened input; {@code w} is [O, I], {@code b} [O]; output is [1, 1, O]. */
    public static Tensor dense(Tape t, Tensor x, Param w, Param b) {
        final int out = w.shape[0], in = w.shape[1];
        if (in != x.size()) throw new IllegalArgumentException("dense " + java.util.Arrays.toString(w.shape) + " for input " + x);
        Tensor y = new Tensor(1, 1, out);
        final float[] X = x.data, W = w.w, Y = y.data;
        for (int o = 0; o < out; o++) {
            float s = b.w[o];
            int r = o * in;
            for (int i = 0; i < in; i++) s += W[r + i] * X[i];
            Y[o] = s;
        }
        t.record(() -> {
            final float[] gy = y.grad(), gx = x.grad(), gw = w.grad(t.worker), gb = b.grad(t.worker);
            for (int o = 0; o < out; o++) {
                float g = gy[o];
                if (g == 0f) continue;
                gb[o] += g;
                int r = o * in;
                for (int i = 0; i < in; i++) {
                    gw[r + i] += g * X[i];
                    gx[i] += g * W[r + i];
                }
            }
        });
        return y;
    }

    /** Max pooling, SAME padding; the gradient goes to the first maximum of each window. */
    public static Tensor maxPool(Tape t, Tensor x, int size, int stride) {
        final int c = x.c;
        ConvGeometry g = ConvGeometry.same(x.h, x.w, c, c, size, size, stride, stride);
        Tensor y = new Tensor(g.outH(), g.outW(), c);
        final int[] arg = new int[y.size()];
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                int o = (oh * g.outW() + ow) * c;
                java.util.Arrays.fill(y.data, o, o + c, Float.NEGATIVE_INFINITY);
                for (int kh = 0; kh < size; kh++) {
                    int ih = oh * stride - g.padTop() + kh;
                    if (ih < 0 || ih >= x.h) continue;
                    for (int kw = 0; kw < size; kw++) {
                        int iw = ow * stride - g.padLeft() + kw;
                        if (iw < 0 || iw >= x.w) continue;
                        int xb = (ih * x.w + iw) * c;
                        for (int ch = 0; ch < c; ch++) {
                            if (x.data[xb + ch] > y.data[o + ch]) {
                                y.data[o + ch] = x.data[xb + ch];
                                arg[o + ch] = xb + ch;
                            }
                        }
                    }
                }
            }
        }
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gy.length; i++) gx[arg[i]] += gy[i];
        });
        return y;
    }

    /** Average pooling, SAME padding, divided by the number of window positions inside the input. */
    public static Tensor avgPool(Tape t, Tensor x, int size, int stride) {
        final int c = x.c;
        ConvGeometry g = ConvGeometry.same(x.h, x.w, c, c, size, size, stride, stride);
        Tensor y = new Tensor(g.outH(), g.outW(), c);
        forEachWindow(g, x, size, stride, (o, xb, inv) -> {
            for (int ch = 0; ch < c; ch++) y.data[o + ch] += x.data[xb + ch] * inv;
        });
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            forEachWindow(g, x, size, stride, (o, xb, inv) -> {
                for (int ch = 0; ch < c; ch++) gx[xb + ch] += gy[o + ch] * inv;
            });
        });
        return y;
    }

    private interface WindowVisitor {
        void visit(int outBase, int inBase, float inverseCount);
    }

    private static void forEachWindow(ConvGeometry g, Tensor x, int size, int stride, WindowVisitor v) {
        for (int oh = 0; oh < g.outH(); oh++) {
            int h0 = Math.max(0, oh * stride - g.padTop()), h1 = Math.min(x.h, oh * stride - g.padTop() + size);
            for (int ow = 0; ow < g.outW(); ow++) {
                int w0 = Math.max(0, ow * stride - g.padLeft()), w1 = Math.min(x.w, ow * stride - g.padLeft() + size);
                float inv = 1f / ((h1 - h0) * (w1 - w0));
                int o = (oh * g.outW() + ow) * x.c;
                for (int ih = h0; ih < h1; ih++)
                    for (int iw = w0; iw < w1; iw++) v.visit(o, (ih * x.w + iw) * x.c, inv);
            }
        }
    }

    /** Mean over H and W: [H, W, C] → [1, 1, C]. */
    public static Tensor globalAvgPool(Tape t, Tensor x) {
        final int c = x.c, n = x.h * x.w;
        final float inv = 1f / n;
        Tensor y = new Tensor(1, 1, c);
        for (int p = 0; p < n; p++)
            for (int ch = 0; ch < c; ch++) y.data[ch] += x.data[p * c + ch];
        for (int ch = 0; ch < c; ch++) y.data[ch] *= inv;
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            for (int p = 0; p < n; p++)
                for (int ch = 0; ch < c; ch++) gx[p * c + ch] += gy[ch] * inv;
        });
        return y;
    }

    /**
     * Mean and maximum over H and W side by side: [H, W, C] → [1, 1, 2C], the means first (as the runtime's
     * {@code avg_pool2d} and {@code max_pool2d} over the whole grid, then {@code concat}). The maximum's gradient
     * goes to the first maximum of each channel.
     */
    public static Tensor globalAvgMaxPool(Tape t, Tensor x) {
        final int c = x.c, n = x.h * x.w;
        final float inv = 1f / n;
        Tensor y = new Tensor(1, 1, 2 * c);
        final int[] arg = new int[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            float m = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < n; p++) {
                float v = x.data[p * c + ch];
                s += v;
                if (v > m) {
                    m = v;
                    arg[ch] = p * c + ch;
                }
            }
            y.data[ch] = (float) (s * inv);
            y.data[c + ch] = m;
        }
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            for (int ch = 0; ch < c; ch++) {
                float g = gy[ch] * inv;
                if (g != 0f) for (int p = 0; p < n; p++) gx[p * c + ch] += g;
                gx[arg[ch]] += gy[c + ch];
            }
        });
        return y;
    }

    /** Softmax probabilities of a logit vector (max-subtracted, in double). */
    public static float[] softmax(float[] logits) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (float v : logits) m = Math.max(m, v);
        double[] e = new double[logits.length];
        for (int i = 0; i < e.length; i++) s += e[i] = Math.exp(logits[i] - m);
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) p[i] = (float) (e[i] / s);
        return p;
    }

    /**
     * Cross-entropy of softmax(logits) against {@code label}, with optional label smoothing
     * ({@code smoothing} of the mass spread evenly over all classes). Adds d loss / d logits to the
     * logits' gradient (so call it before {@link Tape#backward}) and returns the loss.
     */
    public static double softmaxCrossEntropy(Tensor logits, int label, float smoothing) {
        float[] p = softmax(logits.data);
        int k = p.length;
        float[] g = logits.grad();
        double loss = 0;
        for (int i = 0; i < k; i++) {
            double target = (i == label ? 1.0 - smoothing : 0.0) + smoothing / k;
            if (target > 0) loss -= target * Math.log(Math.max(p[i], 1e-30));
            g[i] += (float) (p[i] - target);
        }
        return loss;
    }

    /** Index of the largest value (the first on ties). */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
