package dev.winnow.tools.nn;

import java.util.List;

/**
 * Quantization-aware training's weight side: for each forward and backward pass the filters are
 * swapped for their int8 values (symmetric, one scale per output channel, the last axis, as the
 * int8 export rounds them), and the float weights are put back before the optimiser step. The
 * gradient taken at the rounded weights updates the float ones: the straight-through estimator.
 */
public final class FilterRounding {
    private final List<Param> filters;
    private final float[][] saved;
    private boolean rounded;

    public FilterRounding(List<Param> filters) {
        this.filters = List.copyOf(filters);
        this.saved = new float[this.filters.size()][];
        for (int i = 0; i < saved.length; i++) saved[i] = new float[this.filters.get(i).size()];
    }

    /** Keeps the float weights aside and writes their int8-rounded values in their place. */
    public void round() {
        if (rounded) throw new IllegalStateException("filters are already rounded");
        for (int i = 0; i < saved.length; i++) {
            Param p = filters.get(i);
            System.arraycopy(p.w, 0, saved[i], 0, p.w.length);
            roundInPlace(p.w, p.shape[p.shape.length - 1]);
        }
        rounded = true;
    }

    /** Puts the float weights back. */
    public void restore() {
        if (!rounded) throw new IllegalStateException("filters are not rounded");
        for (int i = 0; i < saved.length; i++) System.arraycopy(saved[i], 0, filters.get(i).w, 0, saved[i].length);
        rounded = false;
    }

    /** Symmetric int8 per channel, channel the fastest axis: w = round(w / s) * s with s = max|w| / 127. */
    static void roundInPlace(float[] w, int channels) {
        float[] max = new float[channels];
        for (int i = 0; i < w.length; i++) max[i % channels] = Math.max(max[i % channels], Math.abs(w[i]));
        for (int i = 0; i < w.length; i++) {
            float s = max[i % channels] / 127f;
            if (s > 0f) w[i] = Math.max(-127, Math.min(127, Math.round(w[i] / s))) * s;
        }
    }
}
