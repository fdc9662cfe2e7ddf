package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

import dev.winnow.runtime.kernel.simd.ConvPixelsSimd;
import dev.winnow.runtime.kernel.simd.ConvSimd;

/**
 * 2-D convolution over an HWC tensor (stride, padding, dilation 1); 1x1 is the pointwise case. The
 * float kernel is here; the int8 kernels (a reference and its fast variants) start at {@link Conv2dInt8}.
 */
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
     * other one output row at a time, reading the input in place where the filter lies inside it (one pass
     * per filter row, or a filter of height 3 in one call where {@link ConvSimd#threeRowsInRegisters} says so, when
     * the output channels fill whole vectors) and over receptive fields
     * gathered into scratch elsewhere (im2col, zeros in the padding); a single-channel input with fewer output channels than a vector (a grayscale stem)
     * runs on {@link ConvPixelsSimd} instead, output pixels across the lanes. Those vector accumulators
     * stay in registers on JDK 17 too, so the choice is
     * {@link VectorSupport#fixedRegisterKernels()}: whenever the module is present. Otherwise plain loops.
     */
    public static final class Float32 implements KernelDispatch.Variant<float[]> {
        private final ConvGeometry g;
        private final float[] w;
        private final float[] bias;
        private final float min;
        private final float max;
        private final boolean vector;
        private final boolean gathered;  // not pointwise: rows of receptive fields are gathered into scratch
        private final boolean byPixels;  // one input channel, few output channels: output pixels across the lanes (ConvPixelsSimd)
        private final int phase;         // byPixels: values per stride phase of an input row (see phaseRows)
        private final int[] tapAt;       // byPixels: where tap (kh, kw) reads its row of values in the phase rows
        private final float[] packed;    // the filter packed for ConvSimd.gemm, or null
        private final float[] packedBias;
        // gathered on vectors with whole vectors of output channels: output columns [firstInside, endInside)
        // of a row whose filter rows all lie inside the input read it in place (ConvSimd.pass); empty otherwise
        private final int firstInside, endInside;
        // a 3-row filter read in place in one call per block (ConvSimd.rows3) instead of a pass per row, where
        // ConvSimd.threeRowsInRegisters says that is the faster way on this JVM
        private final int[] threeRows;  // ConvSimd.threeRowOffsets of this geometry when it takes that path, else null
        // taken on JDK 17 for its 16 float lanes, where C2 boxed the blocks' accumulators in some JVMs (KernelAllocationTest
        // on an Intel AVX-512 host: about 110 kB a call in 2 JVMs of 9), so under VectorGuard: the passes once it trips
        private final boolean threeRowsGuarded;

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
            this.byPixels = this.vector && ConvPixelsSimd.fits(g.inC(), g.outC());
            this.phase = g.outW() + (g.kW() - 1) / g.strideW();
            this.tapAt = new int[byPixels ? g.kH() * g.kW() : 0];
            for (int t = 0; t < tapAt.length; t++) {
                int kh = t / g.kW(), kw = t % g.kW();
                tapAt[t] = (kh * g.strideW() + kw % g.strideW()) * phase + kw / g.strideW();
            }
            this.packed = this.vector ? ConvSimd.pack(w, g.kH() * g.kW() * g.inC(), g.outC()) : null;
            this.packedBias = this.vector ? ConvSimd.packBias(this.bias, g.outC()) : null;
            // whole vectors only: an overlapping last vector would start a pass from sums its neighbour has already advanced
            boolean inPlace = this.vector && gathered && !byPixels && g.outC() % ConvSimd.lanes() == 0;
            this.firstInside = g.firstWholeColumn();
            this.endInside = inPlace ? g.endWholeColumn() : firstInside;
            this.threeRows = inPlace && g.kH() == 3 && ConvSimd.threeRowsInRegisters(VectorSupport.available())
                    ? ConvSimd.threeRowOffsets(g.kW() * g.inC(), g.inW() * g.inC()) : null;
            this.threeRowsGuarded = threeRows != null && !VectorSupport.available();
        }

        public ConvGeometry geometry() { return g; }

        @Override public String name() { return byPixels ? "fp32-pixels-vector" : vector ? "fp32-vector" : "fp32-scalar"; }

        @Override public void runOnce(float[] in, float[] out) { run(in, 0, out, 0); }

        /**
         * The kernel {@link KernelDispatch} chooses for op {@code op}: the JVM's default path (by
         * shape), or the faster of the vector and scalar paths (timed), self-checked against the scalar
         * loops within the rounding of reordered sums.
         */
        public static KernelDispatch.Chosen<Float32> dispatch(String op, KernelDispatch.Mode mode, ConvGeometry g, float[] filterOhwi, float[] bias, Activation act) {
            Float32 reference = new Float32(g, filterOhwi, bias, act, false);
            Float32 byShape = new Float32(g, filterOhwi, bias, act);
            java.util.List<Float32> variants = new java.util.ArrayList<>(java.util.List.of(byShape.vector ? byShape : reference));
            if (mode == KernelDispatch.Mode.TIMED && VectorSupport.modulepresent()) variants.add(byShape.vector ? reference : new Float32(g, filterOhwi, bias, act, true));
            float[] input = KernelDispatch.pseudoRandomFloats(g.inH() * g.inW() * g.inC(), g.outC() * 31L + g.kH());
            int outputs = g.outH() * g.outW() * g.outC();
            return KernelDispatch.choose(op, mode, variants, reference, input, () -> new float[outputs], g.outH(), g.outW() * g.outC(),
                    KernelDispatch.floatsWithin(g.kH() * g.kW() * g.inC()));
        }

        /** Float scratch {@link #run(float[], int, float[], int, float[], int)} needs: one row of receptive fields and a tile. */
        public int scratchFloats() {
            if (!vector) return 0;
            if (byPixels) return g.kH() * g.strideW() * phase + g.outC() * g.outW();
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
            if (byPixels) {
                final int outW = g.outW(), planar = sOff + g.kH() * g.strideW() * phase;
                for (int oh = 0; oh < g.outH(); oh++) {
                    phaseRows(in, inOff, oh, s, sOff);
                    ConvPixelsSimd.row(s, sOff, tapAt, outW, w, bias, outC, min, max, s, planar, out, outOff + oh * outW * outC);
                }
                return;
            }
            if (!gathered) {
                ConvSimd.gemm(g.outH() * g.outW(), k, in, inOff, packed, packedBias, outC, min, max, out, outOff, s, sOff);
                return;
            }
            final int outW = g.outW(), tile = sOff + outW * k;
            for (int oh = 0; oh < g.outH(); oh++) {
                int o = outOff + oh * outW * outC;
                if (endInside > firstInside && g.firstRow(oh) == 0 && g.endRow(oh) == g.kH()) {
                    rowInPlace(in, inOff, oh * g.strideH() - g.padTop(), out, o);
                    gathered(in, inOff, oh, 0, firstInside, out, o, s, sOff, tile);
                    gathered(in, inOff, oh, endInside, outW, out, o, s, sOff, tile);
                } else {
                    gathered(in, inOff, oh, 0, outW, out, o, s, sOff, tile);
                }
            }
        }

        /**
         * Output columns [firstInside, endInside) of the row whose filter rows start at input row ih0, read in
         * place: one {@link ConvSimd#pass} per filter row over the receptive fields' runs of kW·inC values,
         * which neighbouring pixels' runs overlap (strideW·inC apart), so nothing is copied. The bits of the
         * gathered product: the same multiply-adds in the same order, with the bias first and the clamp last.
         */
        private void rowInPlace(float[] in, int inOff, int ih0, float[] out, int o) {
            final int inC = g.inC(), outC = g.outC(), run = g.kW() * inC, k = g.kH() * run, n = endInside - firstInside;
            final int first = o + firstInside * outC, col = firstInside * g.strideW() - g.padLeft();
            if (threeRows != null && VectorGuard.allows(threeRowsGuarded)) {
                ConvSimd.rows3(n, in, inOff + (ih0 * g.inW() + col) * inC, g.strideW() * inC, threeRows, packed, packedBias, outC,
                        min, max, out, first);
                return;
            }
            for (int kh = 0; kh < g.kH(); kh++) {
                boolean start = kh == 0, last = kh == g.kH() - 1;
                ConvSimd.pass(n, k, kh * run, run, in, inOff + ((ih0 + kh) * g.inW() + col) * inC, g.strideW() * inC, packed,
                        start ? packedBias : out, start ? 0 : first, start ? 0 : outC, outC,
                        last ? min : Float.NEGATIVE_INFINITY, last ? max : Float.POSITIVE_INFINITY, out, first);
            }
        }

        /** Output columns [from, to) of row oh through their receptive fields gathered into scratch at sOff. */
        private void gathered(float[] in, int inOff, int oh, int from, int to, float[] out, int o, float[] s, int sOff, int tile) {
            if (from >= to) return;
            final int k = g.kH() * g.kW() * g.inC();
            gatherRow(in, inOff, oh, from, to, s, sOff);
            ConvSimd.gemm(to - from, k, s, sOff, packed, packedBias, g.outC(), min, max, out, o + from * g.outC(), s, tile);
        }

        /**
         * The receptive fields of output columns [from, to) of row oh, one after another, in HWIO's (kh, kw, ic)
         * order; zeros outside the input.
         */
        private void gatherRow(float[] in, int inOff, int oh, int from, int to, float[] s, int sOff) {
            final int inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH(), run = kW * inC;
            int ih0 = oh * g.strideH() - g.padTop(), d = sOff;
            for (int ow = from; ow < to; ow++) {
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

        /**
         * The single-channel input rows output row oh reads, split by stride phase: for filter row kh and
         * phase r, value j is input column j·strideW + r − padLeft (zero outside the input). Tap (kh, kw)
         * then reads phase kw mod strideW from j = ow + kw / strideW: each tap's values are contiguous, and
         * every input value is copied once per filter row instead of once per tap.
         */
        private void phaseRows(float[] in, int inOff, int oh, float[] s, int sOff) {
            final int inW = g.inW(), inH = g.inH(), sw = g.strideW(), pl = g.padLeft();
            int ih0 = oh * g.strideH() - g.padTop();
            for (int kh = 0, d = sOff; kh < g.kH(); kh++) {
                int ih = ih0 + kh, rowAt = inOff + ih * inW;
                boolean inside = ih >= 0 && ih < inH;
                for (int r = 0; r < sw; r++, d += phase) {
                    if (!inside) {
                        java.util.Arrays.fill(s, d, d + phase, 0f);
                        continue;
                    }
                    // value j reads column j·sw + r − pl: zeros before column 0 and from column inW on, the
                    // columns between copied without a test per value
                    int first = Math.min(phase, Math.max(0, Math.floorDiv(pl - r + sw - 1, sw)));
                    int end = Math.max(first, Math.min(phase, Math.floorDiv(inW - 1 - r + pl, sw) + 1));
                    java.util.Arrays.fill(s, d, d + first, 0f);
                    for (int j = first, at = rowAt + first * sw + r - pl; j < end; j++, at += sw) s[d + j] = in[at];
                    java.util.Arrays.fill(s, d + end, d + phase, 0f);
                }
            }
        }

        /** The scalar loops over output rows [from, to) only: a self-check compares a few rows. */
        @Override
        public void runRows(float[] in, float[] out, int from, int to) {
            scalar(in, 0, out, 0, from, to);
        }

        private void scalar(float[] in, int inOff, float[] out, int outOff) {
            scalar(in, inOff, out, outOff, 0, g.outH());
        }

        private void scalar(float[] in, int inOff, float[] out, int outOff, int from, int to) {
            final int outC = g.outC(), inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
            for (int oh = from; oh < to; oh++) {
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
}
