package dev.winnow.runtime.quant;

/**
 * TensorFlow Lite's fixed-point requantization, bit for bit: a real multiplier M is represented as
 * a Q31 integer and a power-of-two shift, and int32 accumulators are scaled by it with
 * round-half-away-from-zero, so int8 results match what TFLite would produce.
 */
public final class FixedPoint {
    private FixedPoint() {}

    /** A real multiplier as (Q31 multiplier, shift): M = multiplier * 2^(shift - 31). */
    public record Multiplier(int multiplier, int shift) {
        public double value() {
            return multiplier * Math.pow(2, shift - 31);
        }
    }

    public static Multiplier quantizeMultiplier(double m) {
        if (m < 0 || !Double.isFinite(m)) throw new IllegalArgumentException("multiplier must be finite and >= 0: " + m);
        if (m == 0) return new Multiplier(0, 0);
        int shift = Math.getExponent(m) + 1;          // m = q * 2^shift with q in [0.5, 1)
        double q = m / Math.pow(2, shift);
        long qFixed = Math.round(q * (1L << 31));
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31) return new Multiplier(0, 0);
        if (shift > 30) throw new IllegalArgumentException("multiplier too large: " + m);
        return new Multiplier((int) qFixed, shift);
    }

    /** (a * b * 2) >> 32 with rounding, saturating the single overflow case (MIN * MIN). */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) return Integer.MAX_VALUE;
        long ab = (long) a * b;
        long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31));
    }

    /** x / 2^exponent rounded half away from zero. */
    public static int roundingDivideByPot(int x, int exponent) {
        int mask = (1 << exponent) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * x * M as TensorFlow Lite computes it: {@link #saturatingRoundingDoublingHighMul} then
     * {@link #roundingDivideByPot}. Written without data-dependent branches: accumulator signs are a
     * coin toss under ReLU layers, and mispredicted branches were most of this function's cost in the
     * int8 kernels. Same results (FixedPointTest checks it against the two calls).
     */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        int a = x << left;
        if (a == Integer.MIN_VALUE && multiplier == Integer.MIN_VALUE) return roundingDivideByPot(Integer.MAX_VALUE, right);
        long ab = (long) a * multiplier;
        // Both roundings are symmetric about zero, so they run on the magnitude and the sign goes back on
        // at the end: the high multiply's nudge rounds |ab| / 2^31 half up (half toward zero when ab < 0),
        // and the rounding shift rounds half up in magnitude, which is half away from zero. Fewer steps in
        // a row than the signed form, the same bits.
        long neg = ab >> 63;                                        // -1 when ab < 0, else 0
        long q = (((ab ^ neg) - neg) + (1L << 30) + neg) >> 31;     // |high|
        long r = (q + ((1L << right) >> 1)) >> right;               // |high| / 2^right, half up
        return (int) ((r ^ neg) - neg);
    }

    public static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
