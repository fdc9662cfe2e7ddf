package dev.winnow.runtime.family;

/**
 * An int8 matrix [rows][cols] with one symmetric scale per row (TFLite weights: zero point 0), as
 * int8 Bonsai and int8 ProtoNN take their stored weights.
 */
public record Int8Rows(byte[] values, float[] scales) {
    /** Symmetric int8 per row with scale max|row|/127. */
    public static Int8Rows quantize(float[] m, int rows, int cols) {
        if (m.length != (long) rows * cols) throw new IllegalArgumentException("matrix has " + m.length + " values, not " + rows + "×" + cols);
        float[] s = new float[rows];
        for (int r = 0; r < rows; r++) {
            float mx = 0;
            for (int c = 0; c < cols; c++) mx = Math.max(mx, Math.abs(m[r * cols + c]));
            s[r] = mx > 0 ? mx / 127 : 1;
        }
        byte[] q = new byte[m.length];
        for (int i = 0; i < m.length; i++) q[i] = (byte) Math.max(-127, Math.min(127, Math.round(m[i] / s[i / cols])));
        return new Int8Rows(q, s);
    }

    void check(String what, int rows, int cols) {
        if (scales.length != rows || values.length != (long) rows * cols) {
            throw new IllegalArgumentException("int8 Bonsai " + what + " must be [" + rows + "][" + cols + "] with " + rows + " row scales, has "
                    + values.length + " values and " + scales.length + " scales");
        }
        for (float s : scales) if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("int8 Bonsai " + what + " has a scale that is not finite and > 0");
    }
}
