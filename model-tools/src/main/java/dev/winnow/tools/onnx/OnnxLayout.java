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
        if (s.length != 3) return x.clone();
        int hw = s[0] * s[1], c = s[2];
        float[] r = new float[x.length];
        for (int i = 0; i < hw; i++) for (int k = 0; k < c; k++) r[k * hw + i] = x[i * c + k];
        return r;
    }

    /** The inverse of {@link #toNchw}: ONNX values back in Winnow's order. */
    public static float[] toHwc(float[] x, int[] s) {
        if (s.length != 3) return x.clone();
        int hw = s[0] * s[1], c = s[2];
        float[] r = new float[x.length];
        for (int i = 0; i < hw; i++) for (int k = 0; k < c; k++) r[i * c + k] = x[k * hw + i];
        return r;
    }
}
