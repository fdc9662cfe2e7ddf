package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.Requantizer;

import dev.winnow.runtime.kernel.simd.DepthwiseSimd;
import dev.winnow.runtime.quant.QuantParams;

/**
 * Depthwise convolution: each input channel convolved with its own {@code multiplier} filters;
 * output channel {@code c * multiplier + j}. Filters are {@code [kH][kW][inC*multiplier]}, channels
 * fastest, which is already the layout the inner loop wants.
 */
public final class DepthwiseConv2d {
    private DepthwiseConv2d() {}

    /** Geometry's outC must be inC * multiplier. */
    public static long macs(ConvGeometry g) {
        return (long) g.outH() * g.outW() * g.outC() * g.kH() * g.kW();
    }

    static int multiplier(ConvGeometry g) {
        if (g.outC() % g.inC() != 0) throw new IllegalArgumentException("depthwise: output channels " + g.outC() + " not a multiple of input channels " + g.inC());
        return g.outC() / g.inC();
    }

    /**
     * Float depthwise convolution. With multiplier 1 and at least one vector of channels it runs on
     * {@link DepthwiseSimd} whenever the Vector API module is present
     * ({@link VectorSupport#fixedRegisterKernels()}: its accumulators stay in registers on JDK 17 too);
     * otherwise on plain loops.
     */
    public static final class Float32 {
        private final ConvGeometry g;
        private final float[] w;
        private final float[] bias;
        private final float min;
        private final float max;
        private final int mult;
        private final boolean vector;
        // the vector path's tap tables (see DepthwiseSimd): per distinct range of filter columns inside the input
        private final int[] tapIn, tapW, colCase, colTaps;
        private final int fullFrom, fullTo;

        public Float32(ConvGeometry g, float[] filter, float[] bias, Activation act) {
            this(g, filter, bias, act, VectorSupport.fixedRegisterKernels());
        }

        public Float32(ConvGeometry g, float[] filter, float[] bias, Activation act, boolean vector) {
            this.g = g;
            this.mult = multiplier(g);
            if (filter.length != g.kH() * g.kW() * g.outC()) throw new IllegalArgumentException("depthwise filter size does not match the geometry");
            this.w = filter.clone();
            this.bias = bias == null ? new float[g.outC()] : bias.clone();
            this.min = act.min;
            this.max = act.max;
            this.vector = vector && mult == 1 && VectorSupport.modulepresent() && g.outC() >= DepthwiseSimd.lanes();
            final int outW = g.outW(), kW = g.kW(), kH = g.kH(), c = g.outC();
            colCase = new int[outW];
            colTaps = new int[outW];
            java.util.Map<Integer, Integer> cases = new java.util.HashMap<>();
            int[] in = new int[kH * kW * outW], wt = new int[in.length];
            int used = 0, from = outW, to = 0;
            for (int ow = 0; ow < outW; ow++) {
                int iw0 = ow * g.strideW() - g.padLeft();
                int a = Math.max(0, -iw0), b = Math.max(a, Math.min(kW, g.inW() - iw0));
                if (a == 0 && b == kW) {
                    from = Math.min(from, ow);
                    to = ow + 1;
                }
                Integer start = cases.get(a * (kW + 1) + b);
                if (start == null) {
                    start = used;
                    cases.put(a * (kW + 1) + b, start);
                    for (int kh = 0; kh < kH; kh++) {
                        for (int kw = a; kw < b; kw++, used++) {
                            in[used] = (kh * g.inW() + kw) * c;
                            wt[used] = (kh * kW + kw) * c;
                        }
                    }
                }
                colCase[ow] = start;
                colTaps[ow] = b - a;
            }
            this.tapIn = java.util.Arrays.copyOf(in, used);
            this.tapW = java.util.Arrays.copyOf(wt, used);
            this.fullFrom = from;
            this.fullTo = Math.max(from, to);
        }

