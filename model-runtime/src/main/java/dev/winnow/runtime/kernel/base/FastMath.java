package dev.winnow.runtime.kernel.base;

/**
 * exp, sigmoid and tanh in float for the activation and RNN kernels, where they cost as much as the
 * matrix arithmetic. exp reduces x = k ln2 + r with |r| <= ln2/2 and evaluates a degree-6 Taylor
 * polynomial (truncation error below 1.3e-7 relative), then scales by 2^k through the exponent bits.
 * k is rounded by adding 1.5·2^23, which leaves round(x·log2 e) in the low mantissa bits: no
 * branch, no call (Math.round is neither on JDK 17).
 * {@link #tanhRational} has no branch and no bit trick, so the same arithmetic runs lane by lane in a
 * vector kernel (Bonsai's path) with the same answers.
 * Measured maximum errors against {@link Math} are asserted in FloatKernelsTest: exp 3e-7 relative,
 * sigmoid, tanh and tanhRational 3e-7 absolute.
 */
public final class FastMath {
    // exp's constants, public for the vector kernels that repeat its arithmetic lane by lane (FastGrnnSimd)
    public static final float LOG2E = 1.44269504088896341f;
    public static final float LN2_HI = 0.693145751953125f;
    public static final float LN2_LO = 1.42860682030941723212e-6f;
    public static final float ROUNDER = 12582912f; // 1.5 * 2^23
    public static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    private FastMath() {}

    public static float exp(float x) {
        if (x != x) return x;
        if (x > 88f) return (float) Math.exp(x); // 2^k would overflow the exponent bits
        if (x < -87.3f) return 0f;
        float t = x * LOG2E + ROUNDER;
        int k = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        float kf = t - ROUNDER;
        float r = x - kf * LN2_HI - kf * LN2_LO;
        float p = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
        return p * Float.intBitsToFloat((k + 127) << 23);
    }

    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /**
     * tanh from Lambert's continued fraction cut at [7/6], taken at x/2 on x clamped to ±9 (where float
     * tanh is ±1), then doubled with tanh 2y = 2t/(1 + t²); with t = p/q that is 2pq/(q² + p²), one
     * division. Maximum absolute error 2e-7 (float evaluation included).
     */
    public static float tanhRational(float x) {
        float y = Math.max(-9f, Math.min(9f, x)) * 0.5f, y2 = y * y;
        float p = y * (TANH_P0 + y2 * (TANH_P1 + y2 * (TANH_P2 + y2)));
        float q = TANH_P0 + y2 * (TANH_Q1 + y2 * (TANH_Q2 + y2 * TANH_Q3));
        return 2f * p * q / (q * q + p * p);
    }

    /**
     * a[off..off+n) = {@link #tanhRational}(a[..]) in place. One array, each element read and written at
     * the same index, no branch: the shape C2's superword vectorizes on JDK 17 without the Vector API
     * (1.5 ns an element at n = 32 against 4.1 with superword off, this VM), which {@link #tanh}, with its
     * range branches and exponent bit trick, is not.
     */
    public static void tanhRational(float[] a, int off, int n) {
        for (int i = off, end = off + n; i < end; i++) a[i] = tanhRational(a[i]);
    }

    /** Coefficients of {@link #tanhRational}'s [7/6] continued-fraction approximant. */
    public static final float TANH_P0 = 135135f, TANH_P1 = 17325f, TANH_P2 = 378f, TANH_Q1 = 62370f, TANH_Q2 = 3150f, TANH_Q3 = 28f;

    public static float tanh(float x) {
        if (x > 9f) return 1f;
        if (x < -9f) return -1f;
        return 2f / (1f + exp(-2f * x)) - 1f;
    }
}
