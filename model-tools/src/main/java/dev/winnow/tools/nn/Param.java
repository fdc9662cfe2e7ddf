package dev.winnow.tools.nn;

import java.util.Random;

/**
 * A trainable tensor: its values, one gradient buffer per worker thread (summed before each
 * optimiser step, so workers never share a buffer), and Adam's moment estimates.
 */
public final class Param {
    public final String name;
    public final int[] shape;
    public final float[] w;
    final float[][] grads;
    final float[] m, v;

    public Param(String name, int[] shape, int workers) {
        this.name = name;
        this.shape = shape.clone();
        int n = 1;
        for (int d : shape) n *= d;
        this.w = new float[n];
        this.grads = new float[workers][n];
        this.m = new float[n];
        this.v = new float[n];
    }

    public int size() { return w.length; }

    /** Gradient buffer of one worker. */
    public float[] grad(int worker) { return grads[worker]; }

    /** He-style normal initialisation: std = gain / sqrt(fanIn). */
    public Param init(Random r, double fanIn, double gain) {
        double std = gain / Math.sqrt(fanIn);
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * std);
        return this;
    }

    public Param fill(float value) {
        java.util.Arrays.fill(w, value);
        return this;
    }

    /** Sums the workers' gradients into buffer 0 and clears the others. */
    void reduce() {
        float[] g0 = grads[0];
        for (int k = 1; k < grads.length; k++) {
            float[] g = grads[k];
            for (int i = 0; i < g0.length; i++) g0[i] += g[i];
            java.util.Arrays.fill(g, 0f);
        }
    }

    void zeroGrad() {
        for (float[] g : grads) java.util.Arrays.fill(g, 0f);
    }
}
