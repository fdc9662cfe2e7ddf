package dev.winnow.runtime.quant;

/**
 * 16-bit fixed point with power-of-two scales, as SeeDot generates and EdgeML's quantized C code
 * uses: a value v is stored as round(v · 2^frac) saturated to [−32768, 32767].
 */
public final class Q15 {
    private Q15() {}

    public static short saturate(long v) {
        return (short) (v < Short.MIN_VALUE ? Short.MIN_VALUE : (v > Short.MAX_VALUE ? Short.MAX_VALUE : v));
    }

    public static short quantize(double v, int frac) {
        return saturate(Math.round(v * (1L << frac)));
    }

    public static short[] quantize(float[] v, int frac) {
        short[] q = new short[v.length];
        for (int i = 0; i < v.length; i++) q[i] = quantize(v[i], frac);
        return q;
    }

    public static double dequantize(int q, int frac) {
        return q / (double) (1L << frac);
    }

    /** The most fractional bits (up to 15) that still hold max |v|. */
    public static int fracBitsFor(float[] v) {
        double m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        int frac = 15;
        while (frac > 0 && m * (1L << frac) > Short.MAX_VALUE) frac--;
        return frac;
    }

    /** x · 2^−shift rounded half up (shift ≥ 0), or x · 2^(−shift) for a negative shift. */
    public static long shift(long x, int shift) {
        if (shift <= 0) return x << -shift;
        return (x + (1L << (shift - 1))) >> shift;
    }

    /**
     * EdgeML's {@code q15_v_sigmoid}: saturate(0, v/div + add, limit) · 2^(scaleOut − scaleIn), the
     * piecewise-linear sigmoid (x + 1)/2 clipped to [0, 1] in fixed point. Division truncates toward
     * zero, as C's does.
     */
    public static void sigmoidPiecewise(short[] v, int n, int div, int add, int limit, int scaleIn, int scaleOut, short[] out) {
        for (int i = 0; i < n; i++) {
            int x = v[i] / div + add;
            x = x < 0 ? 0 : Math.min(x, limit);
            out[i] = saturate(scaleOut >= scaleIn ? (long) x << (scaleOut - scaleIn) : x >> (scaleIn - scaleOut));
        }
    }

    /** EdgeML's {@code q15_v_tanh}: clip to ±2^scaleIn (±1), then rescale. */
    public static void tanhPiecewise(short[] v, int n, int scaleIn, int scaleOut, short[] out) {
        int lim = 1 << scaleIn;
        for (int i = 0; i < n; i++) {
            int x = Math.max(-lim, Math.min(lim, v[i]));
            out[i] = saturate(scaleOut >= scaleIn ? (long) x << (scaleOut - scaleIn) : x >> (scaleIn - scaleOut));
        }
    }
}
