package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

/**
 * XNOR-Net convolution: the input's channel signs at each pixel are packed into words, filters are
 * packed per output channel as [kH][kW][words], and each window is a run of XNOR + POPCNT. Taps in
 * the padding contribute nothing (neither +1 nor -1), so the count of valid taps is used per pixel.
 * One input scale beta = mean |x| over the whole input (XNOR-Net's per-position K averaged).
 */
public final class BinaryConv2d extends BinaryLayer {
    private final ConvGeometry g;
    private final int wordsPerPixel;

    /** Binarizes a float OHWI filter: signs per (kh, kw) channel run, alpha = mean |W| per output channel. */
    public BinaryConv2d(ConvGeometry g, float[] filterOhwi, float[] bias, Activation act) {
        super(new long[g.outC() * g.kH() * g.kW() * BinaryPacking.words(g.inC())], new float[g.outC()], bias, g.outC(), g.inC(), act);
        this.g = g;
        this.wordsPerPixel = BinaryPacking.words(g.inC());
        int taps = g.kH() * g.kW();
        int per = taps * g.inC();
        if (filterOhwi.length != per * g.outC()) throw new IllegalArgumentException("filter size does not match the geometry");
        for (int oc = 0; oc < g.outC(); oc++) {
            float sum = 0;
            for (int i = 0; i < per; i++) sum += Math.abs(filterOhwi[oc * per + i]);
            alpha[oc] = sum / per;
            for (int t = 0; t < taps; t++) {
                BinaryPacking.pack(filterOhwi, oc * per + t * g.inC(), g.inC(), w, (oc * taps + t) * wordsPerPixel);
            }
        }
    }

    /** Words of packed input this layer needs as scratch: one run per input pixel. */
    public int scratchWords() {
        return g.inH() * g.inW() * wordsPerPixel;
    }

    public static long binaryOps(ConvGeometry g) {
        return Conv2d.macs(g);
    }

    /** Packs the input into {@code scratch} and convolves. */
    public void run(float[] in, int inOff, long[] scratch, int scratchOff, float[] out, int outOff) {
        final int c = g.inC();
        float sumAbs = 0;
        for (int p = 0; p < g.inH() * g.inW(); p++) {
            sumAbs += BinaryPacking.pack(in, inOff + p * c, c, scratch, scratchOff + p * wordsPerPixel) * c;
        }
        float beta = sumAbs / g.inputSize();
        final int taps = g.kH() * g.kW();
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                int o = outOff + (oh * g.outW() + ow) * g.outC();
                for (int oc = 0; oc < g.outC(); oc++) {
                    int pop = 0;
                    int valid = 0;
                    for (int kh = 0; kh < g.kH(); kh++) {
                        int ih = oh * g.strideH() - g.padTop() + kh;
                        if (ih < 0 || ih >= g.inH()) continue;
                        for (int kw = 0; kw < g.kW(); kw++) {
                            int iw = ow * g.strideW() - g.padLeft() + kw;
                            if (iw < 0 || iw >= g.inW()) continue;
                            int xb = scratchOff + (ih * g.inW() + iw) * wordsPerPixel;
                            int wb = (oc * taps + kh * g.kW() + kw) * wordsPerPixel;
                            for (int j = 0; j < wordsPerPixel - 1; j++) pop += Long.bitCount(~(w[wb + j] ^ scratch[xb + j]));
                            pop += Long.bitCount(~(w[wb + wordsPerPixel - 1] ^ scratch[xb + wordsPerPixel - 1]) & tailMask);
                            valid++;
                        }
                    }
                    float v = alpha[oc] * beta * (2 * pop - valid * c) + bias[oc];
                    out[o + oc] = Math.min(max, Math.max(min, v));
                }
            }
        }
    }
}
