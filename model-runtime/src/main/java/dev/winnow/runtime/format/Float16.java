package dev.winnow.runtime.format;

/**
 * IEEE 754 binary16 ("half") conversions for float16 weights: TF.js and other converters store
 * weights this way, and keeping them as float16 halves the artifact. Decoding is exact (every
 * binary16 value is a float32 value); encoding rounds to nearest, ties to even. Java 17 has no
 * {@code Float.float16ToFloat}, hence this class. Stateless and thread safe.
 */
public final class Float16 {
    private Float16() {}

    /** The float32 value of binary16 bits {@code h}. */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int man = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (man << 13));   // inf, NaN (payload kept)
        if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (man << 13)); // 112 = 127 - 15
        if (man == 0) return Float.intBitsToFloat(sign);                                   // ±0
        // subnormal: man * 2^-24, normalised into float32's wider exponent
        int shift = Integer.numberOfLeadingZeros(man) - 21;                                // bring the leading 1 to bit 10
        man = (man << shift) & 0x3ff;
        return Float.intBitsToFloat(sign | ((113 - shift) << 23) | (man << 13));
    }

    /** Whether {@code h} is neither infinite nor NaN. */
    public static boolean isFinite(short h) {
        return ((h >>> 10) & 0x1f) != 0x1f;
    }

    /** binary16 bits of {@code f}, rounded to nearest even; out-of-range values become ±infinity. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int man = bits & 0x7fffff;
        if (exp == 0xff) return (short) (sign | 0x7c00 | (man != 0 ? 0x200 | (man >>> 13) : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1f) return (short) (sign | 0x7c00);
        if (e <= 0) {
            if (e < -10) return (short) sign;                          // below half the smallest subnormal
            man |= 0x800000;                                           // the implicit 1
            int shift = 14 - e;                                        // to binary16's subnormal grid
            int q = man >>> shift, rest = man & ((1 << shift) - 1), half = 1 << (shift - 1);
            if (rest > half || (rest == half && (q & 1) != 0)) q++;
            return (short) (sign | q);
        }
        int q = (e << 10) | (man >>> 13), rest = man & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (q & 1) != 0)) q++;   // may carry into the exponent: still right
        return (short) (sign | q);
    }
}
