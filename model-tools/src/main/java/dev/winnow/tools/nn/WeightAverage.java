package dev.winnow.tools.nn;

import java.util.List;

/**
 * An exponential moving average of the parameters over training steps (Polyak averaging, as in
 * TensorFlow's ExponentialMovingAverage): the averaged weights sit near the middle of the region the
 * last few thousand noisy steps wander over, so they depend less on where the last step landed and
 * usually generalise better than the final weights. The average starts as a copy of the weights; with
 * decay d it forgets with a time constant of about 1 / (1 − d) steps, and the warm-up
 * min(d, (1 + n) / (10 + n)) keeps the first steps' random weights from lingering.
 */
public final class WeightAverage {
    private final List<Param> params;
    private final float[][] average;
    private final float decay;
    private long steps;

    public WeightAverage(List<Param> params, float decay) {
        if (!(decay > 0f && decay < 1f)) throw new IllegalArgumentException("decay must be in (0, 1), got " + decay);
        this.params = params;
        this.decay = decay;
        this.average = new float[params.size()][];
        for (int i = 0; i < average.length; i++) average[i] = params.get(i).w.clone();
    }

    /** Folds the current weights in; call after each optimiser step. */
    public void update() {
        float d = Math.min(decay, (1f + steps) / (10f + steps));
        steps++;
        for (int i = 0; i < average.length; i++) {
            float[] a = average[i], w = params.get(i).w;
            for (int k = 0; k < a.length; k++) a[k] = d * a[k] + (1f - d) * w[k];
        }
    }

    /** Overwrites the parameters with their average (training is over). */
    public void copyInto() {
        for (int i = 0; i < average.length; i++) System.arraycopy(average[i], 0, params.get(i).w, 0, average[i].length);
    }

    public float[] average(int param) { return average[param]; }
}
