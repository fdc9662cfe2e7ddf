package dev.winnow.tools.onnx;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.QuantizationInfo;
import dev.winnow.runtime.format.TensorData;

/** Winnow's TFLite-style weight layouts rearranged into ONNX's, and int8 weight scales as Winnow's loader reads them. */
final class Layouts {
    private Layouts() {}

    static float[] ohwiToOihw(float[] w, int o, int kH, int kW, int i) {
        float[] r = new float[w.length];
        for (int k = 0; k < w.length; k++) r[oihw(k, o, kH, kW, i)] = w[k];
        return r;
    }

    static byte[] ohwiToOihw(byte[] w, int o, int kH, int kW, int i) {
        byte[] r = new byte[w.length];
        for (int k = 0; k < w.length; k++) r[oihw(k, o, kH, kW, i)] = w[k];
        return r;
    }

    /** Where OHWI index {@code k} goes in OIHW. */
    private static int oihw(int k, int o, int kH, int kW, int i) {
        int ic = k % i, rest = k / i, kw = rest % kW, kh = (rest / kW) % kH, oc = rest / (kW * kH);
        return ((oc * i + ic) * kH + kh) * kW + kw;
    }

    /** A depthwise filter [kH, kW, C] as ONNX's grouped-conv filter [C, 1, kH, kW]. */
    static float[] depthwiseToOihw(float[] w, int kH, int kW, int c) {
        float[] r = new float[w.length];
        for (int k = 0; k < w.length; k++) r[(k % c) * kH * kW + k / c] = w[k];
        return r;
    }

    static byte[] depthwiseToOihw(byte[] w, int kH, int kW, int c) {
        byte[] r = new byte[w.length];
        for (int k = 0; k < w.length; k++) r[(k % c) * kH * kW + k / c] = w[k];
        return r;
    }

    /** One scale per output channel: per-axis scales as stored, a per-tensor scale repeated. */
    static float[] channelScales(String node, TensorData w, int channels) throws ModelFormatException {
        QuantizationInfo q = w.quantization();
        if (q.kind() == QuantizationInfo.Kind.PER_AXIS && q.count() == channels) return q.scales();
        if (q.kind() == QuantizationInfo.Kind.PER_TENSOR) {
            float[] s = new float[channels];
            java.util.Arrays.fill(s, q.scale(0));
            return s;
        }
        throw new ModelFormatException("node '" + node + "': int8 weights '" + w.name() + "' have no usable scales (" + q + ")");
    }
}
