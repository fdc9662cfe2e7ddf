package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

import dev.winnow.runtime.kernel.simd.ConvInt8Simd;
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

    /**
     * Float convolution. With the Vector API chosen, every geometry runs as a matrix product on
     * {@link ConvSimd}: a pointwise convolution directly over the HWC input (pixels × input channels), any
     * other one output row at a time over that row's receptive fields gathered into scratch (im2col, zeros in
     * the padding). Those vector accumulators stay in registers on JDK 17 too, so the choice is
     * {@link VectorSupport#fixedRegisterKernels()}: whenever the module is present. Otherwise plain loops.
     */
    public static final class Float32 {
        private final ConvGeometry g;
        private final float[] w;
        private final float[] bias;
        private final float min;
        private final float max;
        private final boolean vector;
        private final boolean gathered;  // not pointwise: rows of receptive fields are gathered into scratch
        private final float[] packed;    // the filter packed for ConvSimd.gemm, or null
        private final float[] packedBias;

        public Float32(ConvGeometry g, float[] filterOhwi, float[] bias, Activation act) {
            this(g, filterOhwi, bias, act, VectorSupport.fixedRegisterKernels());
        }

        public Float32(ConvGeometry g, float[] filterOhwi, float[] bias, Activation act, boolean vector) {
            this.g = g;
            this.w = toHwio(filterOhwi, g);
            this.bias = bias == null ? new float[g.outC()] : bias.clone();
            if (this.bias.length != g.outC()) throw new IllegalArgumentException("bias has " + this.bias.length + " values for " + g.outC() + " channels");
            this.min = act.min;
            this.max = act.max;
            this.vector = vector && VectorSupport.modulepresent();
            this.gathered = !g.isPointwise();
            this.packed = this.vector ? ConvSimd.pack(w, g.kH() * g.kW() * g.inC(), g.outC()) : null;
            this.packedBias = this.vector ? ConvSimd.packBias(this.bias, g.outC()) : null;
        }

        public ConvGeometry geometry() { return g; }

        /** Float scratch {@link #run(float[], int, float[], int, float[], int)} needs: one row of receptive fields and a tile. */
        public int scratchFloats() {
            if (!vector) return 0;
            return (gathered ? g.outW() * g.kH() * g.kW() * g.inC() : 0) + ConvSimd.tileFloats(g.outC());
        }

        /** Runs with scratch of its own, allocated here when the path needs any: for tests and one-off calls. */
        public void run(float[] in, int inOff, float[] out, int outOff) {
            int n = scratchFloats();
            run(in, inOff, out, outOff, n == 0 ? NO_SCRATCH : new float[n], 0);
        }

        private static final float[] NO_SCRATCH = new float[0];

        public void run(float[] in, int inOff, float[] out, int outOff, float[] s, int sOff) {
            if (!vector) {
                scalar(in, inOff, out, outOff);
                return;
            }
            final int k = g.kH() * g.kW() * g.inC(), outC = g.outC();
            if (!gathered) {
                ConvSimd.gemm(g.outH() * g.outW(), k, in, inOff, packed, packedBias, outC, min, max, out, outOff, s, sOff);
                return;
            }
            final int outW = g.outW(), tile = sOff + outW * k;
            for (int oh = 0; oh < g.outH(); oh++) {
                gatherRow(in, inOff, oh, s, sOff);
                ConvSimd.gemm(outW, k, s, sOff, packed, packedBias, outC, min, max, out, outOff + oh * outW * outC, s, tile);
            }
        }

        /** The receptive fields of output row oh, one after another, in HWIO's (kh, kw, ic) order; zeros outside the input. */
        private void gatherRow(float[] in, int inOff, int oh, float[] s, int sOff) {
            final int inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH(), run = kW * inC;
            int ih0 = oh * g.strideH() - g.padTop(), d = sOff;
            for (int ow = 0; ow < g.outW(); ow++) {
                int iw0 = ow * g.strideW() - g.padLeft();
                boolean colsInside = iw0 >= 0 && iw0 + kW <= inW;
                for (int kh = 0; kh < kH; kh++, d += run) {
                    int ih = ih0 + kh;
                    if (ih < 0 || ih >= inH) {
                        java.util.Arrays.fill(s, d, d + run, 0f);
                    } else if (colsInside) {
                        System.arraycopy(in, inOff + (ih * inW + iw0) * inC, s, d, run);
                    } else {
                        for (int kw = 0; kw < kW; kw++) {
                            int iw = iw0 + kw;
                            if (iw < 0 || iw >= inW) java.util.Arrays.fill(s, d + kw * inC, d + (kw + 1) * inC, 0f);
                            else System.arraycopy(in, inOff + (ih * inW + iw) * inC, s, d + kw * inC, inC);
                        }
                    }
                }
            }
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
        private final long[] wPair;    // two output channels' filters per long (see run with scratch), OHWI order within a pair
        private final long[] biasPair;
        private final boolean packed;
        private final boolean vector;
        private final boolean singleChannel, rowVector;
        private final int[] wHwio;     // the filter widened to int, HWIO, for the vector path
        private final int[] taps;      // input offset of each filter tap from the window's first value

        public Int8(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias,
                    QuantParams in, QuantParams out, Activation act) {
            // the single-channel path's vector loop carries nothing across iterations: allocation-free and faster on JDK 17 too
            this(g, filterOhwi, filterScales, bias, in, out, act, VectorSupport.available() || (byRows(g) && VectorSupport.fixedRegisterKernels()));
        }

        /** One input channel and rows wide enough: the convolution runs by rows (a multiply-add per tap over a whole output row). */
        static boolean byRows(ConvGeometry g) {
            return g.inC() == 1 && g.outW() >= 16;
        }

        /**
         * With {@code vector}, the Vector API accumulates interior pixels when there is a whole vector of
         * output channels ({@link ConvInt8Simd}). Its accumulators stay in registers on JDK 17 too (no
         * allocation), but there it runs no faster than the packed loops, so by default it is JDK 21+.
         */
        public Int8(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias,
                    QuantParams in, QuantParams out, Activation act, boolean vector) {
            this.g = g;
            if (filterOhwi.length != g.kH() * g.kW() * g.inC() * g.outC()) throw new IllegalArgumentException("filter size does not match the geometry");
            this.w = filterOhwi.clone();
            this.bias = bias == null ? new int[g.outC()] : bias.clone();
            int per = g.kH() * g.kW() * g.inC(), pairs = (g.outC() + 1) / 2;
            long bound = 0;
            for (int b : this.bias) bound = Math.max(bound, Math.abs((long) b));
            // every lane sum must fit in an int for the packed path to be exact (it always does unless a bias is near 2^31)
            this.packed = bound + (long) per * 255 * 128 < Integer.MAX_VALUE;
            this.singleChannel = byRows(g);
            vector &= VectorSupport.modulepresent();
            this.rowVector = singleChannel && vector;
            this.vector = !singleChannel && vector && ConvInt8Simd.fits(g.outC());
            this.wHwio = this.vector ? new int[w.length] : null;
            this.taps = new int[per];
            for (int kh = 0, t = 0; kh < g.kH(); kh++)
                for (int kw = 0; kw < g.kW(); kw++)
                    for (int ic = 0; ic < g.inC(); ic++) taps[t++] = (kh * g.inW() + kw) * g.inC() + ic;
            if (this.vector) for (int oc = 0; oc < g.outC(); oc++) for (int i = 0; i < per; i++) wHwio[i * g.outC() + oc] = w[oc * per + i];
            this.wPair = new long[pairs * per];
            this.biasPair = new long[pairs];
            for (int p = 0; p < pairs; p++) {
                int lo = 2 * p, hi = 2 * p + 1;
                for (int i = 0; i < per; i++) wPair[p * per + i] = pack(w[lo * per + i], hi < g.outC() ? w[hi * per + i] : 0);
                biasPair[p] = pack(this.bias[lo], hi < g.outC() ? this.bias[hi] : 0);
            }
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

        /**
         * Two int32 lanes in one long: {@code lo + hi * 2^32}. Sums of such longs are the two lanes' sums
         * in the same form, exactly, while each lane's sum fits in an int (int8 dot products do: at most
         * 255 * 128 per tap), so one 64-bit multiply-add does the work of two.
         */
        static long pack(int lo, int hi) {
            return (long) lo + ((long) hi << 32);
        }

        static int low(long packed) {
            return (int) packed;
        }

        static int high(long packed) {
            return (int) ((packed - (int) packed) >> 32);
        }

        /** int32 scratch {@link #run(byte[], int, byte[], int, int[], int)} needs: one receptive field, or four pixels' accumulators. */
        public int scratchInts() {
            if (singleChannel) return g.kH() * phaseInts() + g.outW();
            return Math.max(g.kH() * g.kW() * g.inC(), vector ? 4 * g.outC() : 0);
        }

        /** Ints per input row on the single-channel path: strideW phases of outW + kW values. */
        private int phaseInts() {
            return g.strideW() * (g.outW() + g.kW());
        }

        /**
         * The single-input-channel convolution (a grayscale stem) by rows: each input row the window
         * reaches is split into strideW phases with the zero point subtracted and zeros in the padding,
         * so that for output channel oc and tap (kh, kw) the inputs of a whole output row are one
         * contiguous run; each tap is then one multiply-add over the row ({@link #rowMultiplyAdd}).
         */
        private void runSingleChannel(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
            final int outC = g.outC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH(), outW = g.outW();
            final int sw = g.strideW(), pl = g.padLeft(), zp = inZp, phase = g.outW() + kW, rowInts = phaseInts();
            final int acc = sOff + kH * rowInts;
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * g.strideH() - g.padTop();
                for (int kh = 0; kh < kH; kh++) {
                    int ih = ih0 + kh, row = sOff + kh * rowInts;
                    if (ih < 0 || ih >= inH) continue;
                    int src = inOff + ih * inW;
                    for (int q = 0; q < sw; q++) {
                        int dst = row + q * phase;
                        for (int m = 0; m < phase; m++) {
                            int iw = sw * m + q - pl;
                            s[dst + m] = iw >= 0 && iw < inW ? in[src + iw] - zp : 0;
                        }
                    }
                }
                int o = outOff + oh * outW * outC;
                for (int oc = 0; oc < outC; oc++) {
                    java.util.Arrays.fill(s, acc, acc + outW, bias[oc]);
                    for (int kh = 0; kh < kH; kh++) {
                        int ih = ih0 + kh;
                        if (ih < 0 || ih >= inH) continue; // padding rows hold the zero point: nothing to add
                        for (int kw = 0; kw < kW; kw++) {
                            int src = sOff + kh * rowInts + (kw % sw) * phase + kw / sw;
                            rowMultiplyAdd(s, acc, src, w[(oc * kH + kh) * kW + kw], outW);
                        }
                    }
                    for (int ow = 0; ow < outW; ow++) out[o + ow * outC + oc] = requantize(s[acc + ow], oc);
                }
            }
        }

        /** s[acc + j] += w · s[src + j] for j < n: on the Vector API when chosen (no accumulator crosses the loop). */
        private void rowMultiplyAdd(int[] s, int acc, int src, int w, int n) {
            if (rowVector) {
                ConvInt8Simd.multiplyAdd(s, acc, src, w, n);
                return;
            }
            for (int j = 0; j < n; j++) s[acc + j] += w * s[src + j];
        }

        /**
         * The same convolution, faster. Each receptive field is gathered once into {@code s} with the zero
         * point subtracted (zeros where the window leaves the input), then each pair of output channels is
         * one contiguous dot product on packed longs ({@link #pack}). With the vector path, blocks of four
         * output pixels whose windows lie inside the input accumulate on the Vector API instead
         * ({@link ConvInt8Simd#interior4}). Integer sums do not depend on their order: bit-identical to
         * {@link #run(byte[], int, byte[], int)}.
         */
        public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
            if (singleChannel) {
                runSingleChannel(in, inOff, out, outOff, s, sOff);
                return;
            }
            if (!packed) {
                run(in, inOff, out, outOff);
                return;
            }
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH(), outW = g.outW();
            final int sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft();
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = oh * sh - pt, ow = 0;
                if (vector && ih0 >= 0 && ih0 + kH <= inH) {
                    for (; ow + 4 <= outW; ow += 4) {
                        int iw0 = ow * sw - pl;
                        if (iw0 < 0 || (ow + 3) * sw - pl + kW > inW) {
                            for (int p = 0; p < 4; p++) pixel(in, inOff, out, outOff, oh, ow + p, s, sOff);
                            continue;
                        }
                        ConvInt8Simd.interior4(wHwio, bias, outC, inZp, in, inOff + (ih0 * inW + iw0) * inC, sw * inC, taps, s, sOff);
                        int o = outOff + (oh * outW + ow) * outC;
                        for (int p = 0, k = 0; p < 4; p++) for (int oc = 0; oc < outC; oc++, k++) out[o + k] = requantize(s[sOff + k], oc);
                    }
                }
                for (; ow < outW; ow++) pixel(in, inOff, out, outOff, oh, ow, s, sOff);
            }
        }

        /** One output pixel on the packed path: its receptive field gathered into s, then a packed dot product per channel pair. */
        private void pixel(byte[] in, int inOff, byte[] out, int outOff, int oh, int ow, int[] s, int sOff) {
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
            final int per = kH * kW * inC, zp = inZp, pairs = biasPair.length, rowTaps = kW * inC;
            final long[] wp = wPair;
            int ih0 = oh * g.strideH() - g.padTop(), iw0 = ow * g.strideW() - g.padLeft();
            int k = sOff;
            boolean colsInside = iw0 >= 0 && iw0 + kW <= inW;
            for (int kh = 0; kh < kH; kh++) {
                int ih = ih0 + kh;
                if (ih < 0 || ih >= inH) {
                    java.util.Arrays.fill(s, k, k + rowTaps, 0);
                    k += rowTaps;
                    continue;
                }
                int rowBase = inOff + ih * inW * inC;
                if (colsInside) { // the window's row is kW * inC contiguous input values
                    int xb = rowBase + iw0 * inC;
                    for (int t = 0; t < rowTaps; t++) s[k + t] = in[xb + t] - zp;
                    k += rowTaps;
                    continue;
                }
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
            for (int p = 0; p < pairs; p++) {
                long acc = biasPair[p];
                int wo = p * per;
                for (int i = 0; i < per; i++) acc += s[sOff + i] * wp[wo + i];
                int oc = 2 * p;
                out[o + oc] = requantize(low(acc), oc);
                if (oc + 1 < outC) out[o + oc + 1] = requantize(high(acc), oc + 1);
            }
        }

        private byte requantize(int acc, int oc) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]) + outZp;
            return (byte) (v < qmin ? qmin : (v > qmax ? qmax : v));
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
