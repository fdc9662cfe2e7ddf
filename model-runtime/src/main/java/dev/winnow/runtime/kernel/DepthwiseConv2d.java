package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.DepthwiseTaps;

import dev.winnow.runtime.kernel.simd.DepthwiseSimd;

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
        private final DepthwiseTaps taps;   // the vector path's (see DepthwiseSimd)

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
            this.taps = new DepthwiseTaps(g);
        }

        public void run(float[] in, int inOff, float[] out, int outOff) {
            if (vector) {
                DepthwiseSimd.depthwise(g, w, bias, min, max, taps, in, inOff, out, outOff);
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
}
