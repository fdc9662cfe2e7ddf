package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;

/**
 * The int8 depthwise convolution with multiplier 1 and the channel loop innermost (contiguous), over
 * one accumulator per channel in the scratch; plain Java, for JVMs without the Vector API module.
 */
final class DepthwiseInt8Channels extends DepthwiseConv2dInt8 {
    @Override public String name() { return "int8-dw-channels"; }

    DepthwiseInt8Channels(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filter, filterScales, bias, in, out, act);
        if (mult != 1) throw new IllegalArgumentException("the channel loops need multiplier 1, not " + mult);
    }

    @Override
    public int scratchInts() { return g.outC(); }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        final int ch = g.outC(), inW = g.inW(), kW = g.kW(), zp = inZp;
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
}
