package dev.winnow.runtime.kernel;

/**
 * Concatenation along channels of HWC tensors with the same H and W. int8 inputs must share the
 * output's quantization (TFLite's rule), so for both types the kernel only moves elements.
 */
public final class Concat {
    private Concat() {}

    /** {@code channels[k]} channels of input k start at {@code offsets[k]} in {@code in}. */
    public static void float32(int pixels, int[] channels, float[] in, int[] offsets, float[] out, int outOff) {
        interleave(pixels, channels, in, offsets, out, outOff);
    }

    public static void int8(int pixels, int[] channels, byte[] in, int[] offsets, byte[] out, int outOff) {
        interleave(pixels, channels, in, offsets, out, outOff);
    }

    /** System.arraycopy takes any primitive array, so one loop serves both element types. */
    private static void interleave(int pixels, int[] channels, Object in, int[] offsets, Object out, int outOff) {
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
