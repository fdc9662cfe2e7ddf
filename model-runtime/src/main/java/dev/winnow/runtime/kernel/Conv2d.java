package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.simd.ConvSimd;
import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.QuantParams;

/** 2-D convolution over an HWC tensor (stride, padding, dilation 1); 1x1 is the pointwise case. */
public final class Conv2d {
    private Conv2d() {}

    public static long macs(ConvGeometry g) {
        return (long) g.outH() * g.outW() * g.outC() * g.kH() * g.kW() * g.inC();
    }

    /**
     * Repacks an OHWI filter to HWIO so that the innermost loop runs over contiguous output
     * channels: one input value multiplies a whole vector of output channels.
     */
    static float[] toHwio(float[] ohwi, ConvGeometry g) {
        int per = g.kH() * g.kW() * g.inC();
        if (ohwi.length != per * g.outC()) throw new IllegalArgumentException("filter has " + ohwi.length + " values, geometry needs " + per * g.outC());
        float[] w = new float[ohwi.length];
        for (int oc = 0; oc < g.outC(); oc++) {
            for (int k = 0; k < per; k++) w[k * g.outC() + oc] = ohwi[oc * per + k];
        }
        return w;
    }

    public static final class Float32 {
        private final ConvGeometry g;
        private final float[] w;
        private final float[] bias;
        private final float min;
        private final float max;
        private final boolean vector;

        public Float32(ConvGeometry g, float[] filterOhwi, float[] bias, Activation act) {
            this(g, filterOhwi, bias, act, VectorSupport.available());
        }

        public Float32(ConvGeometry g, float[] filterOhwi, float[] bias, Activation act, boolean vector) {
            this.g = g;
            this.w = toHwio(filterOhwi, g);
            this.bias = bias == null ? new float[g.outC()] : bias.clone();
            if (this.bias.length != g.outC()) throw new IllegalArgumentException("bias has " + this.bias.length + " values for " + g.outC() + " channels");
            this.min = act.min;
            this.max = act.max;
            this.vector = vector;
        }

        public ConvGeometry geometry() { return g; }

        public void run(float[] in, int inOff, float[] out, int outOff) {
            if (vector) ConvSimd.conv(g, w, bias, min, max, in, inOff, out, outOff);
            else scalar(in, inOff, out, outOff);
        }

