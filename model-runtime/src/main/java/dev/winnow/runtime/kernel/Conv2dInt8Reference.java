package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;

/** The reference int8 convolution: TFLite's definition as plain loops, no scratch. What every fast variant must equal. */
final class Conv2dInt8Reference extends Conv2dInt8 {
    @Override public String name() { return "int8-reference"; }

    Conv2dInt8Reference(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filterOhwi, filterScales, bias, in, out, act);
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
        final int outC = g.outC(), outW = g.outW();
        for (int oh = from; oh < to; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                int o = outOff + (oh * outW + ow) * outC;
                for (int oc = 0; oc < outC; oc++) out[o + oc] = requantize(dot(in, inOff, oh, ow, oc), oc);
            }
        }
    }

    /** bias + Σ (x − zero point) · w over output pixel (oh, ow)'s window; the padding holds the zero point and adds nothing. */
    private int dot(byte[] in, int inOff, int oh, int ow, int oc) {
        final int inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
        int ih0 = oh * g.strideH() - g.padTop(), iw0 = ow * g.strideW() - g.padLeft();
        int acc = bias[oc], wo = oc * kH * kW * inC;
        for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
            int ih = ih0 + kh;
            for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                int iw = iw0 + kw;
                int xb = inOff + (ih * inW + iw) * inC;
                int wb = wo + (kh * kW + kw) * inC;
                for (int ic = 0; ic < inC; ic++) acc += (in[xb + ic] - inZp) * w[wb + ic];
            }
        }
        return acc;
    }
}
