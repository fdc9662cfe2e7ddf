package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.FastMath;

import dev.winnow.runtime.kernel.simd.ElementwiseSimd;
import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.QuantParams;

/**
 * relu, relu6, sigmoid and tanh. Float versions use {@link FastMath}; int8 versions use a 256-entry
 * lookup table computed once from the input's and output's quantization parameters, which is exact
 * for every input value and is how TFLite Micro's int8 logistic/tanh behave in effect.
 */
public final class Elementwise {
    public enum Function { RELU, RELU6, SIGMOID, TANH }

    /** TFLite fixes the output parameters of sigmoid (1/256, -128) and tanh (1/128, 0). */
    public static final QuantParams SIGMOID_OUTPUT = new QuantParams(1f / 256, -128);
    public static final QuantParams TANH_OUTPUT = new QuantParams(1f / 128, 0);

    private Elementwise() {}

    public static Function parse(String op) {
        switch (op) {
            case "relu": return Function.RELU;
            case "relu6": return Function.RELU6;
            case "sigmoid": return Function.SIGMOID;
            case "tanh": return Function.TANH;
            default: throw new IllegalArgumentException("not an element-wise op: " + op);
        }
    }

    public static float apply(Function f, float x) {
        switch (f) {
            case RELU: return Math.max(0f, x);
            case RELU6: return Math.min(6f, Math.max(0f, x));
            case SIGMOID: return FastMath.sigmoid(x);
            default: return FastMath.tanh(x);
        }
    }

    private static final boolean VECTOR = VectorSupport.fixedRegisterKernels();

    public static void float32(Function f, int n, float[] in, int inOff, float[] out, int outOff) {
        float32(f, n, in, inOff, out, outOff, VECTOR);
    }

    /**
     * With {@code vector} (and the module present) sigmoid runs on the Vector API as ½ + ½·tanh(x/2)
     * ({@link ElementwiseSimd#sigmoid}, within the same 3e-7 of the true value as {@link FastMath#sigmoid});
     * the other functions are plain loops either way.
     */
    public static void float32(Function f, int n, float[] in, int inOff, float[] out, int outOff, boolean vector) {
        if (f == Function.SIGMOID && vector && VectorSupport.modulepresent()) {
            ElementwiseSimd.sigmoid(in, inOff, out, outOff, n);
            return;
        }
        switch (f) {
            case RELU: for (int i = 0; i < n; i++) out[outOff + i] = Math.max(0f, in[inOff + i]); break;
            case RELU6: for (int i = 0; i < n; i++) out[outOff + i] = Math.min(6f, Math.max(0f, in[inOff + i])); break;
            case SIGMOID: for (int i = 0; i < n; i++) out[outOff + i] = FastMath.sigmoid(in[inOff + i]); break;
            default: for (int i = 0; i < n; i++) out[outOff + i] = FastMath.tanh(in[inOff + i]);
        }
    }

    /** The output parameters an int8 op of this function must use. */
    public static QuantParams int8Output(Function f, QuantParams in) {
        switch (f) {
            case SIGMOID: return SIGMOID_OUTPUT;
            case TANH: return TANH_OUTPUT;
            default: return in;
        }
    }

    public static final class Int8 {
        private final byte[] table = new byte[256];

        public Int8(Function f, QuantParams in, QuantParams out) {
            for (int q = -128; q <= 127; q++) {
                double x = in.dequantize(q);
                double y;
                switch (f) {
                    case RELU: y = Math.max(0, x); break;
                    case RELU6: y = Math.min(6, Math.max(0, x)); break;
                    case SIGMOID: y = 1 / (1 + Math.exp(-x)); break;
                    default: y = Math.tanh(x);
                }
                table[q + 128] = (byte) FixedPoint.clamp((int) Math.round(y / out.scale()) + out.zeroPoint(), -128, 127);
            }
        }

        public void run(int n, byte[] in, int inOff, byte[] out, int outOff) {
            for (int i = 0; i < n; i++) out[outOff + i] = table[in[inOff + i] + 128];
        }
    }
}
