package dev.winnow.tools.onnx;

/**
 * How {@link OnnxExport} lays Winnow's tensors out in ONNX, for whoever feeds an exported model or reads
 * its outputs: a rank-3 tensor (HWC) becomes NCHW with a batch of one, {@code [1, C, H, W]}; every
 * other tensor keeps its order behind a leading batch of one.
 */
public final class OnnxLayout {
    private OnnxLayout() {}

    /** The ONNX shape of a tensor whose Winnow shape is {@code s}. */
    public static long[] shape(int[] s) {
        if (s.length == 3) return new long[] {1, s[2], s[0], s[1]};
        long[] d = new long[s.length + 1];
        d[0] = 1;
        for (int i = 0; i < s.length; i++) d[i + 1] = s[i];
        return d;
    }

    /** {@code x} of Winnow shape {@code s} in ONNX order (a copy; reordered only for rank 3). */
    public static float[] toNchw(float[] x, int[] s) {
        // HWC is a matrix of H·W pixel rows by C channel columns; CHW is its transpose
        return s.length == 3 ? transpose(x, s[0] * s[1], s[2]) : x.clone();
    }

    /** The inverse of {@link #toNchw}: ONNX values back in Winnow's order. */
    public static float[] toHwc(float[] x, int[] s) {
        return s.length == 3 ? transpose(x, s[2], s[0] * s[1]) : x.clone();
    }

    /** The transpose of the row-major {@code rows} x {@code cols} matrix {@code x}, as a new array. */
    private static float[] transpose(float[] x, int rows, int cols) {
        float[] r = new float[x.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[j * rows + i] = x[i * cols + j];
        return r;
    }
}
