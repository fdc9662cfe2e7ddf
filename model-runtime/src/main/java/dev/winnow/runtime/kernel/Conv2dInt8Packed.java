package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;

/**
 * The int8 convolution on packed longs. Each receptive field is gathered once into scratch with the
 * zero point subtracted (zeros where the window leaves the input); then each pair of output channels
 * is one contiguous dot product on longs holding two int32 lanes ({@link #pack}).
 */
sealed class Conv2dInt8Packed extends Conv2dInt8 permits Conv2dInt8Interior4 {
    @Override public String name() { return "int8-packed"; }

    private final long[] wPair;    // two output channels' filters per long, OHWI order within a pair
    private final long[] biasPair;

    Conv2dInt8Packed(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filterOhwi, filterScales, bias, in, out, act);
        int per = g.kH() * g.kW() * g.inC(), pairs = (g.outC() + 1) / 2;
        this.wPair = new long[pairs * per];
        this.biasPair = new long[pairs];
        for (int p = 0; p < pairs; p++) {
            int lo = 2 * p, hi = 2 * p + 1;
            for (int i = 0; i < per; i++) wPair[p * per + i] = pack(w[lo * per + i], hi < g.outC() ? w[hi * per + i] : 0);
            biasPair[p] = pack(this.bias[lo], hi < g.outC() ? this.bias[hi] : 0);
        }
    }

    /** Every lane sum fits in an int, so the packed sums are exact (true unless a bias is near 2^31). */
    static boolean fits(ConvGeometry g, int[] bias) {
        long bound = 0;
        if (bias != null) for (int b : bias) bound = Math.max(bound, Math.abs((long) b));
        return bound + (long) g.kH() * g.kW() * g.inC() * 255 * 128 < Integer.MAX_VALUE;
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

    /** One receptive field. */
    @Override
    public int scratchInts() { return g.kH() * g.kW() * g.inC(); }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) pixel(in, inOff, out, outOff, oh, ow, s, sOff);
        }
    }

    /** One output pixel: its receptive field gathered into s, then a packed dot product per channel pair. */
    final void pixel(byte[] in, int inOff, byte[] out, int outOff, int oh, int ow, int[] s, int sOff) {
        gather(in, inOff, oh, ow, s, sOff);
        final int outC = g.outC(), per = g.kH() * g.kW() * g.inC(), pairs = biasPair.length;
        final long[] wp = wPair;
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

    /** Output pixel (oh, ow)'s receptive field into s in OHWI's (kh, kw, ic) order, the zero point subtracted, zeros outside the input. */
    private void gather(byte[] in, int inOff, int oh, int ow, int[] s, int sOff) {
        final int inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
        final int zp = inZp, rowTaps = kW * inC;
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
    }
}
