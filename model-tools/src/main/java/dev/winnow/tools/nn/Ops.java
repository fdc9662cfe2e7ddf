package dev.winnow.tools.nn;

import dev.winnow.runtime.kernel.ResizeBilinear;
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
        for (int o = 0; o < out.length; o += oc) System.arraycopy(B, 0, out, o, oc);
        eachTap(g, (op, ip, tap) -> {
            int o = op * oc, xb = ip * ic, wb = tap * ic * oc;
            for (int c = 0; c < ic; c++) {
                float v = in[xb + c];
                if (v == 0f) continue;
                int wr = wb + c * oc;
                for (int q = 0; q < oc; q++) out[o + q] += v * W[wr + q];
            }
        });
        t.record(() -> {
            final float[] gy = y.grad(), gx = x.grad(), gw = w.grad(t.worker), gb = b.grad(t.worker);
            for (int o = 0; o < gy.length; o += oc) for (int q = 0; q < oc; q++) gb[q] += gy[o + q];
            eachTap(g, (op, ip, tap) -> {
                int o = op * oc, xb = ip * ic, wb = tap * ic * oc;
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
            });
        });
        return y;
    }

    /** Depthwise convolution, multiplier 1; {@code w} is [kH, kW, C], {@code b} [C]. */
    public static Tensor depthwise(Tape t, Tensor x, Param w, Param b, int k, int stride) {
        final int ch = x.c;
        ConvGeometry g = ConvGeometry.same(x.h, x.w, ch, ch, k, k, stride, stride);
        Tensor y = new Tensor(g.outH(), g.outW(), ch);
        final float[] in = x.data, out = y.data, W = w.w, B = b.w;
        for (int o = 0; o < out.length; o += ch) System.arraycopy(B, 0, out, o, ch);
        eachTap(g, (op, ip, tap) -> {
            int o = op * ch, xb = ip * ch, wb = tap * ch;
            for (int c = 0; c < ch; c++) out[o + c] += in[xb + c] * W[wb + c];
        });
        t.record(() -> {
            final float[] gy = y.grad(), gx = x.grad(), gw = w.grad(t.worker), gb = b.grad(t.worker);
            for (int o = 0; o < gy.length; o += ch) for (int c = 0; c < ch; c++) gb[c] += gy[o + c];
            eachTap(g, (op, ip, tap) -> {
                int o = op * ch, xb = ip * ch, wb = tap * ch;
                for (int c = 0; c < ch; c++) {
                    gw[wb + c] += in[xb + c] * gy[o + c];
                    gx[xb + c] += W[wb + c] * gy[o + c];
                }
            });
        });
        return y;
    }

    /** One filter tap of a convolution: output pixel {@code op} takes input pixel {@code ip} through filter tap {@code tap} (kh·k + kw). */
    private interface Tap {
        void at(int op, int ip, int tap);
    }

    /**
     * Visits every filter tap of a SAME convolution that lands inside the input, output pixels in row-major
     * order and each one's taps row by row: the forward pass and the backward pass walk the same taps in the
     * same order, so each output's sum and each gradient's accumulation keep one fixed order.
     */
    private static void eachTap(ConvGeometry g, Tap tap) {
        final int inW = g.inW(), outW = g.outW(), kW = g.kW();
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * g.strideH() - g.padTop();
            for (int ow = 0; ow < outW; ow++) {
                int iw0 = ow * g.strideW() - g.padLeft(), op = oh * outW + ow;
                for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                    for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) tap.at(op, (ih0 + kh) * inW + iw0 + kw, kh * kW + kw);
                }
            }
        }
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
        Tensor y = new Tensor(outH, outW, c);
        final float[] in = x.data, out = y.data;
        eachBlend(x, outH, outW, (o, tl, tr, bl, br, dx, dy) -> {
            for (int k = 0; k < c; k++) {
                float vtl = in[tl + k], vtr = in[tr + k], vbl = in[bl + k], vbr = in[br + k];
                float top = vtl + (vtr - vtl) * dx, bottom = vbl + (vbr - vbl) * dx;
                out[o + k] = top + (bottom - top) * dy;
            }
        });
        t.record(() -> {
            float[] gy = y.grad(), gx = x.grad();
            eachBlend(x, outH, outW, (o, tl, tr, bl, br, dx, dy) -> {
                for (int k = 0; k < c; k++) {
                    float g = gy[o + k], top = g * (1f - dy), bottom = g * dy;
                    gx[tl + k] += top * (1f - dx);
                    gx[tr + k] += top * dx;
                    gx[bl + k] += bottom * (1f - dx);
                    gx[br + k] += bottom * dx;
                }
            });
        });
        return y;
    }

    /** One output pixel of a bilinear resize: its offset, the offsets of its four source pixels, and the blend weights across and down. */
    private interface Blend {
        void at(int o, int topLeft, int topRight, int bottomLeft, int bottomRight, float dx, float dy);
    }

    /** Visits the output pixels of a resize of {@code x} to [outH, outW] in row-major order, the forward pass and the backward pass alike. */
    private static void eachBlend(Tensor x, int outH, int outW, Blend blend) {
        final int c = x.c;
        final int[] y0 = new int[outH], y1 = new int[outH], x0 = new int[outW], x1 = new int[outW];
        final float[] fy = new float[outH], fx = new float[outW];
        ResizeBilinear.weights(x.h, outH, false, true, y0, y1, fy);
        ResizeBilinear.weights(x.w, outW, false, true, x0, x1, fx);
        for (int oy = 0; oy < outH; oy++) {
            int r0 = y0[oy] * x.w * c, r1 = y1[oy] * x.w * c;
            for (int ox = 0; ox < outW; ox++) {
                int a = x0[ox] * c, b = x1[ox] * c;
                blend.at((oy * outW + ox) * c, r0 + a, r0 + b, r1 + a, r1 + b, fx[ox], fy[oy]);
            }
        }
    }
}
