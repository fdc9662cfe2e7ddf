package dev.winnow.runtime.quant;

/** Per-tensor affine parameters of an int8 activation: real = (q - zeroPoint) * scale. */
public record QuantParams(float scale, int zeroPoint) {
    public QuantParams {
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("scale must be finite and > 0: " + scale);
        if (zeroPoint < -128 || zeroPoint > 127) throw new IllegalArgumentException("int8 zero point out of range: " + zeroPoint);
    }

    /** Parameters covering [min, max] (widened to include 0, as TFLite requires). */
    public static QuantParams forRange(double min, double max) {
        min = Math.min(min, 0);
        max = Math.max(max, 0);
        if (max - min < 1e-12) max = min + 1e-6;
        double scale = (max - min) / 255.0;
        long zp = Math.round(-128 - min / scale);
        return new QuantParams((float) scale, (int) Math.max(-128, Math.min(127, zp)));
    }

    /**
     * {@code v} as int8 with the scale's inverse (multiplied, not divided: what the graph's float-to-int8
     * steps use, the model's input and its quantize ops), rounded half up and clamped.
     */
    public static byte quantize(float v, float invScale, int zeroPoint) {
        // the sum in long: Math.round saturates at the int range, and a zero point added there would wrap (-∞ to 127)
        return (byte) Math.max(-128, Math.min(127, (long) Math.round(v * invScale) + zeroPoint));
    }

    public byte quantize(float real) {
        return (byte) Math.max(-128, Math.min(127, (long) Math.round(real / scale) + zeroPoint));
    }

    public float dequantize(int q) {
        return (q - zeroPoint) * scale;
    }

    /** Symmetric per-channel weight quantization: scale = max|w| / 127 per output channel, zero point 0. */
    public static float[] symmetricScales(float[] w, int channels) {
        int per = w.length / channels;
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            float m = 0;
            for (int i = 0; i < per; i++) m = Math.max(m, Math.abs(w[c * per + i]));
            s[c] = m > 0 ? m / 127f : 1e-8f;
        }
        return s;
    }

    /** Quantizes weights laid out with the channel as the slowest axis ([O][...]). */
    public static byte[] quantizeSymmetric(float[] w, float[] scales) {
        int per = w.length / scales.length;
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = (byte) FixedPoint.clamp(Math.round(w[i] / scales[i / per]), -127, 127);
        }
        return q;
    }

    /** Quantizes weights whose channel is the fastest axis ([...][C]), as depthwise filters are. */
    public static byte[] quantizeSymmetricChannelsLast(float[] w, float[] scales) {
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = (byte) FixedPoint.clamp(Math.round(w[i] / scales[i % scales.length]), -127, 127);
        }
        return q;
    }

    /** int32 bias with scale s_in * s_w[c], zero point 0. */
    public static int[] quantizeBias(float[] bias, float inputScale, float[] weightScales) {
        int[] q = new int[bias.length];
        for (int c = 0; c < bias.length; c++) {
            q[c] = (int) Math.round(bias[c] / ((double) inputScale * weightScales[c]));
        }
        return q;
    }
}
