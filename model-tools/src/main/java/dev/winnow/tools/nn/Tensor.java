package dev.winnow.tools.nn;

/** A value on the tape: HWC data (or flat), and its gradient once the backward pass reaches it. */
public final class Tensor {
    public final int h, w, c;
    public final float[] data;
    float[] grad;

    public Tensor(int h, int w, int c, float[] data) {
        if (data.length != h * w * c) throw new IllegalArgumentException("tensor " + h + "x" + w + "x" + c + " needs " + h * w * c + " values, has " + data.length);
        this.h = h;
        this.w = w;
        this.c = c;
        this.data = data;
    }

    public Tensor(int h, int w, int c) {
        this(h, w, c, new float[h * w * c]);
    }

    public int size() { return data.length; }

    /** The gradient buffer, allocated on first use. */
    public float[] grad() {
        if (grad == null) grad = new float[data.length];
        return grad;
    }

    public boolean hasGrad() { return grad != null; }

    @Override
    public String toString() { return "[" + h + "x" + w + "x" + c + "]"; }
}
