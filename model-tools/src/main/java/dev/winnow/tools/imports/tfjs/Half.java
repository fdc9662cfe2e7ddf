package dev.winnow.tools.imports.tfjs;

/** TEMPORARY until the runtime's FLOAT16 lands. */
final class Half {
    private Half() {}

    static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits >>> 15) & 1, exp = (bits >>> 10) & 0x1f, man = bits & 0x3ff;
        double v;
        if (exp == 0) v = man * Math.pow(2, -24);
        else if (exp == 31) v = man == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        else v = (1 + man / 1024.0) * Math.pow(2, exp - 15);
        return (float) (sign == 1 ? -v : v);
    }
}
