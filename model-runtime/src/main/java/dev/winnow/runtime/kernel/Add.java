package dev.winnow.runtime.kernel;

import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.QuantParams;

/** Element-wise addition of two tensors of the same shape (residual connections). */
public final class Add {
    private Add() {}

    public static void float32(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, Activation act) {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.min(act.max, Math.max(act.min, a[aOff + i] + b[bOff + i]));
    }

    /**
     * TFLite's int8 add: both inputs are shifted left by 20 bits for headroom, rescaled to a common
     * scale of twice the larger input scale, summed and requantized to the output.
     */
    public static final class Int8 {
        private static final int LEFT_SHIFT = 20;
        private final int aZp, bZp, outZp, aMul, aShift, bMul, bShift, outMul, outShift, qmin, qmax;

        public Int8(QuantParams a, QuantParams b, QuantParams out, Activation act) {
            double twiceMax = 2.0 * Math.max(a.scale(), b.scale());
            FixedPoint.Multiplier am = FixedPoint.quantizeMultiplier(a.scale() / twiceMax);
            FixedPoint.Multiplier bm = FixedPoint.quantizeMultiplier(b.scale() / twiceMax);
            FixedPoint.Multiplier om = FixedPoint.quantizeMultiplier(twiceMax / ((1 << LEFT_SHIFT) * (double) out.scale()));
            this.aZp = a.zeroPoint();
            this.bZp = b.zeroPoint();
            this.outZp = out.zeroPoint();
            this.aMul = am.multiplier();
            this.aShift = am.shift();
            this.bMul = bm.multiplier();
            this.bShift = bm.shift();
            this.outMul = om.multiplier();
            this.outShift = om.shift();
            this.qmin = act.qmin(out);
            this.qmax = act.qmax(out);
        }

        public void run(int n, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff) {
            for (int i = 0; i < n; i++) {
                int x = (a[aOff + i] - aZp) << LEFT_SHIFT;
                int y = (b[bOff + i] - bZp) << LEFT_SHIFT;
                int sum = FixedPoint.multiplyByQuantizedMultiplier(x, aMul, aShift)
                        + FixedPoint.multiplyByQuantizedMultiplier(y, bMul, bShift);
                int v = FixedPoint.multiplyByQuantizedMultiplier(sum, outMul, outShift) + outZp;
                out[outOff + i] = (byte) FixedPoint.clamp(v, qmin, qmax);
            }
        }
    }
}
