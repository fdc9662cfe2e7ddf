package dev.winnow.tools.imports.tfjs;

import java.util.Arrays;

/**
 * A constant of the graph, decoded from the weight shards: float32 values (with the original
 * binary16 bits kept when the manifest stored them as float16, so the artifact can keep them
 * exactly and at half the size), or int32 values (int32 and bool tensors).
 */
final class ConstTensor {
    final String name;
    final String dtype;
    final int[] shape;
    private final float[] floats;
    private final int[] ints;
    private final short[] half;

    private ConstTensor(String name, String dtype, int[] shape, float[] floats, int[] ints, short[] half) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.floats = floats;
        this.ints = ints;
        this.half = half;
    }

    static ConstTensor ofFloats(String name, int[] shape, float[] values, short[] half) {
        return new ConstTensor(name, "float32", shape, values, null, half);
    }

    static ConstTensor ofInts(String name, String dtype, int[] shape, int[] values) {
        return new ConstTensor(name, dtype, shape, null, values, null);
    }

    boolean isFloat() {
        return floats != null;
    }

    int size() {
        return isFloat() ? floats.length : ints.length;
    }

    /** The values as floats (int32 constants converted). */
    float[] floats() {
        if (floats != null) return floats.clone();
        float[] f = new float[ints.length];
        for (int k = 0; k < f.length; k++) f[k] = ints[k];
        return f;
    }

    /** The values as ints; a float constant must hold whole numbers. */
    int[] ints() throws TfjsFormatException {
        if (ints != null) return ints.clone();
        int[] out = new int[floats.length];
        for (int k = 0; k < out.length; k++) {
            if (floats[k] != Math.rint(floats[k])) throw new TfjsFormatException("tensor '" + name + "': expected whole numbers, found " + floats[k]);
            out[k] = (int) floats[k];
        }
        return out;
    }

    /** The binary16 bits the manifest stored, or null when the values were not float16. */
    short[] halfBits() {
        return half == null ? null : half.clone();
    }

    /** The one value of a scalar (or one-element) constant. */
    float scalar() throws TfjsFormatException {
        if (size() != 1) throw new TfjsFormatException("tensor '" + name + "': expected a scalar, has shape " + Arrays.toString(shape));
        return isFloat() ? floats[0] : ints[0];
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + ":" + dtype;
    }
}