        private void scalar(float[] in, int inOff, float[] out, int outOff) {
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * g.strideH() - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * g.strideW() - g.padLeft();
                    int o = outOff + (oh * g.outW() + ow) * outC;
                    System.arraycopy(bias, 0, out, o, outC);
                    for (int kh = 0; kh < kH; kh++) {
                        int ih = ih0 + kh;
                        if (ih < 0 || ih >= inH) continue;
                        for (int kw = 0; kw < kW; kw++) {
                            int iw = iw0 + kw;
                            if (iw < 0 || iw >= inW) continue;
                            int xb = inOff + (ih * inW + iw) * inC;
                            int wb = (kh * kW + kw) * inC * outC;
                            for (int ic = 0; ic < inC; ic++) {
                                float x = in[xb + ic];
                                int wr = wb + ic * outC;
                                for (int oc = 0; oc < outC; oc++) out[o + oc] += x * w[wr + oc];
                            }
                        }
                    }
                    for (int oc = 0; oc < outC; oc++) out[o + oc] = Math.min(max, Math.max(min, out[o + oc]));
                }
            }
        }
    }

    /** TFLite int8 convolution: int8 input/output per tensor, int8 filter per output channel, int32 bias. */
    public static final class Int8 {
        private final ConvGeometry g;
        private final byte[] w;        // OHWI, as TFLite keeps it: the dot product runs over contiguous input channels
        private final int[] bias;
        private final int[] mult;
        private final int[] shift;
        private final int inZp;
        private final int outZp;
        private final int qmin;
        private final int qmax;
        private final int[] wInt;      // the filter widened to int, OHWI: the im2col path's dot products run over it

        public Int8(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias,
                    QuantParams in, QuantParams out, Activation act) {
            this.g = g;
            if (filterOhwi.length != g.kH() * g.kW() * g.inC() * g.outC()) throw new IllegalArgumentException("filter size does not match the geometry");
            this.w = filterOhwi.clone();
            this.wInt = new int[w.length];
            for (int i = 0; i < w.length; i++) wInt[i] = w[i];
            this.bias = bias == null ? new int[g.outC()] : bias.clone();
            this.mult = new int[g.outC()];
            this.shift = new int[g.outC()];
            for (int oc = 0; oc < g.outC(); oc++) {
                FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier((double) in.scale() * filterScales[oc] / out.scale());
                mult[oc] = m.multiplier();
                shift[oc] = m.shift();
            }
            this.inZp = in.zeroPoint();
            this.outZp = out.zeroPoint();
            this.qmin = act.qmin(out);
            this.qmax = act.qmax(out);
        }

        /** int32 scratch the {@link #run(byte[], int, byte[], int, int[], int) im2col path} needs: one receptive field. */
        public int scratchInts() {
            return g.kH() * g.kW() * g.inC();
        }

        /**
         * The same convolution, faster: each receptive field is gathered once into {@code s} with the
         * zero point subtracted (zeros where the window leaves the input), then every output channel is
         * one contiguous dot product. Bit-identical to {@link #run(byte[], int, byte[], int)}.
         */
        public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
            final int per = kH * kW * inC, sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft(), zp = inZp;
            final int[] wi = wInt;
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * sh - pt;
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * sw - pl;
                    int k = sOff;
                    for (int kh = 0; kh < kH; kh++) {
                        int ih = ih0 + kh;
                        if (ih < 0 || ih >= inH) {
                            java.util.Arrays.fill(s, k, k + kW * inC, 0);
                            k += kW * inC;
                            continue;
                        }
                        int rowBase = inOff + ih * inW * inC;
                        for (int kw = 0; kw < kW; kw++) {
                            int iw = iw0 + kw;
                            if (iw < 0 || iw >= inW) {
                                for (int ic = 0; ic < inC; ic++) s[k++] = 0;
                            } else {
                                int xb = rowBase + iw * inC;
                                for (int ic = 0; ic < inC; ic++) s[k++] = in[xb + ic] - zp;
                            }
                        }
                    }
                    int o = outOff + (oh * g.outW() + ow) * outC;
                    for (int oc = 0; oc < outC; oc++) {
                        int acc = 0, wo = oc * per;
                        for (int i = 0; i < per; i++) acc += s[sOff + i] * wi[wo + i];
                        int v = FixedPoint.multiplyByQuantizedMultiplier(acc + bias[oc], mult[oc], shift[oc]) + outZp;
                        out[o + oc] = (byte) (v < qmin ? qmin : (v > qmax ? qmax : v));
                    }
                }
            }
        }

        public void run(byte[] in, int inOff, byte[] out, int outOff) {
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
            final int per = kH * kW * inC;
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * g.strideH() - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * g.strideW() - g.padLeft();
                    int o = outOff + (oh * g.outW() + ow) * outC;
                    for (int oc = 0; oc < outC; oc++) {
                        int acc = bias[oc];
                        int wo = oc * per;
                        for (int kh = 0; kh < kH; kh++) {
                            int ih = ih0 + kh;
                            if (ih < 0 || ih >= inH) continue;
                            for (int kw = 0; kw < kW; kw++) {
                                int iw = iw0 + kw;
                                if (iw < 0 || iw >= inW) continue; // padding holds the zero point: contributes nothing
                                int xb = inOff + (ih * inW + iw) * inC;
                                int wb = wo + (kh * kW + kw) * inC;
                                for (int ic = 0; ic < inC; ic++) acc += (in[xb + ic] - inZp) * w[wb + ic];
                            }
                        }
                        int v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]) + outZp;
                        out[o + oc] = (byte) FixedPoint.clamp(v, qmin, qmax);
                    }
                }
            }
        }
    }
}
