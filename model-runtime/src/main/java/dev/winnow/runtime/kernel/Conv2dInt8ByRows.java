package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.Requantizer;
import dev.winnow.runtime.kernel.simd.ConvInt8Simd;
import dev.winnow.runtime.kernel.simd.RequantizePixelsSimd;
import dev.winnow.runtime.quant.QuantParams;

/**
 * The single-input-channel int8 convolution (a grayscale stem) by rows: each input row the window
 * reaches is split into strideW phases with the zero point subtracted and zeros in the padding, so
 * that for output channel oc and tap (kh, kw) the inputs of a whole output row are one contiguous
 * run; each tap is then one multiply-add over the row, on the Vector API when chosen (no
 * accumulator crosses the loop, so it stays allocation-free on JDK 17 too).
 */
final class Conv2dInt8ByRows extends Conv2dInt8 {
    @Override public String name() { return !vector ? "int8-rows" : requantizesOnVectors() ? "int8-rows-vector-rq" : "int8-rows-vector"; }

    /** Whether a call now requantizes on vectors: chosen so, and not turned off since by {@link VectorGuard}. */
    boolean requantizesOnVectors() {
        return rowRq != null && VectorGuard.allows(guarded);
    }

    private final boolean vector;
    private final RequantizePixelsSimd[] rowRq; // per output channel, every lane its constants; null without vector requantization
    private final boolean guarded; // chosen by default: scalar once VectorGuard trips

    Conv2dInt8ByRows(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act, boolean vector) {
        this(g, filterOhwi, filterScales, bias, in, out, act, vector, vector && VectorSupport.vectorRequantization(), true);
    }

    /**
     * {@code vectorRequantization}: each output row of a channel requantized on vectors ({@link RequantizePixelsSimd#uniform}),
     * whatever the JDK; {@code guarded}: that was chosen by default, and turns scalar once {@link VectorGuard} trips.
     */
    Conv2dInt8ByRows(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act, boolean vector,
                     boolean vectorRequantization, boolean guarded) {
        super(g, filterOhwi, filterScales, bias, in, out, act);
        this.guarded = guarded;
        if (!fits(g)) throw new IllegalArgumentException("the by-rows kernel takes one input channel and output rows of at least 16");
        this.vector = vector;
        this.rowRq = vectorRequantization && VectorSupport.modulepresent() && RequantizePixelsSimd.fits(RequantizePixelsSimd.lanes()) ? rowRequantizers() : null;
    }

    private RequantizePixelsSimd[] rowRequantizers() {
        RequantizePixelsSimd[] r = new RequantizePixelsSimd[g.outC()];
        Requantizer q = requantizer;
        for (int oc = 0; oc < r.length; oc++) r[oc] = RequantizePixelsSimd.uniform(q.multiplier(oc), q.shift(oc), q.outZeroPoint(), q.qmin(), q.qmax());
        return r;
    }

    /** One input channel and rows wide enough for a row to be worth a multiply-add of its own. */
    static boolean fits(ConvGeometry g) {
        return g.inC() == 1 && g.outW() >= 16;
    }

    /** The kH input rows split into phases, and one output row of accumulators. */
    @Override
    public int scratchInts() { return g.kH() * phaseInts() + g.outW(); }

    /** Ints per input row: strideW phases of outW + kW values. */
    private int phaseInts() {
        return g.strideW() * (g.outW() + g.kW());
    }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        final int outC = g.outC(), inH = g.inH(), kW = g.kW(), kH = g.kH(), outW = g.outW();
        final int sw = g.strideW(), phase = outW + kW, rowInts = phaseInts();
        final int acc = sOff + kH * rowInts;
        final RequantizePixelsSimd[] rowRq = requantizesOnVectors() ? this.rowRq : null;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih0 = oh * g.strideH() - g.padTop();
            splitRows(in, inOff, ih0, s, sOff);
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
                if (rowRq != null) {
                    int done = rowRq[oc].applyRun(s, acc, outW);
                    for (int ow = 0; ow < done; ow++) out[o + ow * outC + oc] = (byte) s[acc + ow];
                    for (int ow = done; ow < outW; ow++) out[o + ow * outC + oc] = requantize(s[acc + ow], oc);
                } else {
                    for (int ow = 0; ow < outW; ow++) out[o + ow * outC + oc] = requantize(s[acc + ow], oc);
                }
            }
        }
    }

    /** The input rows ih0 .. ih0 + kH − 1 into s, each as strideW phases, zero point subtracted, zeros in the padding. */
    private void splitRows(byte[] in, int inOff, int ih0, int[] s, int sOff) {
        final int inW = g.inW(), inH = g.inH(), sw = g.strideW(), pl = g.padLeft(), zp = inZp, phase = g.outW() + g.kW(), rowInts = phaseInts();
        for (int kh = 0; kh < g.kH(); kh++) {
            int ih = ih0 + kh, row = sOff + kh * rowInts;
            if (ih < 0 || ih >= inH) continue;
            int src = inOff + ih * inW;
            for (int q = 0; q < sw; q++) {
                int dst = row + q * phase;
                // phase element m reads column sw·m + q − pl: the columns inside the row are [lo, hi), so the
                // copy runs without a bounds test per element (that test cost 6–14 % of the stem's time)
                int lo = Math.min(phase, Math.max(0, -Math.floorDiv(q - pl, sw)));
                int hi = Math.max(lo, Math.min(phase, Math.floorDiv(inW - 1 + pl - q, sw) + 1));
                java.util.Arrays.fill(s, dst, dst + lo, 0);
                for (int m = lo, iw = sw * lo + q - pl; m < hi; m++, iw += sw) s[dst + m] = in[src + iw] - zp;
                java.util.Arrays.fill(s, dst + hi, dst + phase, 0);
            }
        }
    }

    /** s[acc + j] += w · s[src + j] for j < n. */
    private void rowMultiplyAdd(int[] s, int acc, int src, int w, int n) {
        if (vector) {
            ConvInt8Simd.multiplyAdd(s, acc, src, w, n);
            return;
        }
        for (int j = 0; j < n; j++) s[acc + j] += w * s[src + j];
    }
}
