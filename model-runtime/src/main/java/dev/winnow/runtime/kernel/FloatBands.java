package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.Requantizer;
import java.util.Arrays;

/**
 * The layout the float-band int8 kernels share ({@link Conv2dInt8Bands}, {@link DepthwiseInt8Bands}): kernels
 * for a JVM that runs no vector kernels, written so that C2's auto-vectorizer turns their inner loops into
 * vector code on JDK 17 too.
 *
 * <p>JDK 17's auto-vectorizer leaves {@code o[a + i] += w * x[b + i]} scalar whenever both arrays have the
 * element type and the offsets are not known: {@code o} and {@code x} could be one array, and then the loop
 * would carry a dependence. It does vectorize {@code o[i] += w * x[i]}: at the same index, even one array
 * would be safe. So these kernels work on planes that each start at index 0 of an array of their own (the
 * arena's {@code planes}), for a band of output rows at a time: accumulators, and the inputs of one filter
 * tap.
 *
 * <p>The sums are floats, and exactly the integer sums of the reference: every product of an int8 weight
 * and an input less its zero point is at most 255 · 128 in magnitude, so while the fan-in is at most
 * {@link #MAX_FAN_IN} every partial sum stays under 2^24, where floats hold integers exactly. The bias is
 * added as an int, and the requantization is the reference's, one value at a time.
 *
 * <p>A band: output row q, column c of the band is index {@code q·wp + c}, where wp, the plane's width, is
 * outW + (kW − 1) / stride; the columns past outW are computed and never read. The input is split into
 * stride × stride phases (input rows and columns congruent to the phase modulo the stride), with the zero
 * point subtracted and zeros in the padding, so that tap (kh, kw) of every output of the band is phase
 * (kh mod s, kw mod s) read from index (kh / s) · wp + kw / s on: one contiguous run ({@link #tap}).
 * Immutable.
 */
final class FloatBands {
    /** The largest fan-in whose sums floats hold exactly: 514 · 255 · 128 &lt; 2^24. */
    static final int MAX_FAN_IN = ((1 << 24) - 1) / (255 * 128);
    /**
     * Floats of planes at most (48 KB), unless one output row needs more: the bands are as many rows as
     * fit. It keeps the shipped detector's peak arena under 256 KB.
     */
    static final int PLANE_BUDGET = 12 * 1024;
    /**
     * Floats a band's multiply-adds run over at most, unless one row is longer: long enough for the vector
     * loop to dominate, short enough that four accumulator planes and the tap's stay in a 48 KB L1 cache (on
     * the detector's shapes 640 floats ran at about 1.3x the speed of 1,300, and 2x that of 4,900).
     */
    static final int TARGET_RUN = 640;

    final ConvGeometry g;
    final int s, wp, bandRows, planeFloats;
    private final int phaseRows;

    /** The bands of {@code g} for a kernel that uses {@code planes} planes at once and sums {@code fanIn} products per output. */
    FloatBands(ConvGeometry g, int planes, int fanIn) {
        if (!fits(g, fanIn)) throw new IllegalArgumentException("the float bands take equal strides and a fan-in of at most " + MAX_FAN_IN);
        this.g = g;
        this.s = g.strideH();
        this.wp = g.outW() + (g.kW() - 1) / s;
        int reach = (g.kH() - 1) / s, tail = (g.kW() - 1) / s;
        int rows = Math.max(1, Math.min(TARGET_RUN / wp, (PLANE_BUDGET / planes - tail) / wp - reach));
        this.bandRows = Math.min(g.outH(), rows);
        this.phaseRows = bandRows + reach;
        this.planeFloats = phaseRows * wp + tail;
    }

    /** Equal strides (one phase grid), and sums of {@code fanIn} products that floats hold exactly. */
    static boolean fits(ConvGeometry g, int fanIn) {
        return g.strideH() == g.strideW() && fanIn <= MAX_FAN_IN;
    }

    /**
     * Phase (py, px) of input channel ic (of g's inC, the HWC input's channel stride) for the band from output row r0: phase row q, column c is input
     * row (r0 + q)·s + py − padTop, column c·s + px − padLeft, less the zero point; zero outside the input.
     */
    void fillPhase(byte[] in, int inOff, int zp, int ic, int py, int px, int r0, float[] phase) {
        final int inH = g.inH(), inW = g.inW(), inC = g.inC();
        int col0 = px - g.padLeft();
        // the columns c with 0 <= c*s + col0 < inW
        int cLo = col0 >= 0 ? 0 : (-col0 + s - 1) / s;
        int cHi = Math.min(wp, col0 >= inW ? 0 : (inW - 1 - col0) / s + 1);
        cLo = Math.min(cLo, cHi);
        for (int q = 0; q < phaseRows; q++) {
            int ih = (r0 + q) * s + py - g.padTop(), base = q * wp;
            if (ih < 0 || ih >= inH) {
                Arrays.fill(phase, base, base + wp, 0f);
                continue;
            }
            Arrays.fill(phase, base, base + cLo, 0f);
            int x = inOff + (ih * inW + cLo * s + col0) * inC + ic, step = s * inC;
            for (int c = cLo; c < cHi; c++, x += step) phase[base + c] = in[x] - zp;
            Arrays.fill(phase, base + cHi, base + wp, 0f);
        }
        Arrays.fill(phase, phaseRows * wp, planeFloats, 0f);
    }

    /**
     * Tap (kh, kw)'s inputs for the band's {@code n} outputs, from the phase plane of (kh mod s, kw mod s): the
     * phase plane itself where its run starts at index 0, else the run copied into {@code tap}.
     */
    float[] tap(float[] phase, float[] tap, int kh, int kw, int n) {
        int from = (kh / s) * wp + kw / s;
        if (from == 0) return phase;
        System.arraycopy(phase, from, tap, 0, n);
        return tap;
    }

    static void madd(float[] o, float[] x, float w, int n) {
        for (int i = 0; i < n; i++) o[i] += w * x[i];
    }

    /**
     * Output channel oc of the band's rows from r0: its accumulators plus {@code bias}, requantized into the
     * output (HWC) by {@link Requantizer#apply}, a channel at a time so that its constants stay in registers
     * through the band.
     */
    void requantize(float[] acc, int bias, Requantizer rq, int oc, byte[] out, int outOff, int r0, int rows) {
        final int outC = g.outC(), outW = g.outW();
        for (int q = 0; q < rows; q++) {
            int o = outOff + (r0 + q) * outW * outC + oc, p = q * wp;
            for (int c = 0; c < outW; c++, o += outC) out[o] = rq.apply((int) acc[p + c] + bias, oc);
        }
    }
}
