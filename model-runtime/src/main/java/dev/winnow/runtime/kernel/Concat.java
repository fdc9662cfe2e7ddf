package dev.winnow.runtime.kernel;

/**
 * Concatenation along channels of HWC tensors with the same H and W. int8 inputs must share the
 * output's quantization (TFLite's rule), so the kernel only moves bytes.
 */
public final class Concat {
    private Concat() {}

    /** {@code channels[k]} channels of input k start at {@code offsets[k]} in {@code in}. */
    public static void float32(int pixels, int[] channels, float[] in, int[] offsets, float[] out, int outOff) {
        int total = 0;
        for (int c : channels) total += c;
        for (int p = 0; p < pixels; p++) {
            int o = outOff + p * total;
            for (int k = 0; k < channels.length; k++) {
                System.arraycopy(in, offsets[k] + p * channels[k], out, o, channels[k]);
                o += channels[k];
            }
        }
    }

    public static void int8(int pixels, int[] channels, byte[] in, int[] offsets, byte[] out, int outOff) {
        int total = 0;
        for (int c : channels) total += c;
        for (int p = 0; p < pixels; p++) {
            int o = outOff + p * total;
            for (int k = 0; k < channels.length; k++) {
                System.arraycopy(in, offsets[k] + p * channels[k], out, o, channels[k]);
                o += channels[k];
            }
        }
    }
}
