package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.simd.RequantizePixelsSimd;
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
        /** Elements per chunk of the vector path. */
        private static final int CHUNK = 64;
        private final int aZp, bZp, outZp, aMul, aShift, bMul, bShift, outMul, outShift, qmin, qmax;

        private final RequantizePixelsSimd aRq, bRq, outRq; // the three rescalings on vectors, or null

        public Int8(QuantParams a, QuantParams b, QuantParams out, Activation act) {
            this(a, b, out, act, VectorSupport.vectorRequantization());
        }

        /** {@code vectorRequantization}: the chunked path on vectors, whatever the JDK (the tests run both). */
        public Int8(QuantParams a, QuantParams b, QuantParams out, Activation act, boolean vectorRequantization) {
            boolean v = vectorRequantization && VectorSupport.modulepresent() && RequantizePixelsSimd.fits(RequantizePixelsSimd.lanes());
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
            this.aRq = v ? RequantizePixelsSimd.uniform(aMul, aShift, 0, Integer.MIN_VALUE, Integer.MAX_VALUE) : null;
            this.bRq = v ? RequantizePixelsSimd.uniform(bMul, bShift, 0, Integer.MIN_VALUE, Integer.MAX_VALUE) : null;
            this.outRq = v ? RequantizePixelsSimd.uniform(outMul, outShift, outZp, qmin, qmax) : null;
        }

        /**
         * Ints of scratch {@link #run(int, byte[], int, byte[], int, byte[], int, int[], int)} needs: two
         * chunks of widened inputs, or none where the elements run one at a time (no vector requantization).
         */
        public int scratchInts() {
            return outRq != null ? 2 * CHUNK : 0;
        }

        /**
         * {@link #run(int, byte[], int, byte[], int, byte[], int)}, bit for bit, in chunks: each input widened
         * into the scratch, both rescaled, summed and requantized on vectors ({@link RequantizePixelsSimd#uniform}:
         * each rescaling's constants are the same for every element); a tail shorter than a vector runs alone.
         */
        public void run(int n, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int[] s, int sOff) {
            if (outRq == null) {
                run(n, a, aOff, b, bOff, out, outOff);
                return;
            }
            final int x = sOff, y = sOff + CHUNK;
            for (int base = 0; base < n; base += CHUNK) {
                final int m = Math.min(CHUNK, n - base), ai = aOff + base, bi = bOff + base;
                for (int k = 0; k < m; k++) {
                    s[x + k] = (a[ai + k] - aZp) << LEFT_SHIFT;
                    s[y + k] = (b[bi + k] - bZp) << LEFT_SHIFT;
                }
                int done = aRq.applyRun(s, x, m);
                bRq.applyRun(s, y, m);
                for (int k = 0; k < done; k++) s[x + k] += s[y + k];
                outRq.applyRun(s, x, done);
                for (int k = 0; k < done; k++) out[outOff + base + k] = (byte) s[x + k];
                if (done < m) run(m - done, a, ai + done, b, bi + done, out, outOff + base + done);
            }
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
