package dev.winnow.runtime.kernel;

/**
 * exp, sigmoid and tanh in float for the activation and RNN kernels, where they cost as much as the
 * matrix arithmetic. exp reduces x = k ln2 + r with |r| <= ln2/2 and evaluates a degree-6 Taylor
 * polynomial (truncation error below 1.3e-7 relative), then scales by 2^k through the exponent bits.
 * k is rounded by adding 1.5·2^23, which leaves round(x·log2 e) in the low mantissa bits: no
 * branch, no call (Math.round is neither on JDK 17).
 * Measured maximum errors against {@link Math} are asserted in FastMathTest: exp 3e-7 relative,
 * sigmoid and tanh 3e-7 absolute.
 */
public final class FastMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.42860682030941723212e-6f;
    private static final float ROUNDER = 12582912f; // 1.5 * 2^23
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

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

    public static float tanh(float x) {
        if (x > 9f) return 1f;
        if (x < -9f) return -1f;
        return 2f / (1f + exp(-2f * x)) - 1f;
    }
}
