package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;

/** The reference int8 depthwise convolution: TFLite's definition as plain loops, any multiplier, no scratch. */
final class DepthwiseInt8Reference extends DepthwiseConv2dInt8 {
    @Override public String name() { return "int8-dw-reference"; }

    DepthwiseInt8Reference(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filter, filterScales, bias, in, out, act);
    }

    @Override
    public int scratchInts() { return 0; }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        rows(in, inOff, out, outOff, 0, g.outH());
    }

    /** Output rows [from, to) only: a self-check compares a few rows, not the whole output. */
    @Override
    public void runRows(byte[] in, byte[] out, int from, int to) {
        rows(in, 0, out, 0, from, to);
    }

    private void rows(byte[] in, int inOff, byte[] out, int outOff, int from, int to) {
        final int outC = g.outC(), inC = g.inC(), inW = g.inW(), kW = g.kW();
        for (int oh = from; oh < to; oh++) {
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
                            acc += (in[inOff + (ih * inW + iw) * inC + ic] - inZp) * wInt[(kh * kW + kw) * outC + c];
                        }
                    }
                    out[o + c] = requantizer.apply(acc, c);
                }
            }
        }
    }
}
