package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.runtime.kernel.simd.ConvInt8Simd;

/**
 * The stride-1 int8 convolution with fewer output channels than a vector has lanes (a detection
 * head's score conv: 15x20x32 → 4), where channels across the lanes would leave most of them empty:
 * the output pixels go across the lanes instead. Input channel by input channel, the channel is laid
 * out as one zero-padded plane whose rows are {@code outW + kW − 1} wide, with the zero point
 * subtracted; for stride 1 output pixel (oh, ow)'s tap (kh, kw) then sits at plane offset
 * {@code (oh + kh)·pitch + ow + kw}, so each (output channel, tap) is one multiply-add of a weight over
 * one contiguous run covering every output pixel ({@link ConvInt8Simd#multiplyAdd}, no accumulator
 * crosses its loop: allocation-free on JDK 17 too). The accumulators keep the plane's pitch; the
 * {@code kW − 1} columns past each output row are computed and dropped.
 *
 * <p>Under {@link VectorGuard} when built by default: in a JVM whose C2 boxed vectors (seen for this
 * kernel once, in the test JVM that runs every kernel at many shapes) the multiply-adds take the
 * scalar loop from the call after the guard trips, the same sums.
 */
final class Conv2dInt8Planes extends Conv2dInt8 {
    @Override public String name() { return "int8-planes-vector"; }

    private final int pitch, planeInts, run;
    private final boolean guarded;

    /** {@code guarded}: chosen by default, and scalar once {@link VectorGuard} trips. */
    Conv2dInt8Planes(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                     boolean guarded) {
        super(g, filterOhwi, filterScales, bias, in, out, act);
        this.guarded = guarded;
        if (!fits(g)) throw new IllegalArgumentException("the planes kernel takes stride 1 and fewer output channels than vector lanes");
        this.pitch = g.outW() + g.kW() - 1;
        this.planeInts = (g.outH() + g.kH() - 1) * pitch;
        this.run = (g.outH() - 1) * pitch + g.outW();
    }

    /**
     * Stride 1, a spatial filter over several input channels, and too few output channels to fill a
     * vector (else interior4 serves). A 1x1 filter with few channels is a small product the packed
     * kernel does without the planes' scratch.
     */
    static boolean fits(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.kH() * g.kW() > 1 && g.inC() > 1 && !ConvInt8Simd.fits(g.outC());
    }

    /** One input channel's padded plane, then every output channel's accumulators at the plane's pitch. */
    @Override
    public int scratchInts() { return planeInts + g.outC() * run; }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        final int outC = g.outC(), inC = g.inC(), kH = g.kH(), kW = g.kW();
        final int acc = sOff + planeInts;
        final boolean vectors = VectorGuard.allows(guarded);
        for (int oc = 0; oc < outC; oc++) java.util.Arrays.fill(s, acc + oc * run, acc + (oc + 1) * run, bias[oc]);
        for (int ic = 0; ic < inC; ic++) {
            plane(in, inOff, ic, s, sOff);
            for (int oc = 0; oc < outC; oc++) {
                int a = acc + oc * run, wo = oc * kH * kW * inC + ic;
                for (int kh = 0; kh < kH; kh++) {
                    for (int kw = 0; kw < kW; kw++) {
                        int weight = w[wo + (kh * kW + kw) * inC];
                        if (weight == 0) continue;
                        int src = sOff + kh * pitch + kw;
                        if (vectors) ConvInt8Simd.multiplyAdd(s, a, src, weight, run);
                        else for (int j = 0; j < run; j++) s[a + j] += weight * s[src + j];
                    }
                }
            }
        }
        final int outH = g.outH(), outW = g.outW();
        for (int oc = 0; oc < outC; oc++) {
            int a = acc + oc * run;
            for (int oh = 0; oh < outH; oh++) {
                int o = outOff + oh * outW * outC + oc, src = a + oh * pitch;
                for (int ow = 0; ow < outW; ow++) out[o + ow * outC] = requantize(s[src + ow], oc);
            }
        }
    }

    /** Input channel {@code ic} into s as a plane of pitch {@link #pitch}: the zero point subtracted, zeros in the padding. */
    private void plane(byte[] in, int inOff, int ic, int[] s, int sOff) {
        final int inH = g.inH(), inW = g.inW(), inC = g.inC(), pt = g.padTop(), pl = g.padLeft(), rows = planeInts / pitch, zp = inZp;
        for (int r = 0; r < rows; r++) {
            int ih = r - pt, row = sOff + r * pitch;
            if (ih < 0 || ih >= inH) {
                java.util.Arrays.fill(s, row, row + pitch, 0);
                continue;
            }
            int src = inOff + ih * inW * inC + ic;
            for (int c = 0; c < pitch; c++) {
                int iw = c - pl;
                s[row + c] = iw >= 0 && iw < inW ? in[src + iw * inC] - zp : 0;
            }
        }
    }
}
