package dev.winnow.runtime.kernel.base;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The filter taps of a depthwise convolution, tabulated once so a vector kernel runs every pixel's
 * sum through one counted loop without branches: for every distinct range of filter columns that
 * lies inside the input, the taps in (kh, kw) order with their input and filter offsets. A pixel's
 * taps are one contiguous run of the tables; the filter rows inside the input are a sub-range of it.
 * Channels are fastest in input and filter ({@code C} of them, multiplier 1). Immutable.
 */
public final class DepthwiseTaps {
    /** Input offset of each tap from the window's first value, {@code (kh·inW + kw)·C}. */
    public final int[] in;
    /** Filter offset of each tap, {@code (kh·kW + kw)·C}. */
    public final int[] filter;
    /** For each output column, the start of its columns' table in {@link #in} and {@link #filter}. */
    public final int[] colCase;
    /** For each output column, its taps per filter row. */
    public final int[] colTaps;
    /** First output column whose window lies inside the input's columns, and one past the last (ConvGeometry's). */
    public final int fullFrom, fullTo;

    public DepthwiseTaps(ConvGeometry g) {
        final int outW = g.outW(), kW = g.kW(), kH = g.kH(), c = g.outC();
        colCase = new int[outW];
        colTaps = new int[outW];
        Map<Integer, Integer> cases = new HashMap<>();
        int[] inOff = new int[kH * kW * outW], wOff = new int[inOff.length];
        int used = 0;
        for (int ow = 0; ow < outW; ow++) {
            int iw0 = ow * g.strideW() - g.padLeft();
            int a = Math.max(0, -iw0), b = Math.max(a, Math.min(kW, g.inW() - iw0));
            Integer start = cases.get(a * (kW + 1) + b);
            if (start == null) {
                start = used;
                cases.put(a * (kW + 1) + b, start);
                for (int kh = 0; kh < kH; kh++) {
                    for (int kw = a; kw < b; kw++, used++) {
                        inOff[used] = (kh * g.inW() + kw) * c;
                        wOff[used] = (kh * kW + kw) * c;
                    }
                }
            }
            colCase[ow] = start;
            colTaps[ow] = b - a;
        }
        this.in = Arrays.copyOf(inOff, used);
        this.filter = Arrays.copyOf(wOff, used);
        this.fullFrom = g.firstWholeColumn();
        this.fullTo = g.endWholeColumn();
    }

    /** The first tap of output column {@code ow} in filter row {@code kh} (its taps run on to {@code first(ow, kh1)}). */
    public int first(int ow, int kh) {
        return colCase[ow] + kh * colTaps[ow];
    }
}
