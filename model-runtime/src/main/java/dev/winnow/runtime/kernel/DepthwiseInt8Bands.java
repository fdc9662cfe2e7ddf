package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;
import java.util.Arrays;

/**
 * The int8 depthwise convolution (multiplier 1) for a JVM that runs no vector kernels, in exact float sums
 * over {@link FloatBands}: a channel at a time, its phases of the band filled once, each filter tap one
 * multiply-add of the whole band into the channel's accumulator plane, which C2 vectorizes on JDK 17.
 * Three planes: the accumulators, the phase, the tap.
 */
final class DepthwiseInt8Bands extends DepthwiseConv2dInt8 {
    private final FloatBands bands;
    private final float[] wf; // the filter as floats, [kh][kw][c]

    @Override public String name() { return "int8-dw-float-bands"; }

    DepthwiseInt8Bands(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filter, filterScales, bias, in, out, act);
        if (!fits(g)) throw new IllegalArgumentException("the depthwise float bands take multiplier 1 and equal strides");
        this.bands = new FloatBands(g, planes(), g.kH() * g.kW()); // an output sums one channel's window
        this.wf = new float[wInt.length];
        for (int i = 0; i < wf.length; i++) wf[i] = wInt[i];
    }

    /** Multiplier 1, equal strides, and a window whose sums floats hold exactly. */
    static boolean fits(ConvGeometry g) {
        return g.outC() == g.inC() && FloatBands.fits(g, g.kH() * g.kW());
    }

    @Override public int planes() { return 3; }

    @Override public int planeFloats() { return bands.planeFloats; }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] scratch, int sOff, float[][] planes) {
        final int ch = g.outC(), outH = g.outH(), kH = g.kH(), kW = g.kW(), s = bands.s;
        float[] acc = planes[0], phase = planes[1], tap = planes[2];
        for (int r0 = 0; r0 < outH; r0 += bands.bandRows) {
            int rows = Math.min(bands.bandRows, outH - r0), n = rows * bands.wp;
            for (int c = 0; c < ch; c++) {
                Arrays.fill(acc, 0, n, 0f);
                for (int py = 0; py < s && py < kH; py++) {
                    for (int px = 0; px < s && px < kW; px++) {
                        bands.fillPhase(in, inOff, inZp, c, py, px, r0, phase);
                        for (int kh = py; kh < kH; kh += s) {
                            for (int kw = px; kw < kW; kw += s) FloatBands.madd(acc, bands.tap(phase, tap, kh, kw, n), wf[(kh * kW + kw) * ch + c], n);
                        }
                    }
                }
                bands.requantize(acc, bias[c], requantizer, c, out, outOff, r0, rows);
            }
        }
    }
}
