package dev.winnow.tools.nn;

import dev.winnow.runtime.quant.QuantParams;
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

    /**
     * Symmetric int8 per channel, channel the fastest axis: w = q * s with s = max|w| / 127 and q the
     * export's own rounding ({@link QuantParams#quantizeSymmetricChannelsLast}).
     */
    static void roundInPlace(float[] w, int channels) {
        float[] scales = new float[channels];
        for (int i = 0; i < w.length; i++) scales[i % channels] = Math.max(scales[i % channels], Math.abs(w[i]));
        for (int c = 0; c < channels; c++) scales[c] = scales[c] > 0f ? scales[c] / 127f : 1e-8f; // an all-zero channel stays zero
        byte[] q = QuantParams.quantizeSymmetricChannelsLast(w, scales);
        for (int i = 0; i < w.length; i++) w[i] = q[i] * scales[i % channels];
    }
}
