package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;
import java.util.Arrays;

/**
 * The int8 convolution for a JVM that runs no vector kernels (no {@code jdk.incubator.vector} module, or
 * {@code -Dwinnow.kernels.vector=false}), in exact float sums over {@link FloatBands}: one accumulator plane
 * per output channel, and each filter tap a multiply-add of the whole band, four output channels per loop
 * (the tap's values loaded once), which C2 vectorizes on JDK 17. Output channels go in groups of at most
 * {@link #GROUP}, so the planes stay few whatever the channel count.
 */
final class Conv2dInt8Bands extends Conv2dInt8 {
    /** The largest fan-in (kH · kW · inC) this kernel takes: {@link FloatBands#MAX_FAN_IN}. */
    static final int MAX_FAN_IN = FloatBands.MAX_FAN_IN;
    /**
     * Output channels per pass over the input. More would convert the input less often (each group fills its
     * phases again) but need more planes: 16 keeps every op of the detector within {@link FloatBands#PLANE_BUDGET}
     * in one set of planes of the same length, which is how the arena holds them.
     */
    static final int GROUP = 16;

    private final FloatBands bands;
    private final float[] wt; // weights by tap, the output channels innermost: [ic][kh][kw][oc]

    @Override public String name() { return "int8-float-bands"; }

    Conv2dInt8Bands(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filterOhwi, filterScales, bias, in, out, act);
        this.bands = new FloatBands(g, planes(), g.kH() * g.kW() * g.inC());
        int inC = g.inC(), kH = g.kH(), kW = g.kW(), outC = g.outC();
        this.wt = new float[kH * kW * inC * outC];
        for (int oc = 0; oc < outC; oc++)
            for (int kh = 0; kh < kH; kh++)
                for (int kw = 0; kw < kW; kw++)
                    for (int ic = 0; ic < inC; ic++) wt[((ic * kH + kh) * kW + kw) * outC + oc] = w[((oc * kH + kh) * kW + kw) * inC + ic];
    }

    /** Equal strides, and sums of kH · kW · inC products that floats hold exactly ({@link FloatBands#fits}). */
    static boolean fits(ConvGeometry g) {
        return FloatBands.fits(g, g.kH() * g.kW() * g.inC());
    }

    /** An accumulator plane per output channel of a group, the phase plane, and the tap plane. */
    @Override public int planes() { return Math.min(g.outC(), GROUP) + 2; }

    @Override public int planeFloats() { return bands.planeFloats; }

    /** Output rows in a band; for tests. */
    int bandRows() { return bands.bandRows; }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] scratch, int sOff, float[][] planes) {
        final int outC = g.outC(), outH = g.outH(), group = Math.min(outC, GROUP), s = bands.s;
        float[] phase = planes[group], tap = planes[group + 1];
        for (int r0 = 0; r0 < outH; r0 += bands.bandRows) {
            int rows = Math.min(bands.bandRows, outH - r0), n = rows * bands.wp;
            for (int c0 = 0; c0 < outC; c0 += group) {
                int c1 = Math.min(outC, c0 + group);
                for (int k = 0; k < c1 - c0; k++) Arrays.fill(planes[k], 0, n, 0f);
                for (int ic = 0; ic < g.inC(); ic++) {
                    for (int py = 0; py < s && py < g.kH(); py++) {
                        for (int px = 0; px < s && px < g.kW(); px++) {
                            bands.fillPhase(in, inOff, inZp, ic, py, px, r0, phase);
                            taps(planes, phase, tap, ic, py, px, n, c0, c1);
                        }
                    }
                }
                for (int oc = c0; oc < c1; oc++) bands.requantize(planes[oc - c0], bias[oc], requantizer, oc, out, outOff, r0, rows);
            }
        }
    }

    /** Every tap of phase (py, px) times each output channel's weight, into the accumulators of channels [c0, c1) (planes 0 to c1 − c0). */
    private void taps(float[][] planes, float[] phase, float[] tap, int ic, int py, int px, int n, int c0, int c1) {
        final int kH = g.kH(), kW = g.kW(), s = bands.s;
        for (int kh = py; kh < kH; kh += s) {
            for (int kw = px; kw < kW; kw += s) {
                float[] x = bands.tap(phase, tap, kh, kw, n);
                int wb = ((ic * kH + kh) * kW + kw) * g.outC(), oc = c0;
                for (; oc + 4 <= c1; oc += 4) {
                    int k = oc - c0;
                    madd4(planes[k], planes[k + 1], planes[k + 2], planes[k + 3], x, wt[wb + oc], wt[wb + oc + 1], wt[wb + oc + 2], wt[wb + oc + 3], n);
                }
                for (; oc < c1; oc++) FloatBands.madd(planes[oc - c0], x, wt[wb + oc], n);
            }
        }
    }

    /** Four output channels' multiply-adds over one tap's run; every array from index 0, which is what lets C2 vectorize it. */
    private static void madd4(float[] o0, float[] o1, float[] o2, float[] o3, float[] x, float w0, float w1, float w2, float w3, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            o0[i] += w0 * v;
            o1[i] += w1 * v;
            o2[i] += w2 * v;
            o3[i] += w3 * v;
        }
    }
}
