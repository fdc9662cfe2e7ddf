package dev.winnow.runtime.kernel;

/** Sign binarization into 64-bit words (bit i of word j = element 64j+i, 1 for x >= 0), as XNOR-Net. */
public final class BinaryPacking {
    private BinaryPacking() {}

    public static int words(int n) {
        return (n + 63) >>> 6;
    }

    /** Packs the signs of {@code n} values and returns their mean absolute value (XNOR-Net's beta). */
    public static float pack(float[] x, int xOff, int n, long[] bits, int bitsOff) {
        float sumAbs = 0;
        int words = words(n);
        for (int j = 0; j < words; j++) {
            long w = 0;
            int base = j << 6;
            int end = Math.min(64, n - base);
            for (int i = 0; i < end; i++) {
                float v = x[xOff + base + i];
                sumAbs += Math.abs(v);
                if (v >= 0) w |= 1L << i;
            }
            bits[bitsOff + j] = w;
        }
        return sumAbs / n;
    }

    /** Packs each row of a [rows][n] matrix; returns alpha = mean |row| per row. */
    public static float[] packRows(float[] m, int rows, int n, long[] bits) {
        float[] alpha = new float[rows];
        for (int r = 0; r < rows; r++) alpha[r] = pack(m, r * n, n, bits, r * words(n));
        return alpha;
    }
}