        public void run(float[] in, int inOff, float[] out, int outOff) {
            if (vector) {
                DepthwiseSimd.depthwise(g, w, bias, min, max, tapIn, tapW, colCase, colTaps, fullFrom, fullTo, in, inOff, out, outOff);
                return;
            }
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW();
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * g.strideH() - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * g.strideW() - g.padLeft();
                    int o = outOff + (oh * g.outW() + ow) * outC;
                    System.arraycopy(bias, 0, out, o, outC);
                    for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                        int ih = ih0 + kh;
                        for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                            int iw = iw0 + kw;
                            int xb = inOff + (ih * inW + iw) * inC;
                            int wb = (kh * kW + kw) * outC;
                            if (mult == 1) {
                                for (int c = 0; c < outC; c++) out[o + c] += in[xb + c] * w[wb + c];
                            } else {
                                for (int c = 0; c < outC; c++) out[o + c] += in[xb + c / mult] * w[wb + c];
                            }
                        }
                    }
                    for (int c = 0; c < outC; c++) out[o + c] = Math.min(max, Math.max(min, out[o + c]));
                }
            }
        }
    }

    public static final class Int8 {
        private final ConvGeometry g;
        private final byte[] w;
        private final int[] bias;
        private final Requantizer requantizer;
        private final int inZp;
        private final int mult;
        private final int[] wInt;

        /** {@code filterScales} has one scale per output channel (the filter's last axis). */
        public Int8(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
            this.g = g;
            this.mult = multiplier(g);
            if (filter.length != g.kH() * g.kW() * g.outC()) throw new IllegalArgumentException("depthwise filter size does not match the geometry");
            this.w = filter.clone();
            this.wInt = new int[w.length];
            for (int i = 0; i < w.length; i++) wInt[i] = w[i];
            this.bias = bias == null ? new int[g.outC()] : bias.clone();
            this.requantizer = new Requantizer(g.outC(), in.scale(), filterScales, out.scale(), out.zeroPoint(), act.qmin(out), act.qmax(out));
            this.inZp = in.zeroPoint();
        }

        /** int32 scratch of the channel-vector path: one accumulator per channel. */
        public int scratchInts() {
            return g.outC();
        }

        /**
         * The same depthwise convolution with the channel loop innermost (contiguous, vectorisable)
         * and accumulators in {@code s}; bit-identical to {@link #run(byte[], int, byte[], int)}.
         */
        public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
            if (mult != 1) {
                run(in, inOff, out, outOff);
                return;
            }
            final int ch = g.outC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH(), zp = inZp;
            final int[] wi = wInt;
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * g.strideH() - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * g.strideW() - g.padLeft();
                    System.arraycopy(bias, 0, s, sOff, ch);
                    for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                        int ih = ih0 + kh;
                        for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                            int iw = iw0 + kw;
                            int xb = inOff + (ih * inW + iw) * ch, wb = (kh * kW + kw) * ch;
                            for (int c = 0; c < ch; c++) s[sOff + c] += (in[xb + c] - zp) * wi[wb + c];
                        }
                    }
                    int o = outOff + (oh * g.outW() + ow) * ch;
                    for (int c = 0; c < ch; c++) out[o + c] = requantizer.apply(s[sOff + c], c);
                }
            }
        }

        public void run(byte[] in, int inOff, byte[] out, int outOff) {
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW();
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * g.strideH() - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * g.strideW() - g.padLeft();
                    int o = outOff + (oh * g.outW() + ow) * outC;
                    for (int c = 0; c < outC; c++) {
                        int acc = bias[c];
                        int ic = c / mult;
                        for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
                            int ih = ih0 + kh;
                            for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                                int iw = iw0 + kw;
                                acc += (in[inOff + (ih * inW + iw) * inC + ic] - inZp) * w[(kh * kW + kw) * outC + c];
                            }
                        }
                        out[o + c] = requantizer.apply(acc, c);
                    }
                }
            }
        }
    }
}
