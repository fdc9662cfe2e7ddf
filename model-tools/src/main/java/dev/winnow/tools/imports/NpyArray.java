package dev.winnow.tools.imports;

import java.util.Arrays;

/** A numeric array read from a .npy file, as doubles in C (row-major) order. */
public record NpyArray(int[] shape, double[] data) {
    public NpyArray {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.length;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return f;
    }

    /** The transpose of a matrix, as floats: EdgeML's PyTorch weights are [in][out], Winnow's [out][in]. */
    public float[] transposed() {
        if (shape.length != 2) throw new IllegalStateException("transpose of a rank-" + shape.length + " array");
        int r = shape[0], c = shape[1];
        float[] t = new float[data.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = (float) data[i * c + j];
        return t;
    }

    public double scalar() {
        if (data.length != 1) throw new IllegalStateException("expected one value, the array has " + data.length);
        return data[0];
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape);
    }
}
