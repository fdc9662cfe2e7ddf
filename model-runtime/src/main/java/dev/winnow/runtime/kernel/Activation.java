package dev.winnow.runtime.kernel;

import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.QuantParams;

/** The activation fused into conv, dense and add, as TensorFlow Lite fuses it: a clamp. */
public enum Activation {
    NONE(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY),
    RELU(0f, Float.POSITIVE_INFINITY),
    RELU6(0f, 6f);

    public final float min;
    public final float max;

    Activation(float min, float max) {
        this.min = min;
        this.max = max;
    }

    public static Activation parse(String s) {
        switch (s) {
            case "none": case "linear": return NONE;
            case "relu": return RELU;
            case "relu6": return RELU6;
            default: throw new IllegalArgumentException("unknown activation '" + s + "' (none, relu, relu6)");
        }
    }

    /** Lower int8 bound of the clamp in the output's quantized domain. */
    public int qmin(QuantParams out) {
        return min == Float.NEGATIVE_INFINITY ? -128 : FixedPoint.clamp(out.zeroPoint() + Math.round(min / out.scale()), -128, 127);
    }

    public int qmax(QuantParams out) {
        return max == Float.POSITIVE_INFINITY ? 127 : FixedPoint.clamp(out.zeroPoint() + Math.round(max / out.scale()), -128, 127);
    }
}
