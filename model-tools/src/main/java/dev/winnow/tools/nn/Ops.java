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
}
