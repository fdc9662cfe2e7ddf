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
     *
     * <p>An input's rescaled value depends on its int8 value alone, so each input's 256 rescaled values
     * are computed once, with TFLite's arithmetic ({@link FixedPoint#multiplyByQuantizedMultiplier}), and
     * read from a table per element: one fixed-point multiply an element (the output's) instead of three,
     * the same bits. Immutable; any thread may call {@code run}.
     */
    public static final class Int8 {
        private static final int LEFT_SHIFT = 20;
        /** Elements per chunk of the vector path. */
        private static final int CHUNK = 64;
        private final int outZp, outMul, outShift, qmin, qmax;
        /** Each input's rescaled value by its int8 value + 128. */
        private final int[] aRescaled, bRescaled;

        private final RequantizePixelsSimd outRq; // the output's requantization on vectors, or null
        private final boolean guarded; // chosen by default: scalar once VectorGuard trips

        /** Vector requantization where {@link VectorSupport#vectorRequantization()} says so, under {@link VectorGuard}. */
        public Int8(QuantParams a, QuantParams b, QuantParams out, Activation act) {
            this(a, b, out, act, VectorSupport.vectorRequantization(), true);
        }

        /** {@code vectorRequantization}: the chunked path on vectors, whatever the JDK (the tests run both). */
        public Int8(QuantParams a, QuantParams b, QuantParams out, Activation act, boolean vectorRequantization) {
            this(a, b, out, act, vectorRequantization, false);
        }

        private Int8(QuantParams a, QuantParams b, QuantParams out, Activation act, boolean vectorRequantization, boolean guarded) {
            this.guarded = guarded;
            boolean v = vectorRequantization && VectorSupport.modulepresent() && RequantizePixelsSimd.fits(RequantizePixelsSimd.lanes());
            double twiceMax = 2.0 * Math.max(a.scale(), b.scale());
            FixedPoint.Multiplier om = FixedPoint.quantizeMultiplier(twiceMax / ((1 << LEFT_SHIFT) * (double) out.scale()));
            this.aRescaled = rescaled(a.zeroPoint(), FixedPoint.quantizeMultiplier(a.scale() / twiceMax));
            this.bRescaled = rescaled(b.zeroPoint(), FixedPoint.quantizeMultiplier(b.scale() / twiceMax));
            this.outZp = out.zeroPoint();
            this.outMul = om.multiplier();
            this.outShift = om.shift();
            this.qmin = act.qmin(out);
            this.qmax = act.qmax(out);
            this.outRq = v ? RequantizePixelsSimd.uniform(outMul, outShift, outZp, qmin, qmax) : null;
        }

        /** Whether a call of the chunked {@code run} now requantizes on vectors: chosen so, and not turned off since by {@link VectorGuard}. */
        public boolean requantizesOnVectors() {
            return outRq != null && VectorGuard.allows(guarded);
        }

        private static int[] rescaled(int zp, FixedPoint.Multiplier m) {
            int[] t = new int[256];
            for (int q = -128; q < 128; q++) t[q + 128] = FixedPoint.multiplyByQuantizedMultiplier((q - zp) << LEFT_SHIFT, m.multiplier(), m.shift());
            return t;
        }

        /**
         * Ints of scratch {@link #run(int, byte[], int, byte[], int, byte[], int, int[], int)} needs: a chunk
         * of sums, or none where the elements run one at a time (no vector requantization).
         */
        public int scratchInts() {
            return outRq != null ? CHUNK : 0;
        }

        /**
         * {@link #run(int, byte[], int, byte[], int, byte[], int)}, bit for bit, in chunks: the rescaled
         * inputs summed into the scratch and requantized on vectors ({@link RequantizePixelsSimd#uniform}:
         * the constants are the same for every element); a tail shorter than a vector runs alone.
         */
        public void run(int n, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int[] s, int sOff) {
            if (!requantizesOnVectors()) {
                run(n, a, aOff, b, bOff, out, outOff);
                return;
            }
            final int[] at = aRescaled, bt = bRescaled;
            for (int base = 0; base < n; base += CHUNK) {
                final int m = Math.min(CHUNK, n - base), ai = aOff + base, bi = bOff + base;
                for (int k = 0; k < m; k++) s[sOff + k] = at[a[ai + k] + 128] + bt[b[bi + k] + 128];
                int done = outRq.applyRun(s, sOff, m);
                for (int k = 0; k < done; k++) out[outOff + base + k] = (byte) s[sOff + k];
                if (done < m) run(m - done, a, ai + done, b, bi + done, out, outOff + base + done);
            }
        }

        public void run(int n, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff) {
            final int[] at = aRescaled, bt = bRescaled;
            for (int i = 0; i < n; i++) {
                int sum = at[a[aOff + i] + 128] + bt[b[bOff + i] + 128];
                int v = FixedPoint.multiplyByQuantizedMultiplier(sum, outMul, outShift) + outZp;
                out[outOff + i] = (byte) FixedPoint.clamp(v, qmin, qmax);
            }
        }
    }
}
