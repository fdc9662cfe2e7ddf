package dev.winnow.runtime.format;

import java.util.Arrays;

/**
 * Affine quantization of a stored tensor, {@code real = (q - zeroPoint) * scale}, per tensor or per
 * slice along one axis (TensorFlow Lite's per-channel scheme). For bit-packed binary tensors the
 * per-row scales are XNOR-Net's alpha.
 */
public final class QuantizationInfo {
    public enum Kind { NONE, PER_TENSOR, PER_AXIS }

    public static final QuantizationInfo NONE = new QuantizationInfo(Kind.NONE, -1, new float[0], new int[0]);

    private final Kind kind;
    private final int axis;
    private final float[] scales;
    private final int[] zeroPoints;

    private QuantizationInfo(Kind kind, int axis, float[] scales, int[] zeroPoints) {
        this.kind = kind;
        this.axis = axis;
        this.scales = scales;
        this.zeroPoints = zeroPoints;
    }

    public static QuantizationInfo perTensor(float scale, int zeroPoint) {
        checkScale(scale);
        return new QuantizationInfo(Kind.PER_TENSOR, -1, new float[] {scale}, new int[] {zeroPoint});
    }

    public static QuantizationInfo perAxis(int axis, float[] scales, int[] zeroPoints) {
        if (scales.length != zeroPoints.length || scales.length == 0) {
            throw new IllegalArgumentException("per-axis quantization needs one scale and zero point per slice");
        }
        for (float s : scales) checkScale(s);
        return new QuantizationInfo(Kind.PER_AXIS, axis, scales.clone(), zeroPoints.clone());
    }

    /** Symmetric per-axis quantization (zero points all 0), as TFLite uses for weights. */
    public static QuantizationInfo symmetric(int axis, float[] scales) {
        return perAxis(axis, scales, new int[scales.length]);
    }

    private static void checkScale(float s) {
        if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("scale must be finite and > 0: " + s);
    }

    public Kind kind() { return kind; }
    public int axis() { return axis; }
    public int count() { return scales.length; }
    public float scale(int i) { return scales[i]; }
    public int zeroPoint(int i) { return zeroPoints[i]; }
    public float[] scales() { return scales.clone(); }
    public int[] zeroPoints() { return zeroPoints.clone(); }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof QuantizationInfo)) return false;
        QuantizationInfo q = (QuantizationInfo) o;
        return kind == q.kind && axis == q.axis && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        switch (kind) {
            case NONE: return "none";
            case PER_TENSOR: return "scale=" + scales[0] + " zp=" + zeroPoints[0];
            default: return "per-axis(" + axis + ", " + scales.length + " scales)";
        }
    }
}
