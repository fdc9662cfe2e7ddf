package dev.winnow.tools.nn;

import dev.winnow.runtime.kernel.base.ConvGeometry;

/**
 * Differentiable operations over HWC tensors. Each runs forwards and records its backward step on
 * the tape. Convolutions use TensorFlow SAME padding (the runtime's {@link ConvGeometry#same}); conv
 * filters are kept HWIO ([kH][kW][I][O]) so the inner loops run over contiguous output channels, and
 * are transposed to the runtime's OHWI on export.
 */
public final class Ops {
    private Ops() {}

    /** 2-D convolution; {@code w} is [kH, kW, I, O] (HWIO), {@code b} [O]. */
    public static Tensor conv2d(Tape t, Tensor x, Param w, Param b, int k, int stride) {
        final int oc = w.shape[3], ic = x.c;
        if (w.shape[2] != ic || w.shape[0] != k || w.shape[1] != k) throw new IllegalArgumentException("filter " + java.util.Arrays.toString(w.shape) + " for input " + x);
        ConvGeometry g = ConvGeometry.same(x.h, x.w, ic, oc, k, k, stride, stride);
        Tensor y = new Tensor(g.outH(), g.outW(), oc);
        final float[] in = x.data, out = y.data, W = w.w, B = b.w;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * stride - g.padTop();
            for (int ow = 0; ow < g.outW(); ow++) {
                int iw0 = ow * stride - g.padLeft();
                int o = (oh * g.outW() + ow) * oc;
                System.arraycopy(B, 0, out, o, oc);
                for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                    int ih = ih0 + kh;
                    for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                        int iw = iw0 + kw;
                        int xb = (ih * x.w + iw) * ic, wb = (kh * k + kw) * ic * oc;
                        for (int c = 0; c < ic; c++) {
                            float v = in[xb + c];
                            if (v == 0f) continue;
                            int wr = wb + c * oc;
                            for (int q = 0; q < oc; q++) out[o + q] += v * W[wr + q];
                        }
                    }
                }
            }
        }
        t.record(() -> {
            final float[] gy = y.grad(), gx = x.grad(), gw = w.grad(t.worker), gb = b.grad(t.worker);
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * stride - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * stride - g.padLeft();
                    int o = (oh * g.outW() + ow) * oc;
                    for (int q = 0; q < oc; q++) gb[q] += gy[o + q];
                    for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                        int ih = ih0 + kh;
                        for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                            int iw = iw0 + kw;
                            int xb = (ih * x.w + iw) * ic, wb = (kh * k + kw) * ic * oc;
                            for (int c = 0; c < ic; c++) {
                                float v = in[xb + c], d = 0f;
                                int wr = wb + c * oc;
                                for (int q = 0; q < oc; q++) {
                                    float go = gy[o + q];
                                    gw[wr + q] += v * go;
                                    d += W[wr + q] * go;
                                }
                                gx[xb + c] += d;
                            }
                        }
                    }
                }
            }
        });
        return y;
    }

    /** Depthwise convolution, multiplier 1; {@code w} is [kH, kW, C], {@code b} [C]. */
    public static Tensor depthwise(Tape t, Tensor x, Param w, Param b, int k, int stride) {
        final int ch = x.c;
        ConvGeometry g = ConvGeometry.same(x.h, x.w, ch, ch, k, k, stride, stride);
        Tensor y = new Tensor(g.outH(), g.outW(), ch);
        final float[] in = x.data, out = y.data, W = w.w, B = b.w;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * stride - g.padTop();
            for (int ow = 0; ow < g.outW(); ow++) {
                int iw0 = ow * stride - g.padLeft();
                int o = (oh * g.outW() + ow) * ch;
                System.arraycopy(B, 0, out, o, ch);
                for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                    int ih = ih0 + kh;
                    for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                        int iw = iw0 + kw;
                        int xb = (ih * x.w + iw) * ch, wb = (kh * k + kw) * ch;
                        for (int c = 0; c < ch; c++) out[o + c] += in[xb + c] * W[wb + c];
                    }
                }
            }
        }
        t.record(() -> {
            final float[] gy = y.grad(), gx = x.grad(), gw = w.grad(t.worker), gb = b.grad(t.worker);
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * stride - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * stride - g.padLeft();
                    int o = (oh * g.outW() + ow) * ch;
                    for (int c = 0; c < ch; c++) gb[c] += gy[o + c];
                    for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                        int ih = ih0 + kh;
                        for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                            int iw = iw0 + kw;
                            int xb = (ih * x.w + iw) * ch, wb = (kh * k + kw) * ch;
                            for (int c = 0; c < ch; c++) {
                                gw[wb + c] += in[xb + c] * gy[o + c];
                                gx[xb + c] += W[wb + c] * gy[o + c];
                            }
                        }
                    }
                }
            }
        });
        return y;
    }

    /** min(max(x, 0), cap); cap = +inf for relu. */
    public static Tensor clip(Tape t, Tensor x, float cap) {
        Tensor y = new Tensor(x.h, x.w, x.c);
        for (int i = 0; i < y.data.length; i++) y.data[i] = Math.min(cap, Math.max(0f, x.data[i]));
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gy.length; i++) {
                float v = x.data[i];
                if (v > 0f && v < cap) gx[i] += gy[i];
            }
        });
        return y;
    }

    public static Tensor relu6(Tape t, Tensor x) {
        return clip(t, x, 6f);
    }

    /**
     * Fake quantization (quantization-aware training): rounds x to the int8 grid of {@code q} and back,
     * as the int8 graph stores the activation. The gradient passes straight through inside the
     * representable range and is zero where the int8 value saturates.
     */
    public static Tensor fakeQuant(Tape t, Tensor x, dev.winnow.runtime.quant.QuantParams q) {
        Tensor y = new Tensor(x.h, x.w, x.c);
        final float lo = q.dequantize(-128), hi = q.dequantize(127);
        for (int i = 0; i < y.data.length; i++) y.data[i] = q.dequantize(q.quantize(x.data[i]));
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            for (int i = 0; i < gy.length; i++) {
                float v = x.data[i];
                if (v >= lo && v <= hi) gx[i] += gy[i];
            }
        });
        return y;
    }

    public static Tensor add(Tape t, Tensor a, Tensor b) {
        Tensor y = new Tensor(a.h, a.w, a.c);
        for (int i = 0; i < y.data.length; i++) y.data[i] = a.data[i] + b.data[i];
        t.record(() -> {
            float[] gy = y.grad(), ga = a.grad(), gb = b.grad();
            for (int i = 0; i < gy.length; i++) {
                ga[i] += gy[i];
                gb[i] += gy[i];
            }
        });
        return y;
    }

    /**
     * Bilinear resize to [outH, outW] with TensorFlow's half-pixel centres, computed as the runtime's
     * {@link dev.winnow.runtime.kernel.ResizeBilinear} computes it (the same float operations in the same
     * order, so the exported {@code resize_bilinear} node reproduces it exactly). Each output is a convex
     * blend of four inputs, so the backward pass hands each its blend weight of the output's gradient.
     */
    public static Tensor resizeBilinear(Tape t, Tensor x, int outH, int outW) {
        final int c = x.c;
        final int[] y0 = new int[outH], y1 = new int[outH], x0 = new int[outW], x1 = new int[outW];
        final float[] fy = new float[outH], fx = new float[outW];
        halfPixelWeights(x.h, outH, y0, y1, fy);
        halfPixelWeights(x.w, outW, x0, x1, fx);
        Tensor y = new Tensor(outH, outW, c);
        final float[] in = x.data, out = y.data;
        for (int oy = 0; oy < outH; oy++) {
            int r0 = y0[oy] * x.w * c, r1 = y1[oy] * x.w * c;
            float dy = fy[oy];
            for (int ox = 0; ox < outW; ox++) {
                int a = x0[ox] * c, b = x1[ox] * c, o = (oy * outW + ox) * c;
                float dx = fx[ox];
                for (int k = 0; k < c; k++) {
                    float tl = in[r0 + a + k], tr = in[r0 + b + k], bl = in[r1 + a + k], br = in[r1 + b + k];
                    float top = tl + (tr - tl) * dx, bottom = bl + (br - bl) * dx;
                    out[o + k] = top + (bottom - top) * dy;
                }
            }
        }
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            for (int oy = 0; oy < outH; oy++) {
                int r0 = y0[oy] * x.w * c, r1 = y1[oy] * x.w * c;
                float dy = fy[oy];
                for (int ox = 0; ox < outW; ox++) {
                    int a = x0[ox] * c, b = x1[ox] * c, o = (oy * outW + ox) * c;
                    float dx = fx[ox];
                    for (int k = 0; k < c; k++) {
                        float g = gy[o + k], top = g * (1f - dy), bottom = g * dy;
                        gx[r0 + a + k] += top * (1f - dx);
                        gx[r0 + b + k] += top * dx;
                        gx[r1 + a + k] += bottom * (1f - dx);
                        gx[r1 + b + k] += bottom * dx;
                    }
                }
            }
        });
        return y;
    }

    /** Source rows (or columns) and blend weights of TensorFlow's half-pixel-centre resize from {@code in} to {@code out}. */
    private static void halfPixelWeights(int in, int out, int[] lo, int[] hi, float[] frac) {
        float scale = in / (float) out;
        for (int o = 0; o < out; o++) {
            float src = (o + 0.5f) * scale - 0.5f;
            float fl = (float) Math.floor(src);
            lo[o] = Math.max((int) fl, 0);
            hi[o] = Math.min((int) Math.ceil(src), in - 1);
            frac[o] = src - fl;
        }
    }
}
