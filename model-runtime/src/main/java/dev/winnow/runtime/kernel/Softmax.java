package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.FastMath;

import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.QuantParams;

/** Softmax over the last axis, numerically stabilised by subtracting the row maximum. */
public final class Softmax {
    public static final QuantParams INT8_OUTPUT = new QuantParams(1f / 256, -128);

    private Softmax() {}

    public static void float32(int rows, int depth, float[] in, int inOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int b = r * depth;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < depth; i++) max = Math.max(max, in[inOff + b + i]);
            float sum = 0;
            for (int i = 0; i < depth; i++) {
                float e = FastMath.exp(in[inOff + b + i] - max);
                out[outOff + b + i] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = 0; i < depth; i++) out[outOff + b + i] *= inv;
        }
    }

    /**
     * int8 softmax: exp of the distance from the row maximum, exp(-scale * d) for d in 0..255, comes
     * from a table built once; the sum and the final division run in float and the result is
     * quantized to TFLite's fixed output (1/256, -128).
     */
    public static final class Int8 {
        private final float[] expOfDistance = new float[256];

        public Int8(QuantParams in) {
            for (int d = 0; d < 256; d++) expOfDistance[d] = (float) Math.exp(-(double) in.scale() * d);
        }

        public void run(int rows, int depth, byte[] in, int inOff, byte[] out, int outOff) {
            for (int r = 0; r < rows; r++) {
                int b = inOff + r * depth;
                int max = -128;
                for (int i = 0; i < depth; i++) max = Math.max(max, in[b + i]);
                float sum = 0;
                for (int i = 0; i < depth; i++) sum += expOfDistance[max - in[b + i]];
                float k = 256f / sum;
                int o = outOff + r * depth;
                for (int i = 0; i < depth; i++) {
                    out[o + i] = (byte) FixedPoint.clamp(Math.round(expOfDistance[max - in[b + i]] * k) - 128, -128, 127);
                }
            }
        }
    }
}
