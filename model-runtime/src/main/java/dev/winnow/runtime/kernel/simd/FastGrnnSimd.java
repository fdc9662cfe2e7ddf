package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.FastMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API step of the float FastGRNN cell ({@code FastGrnnCell}), hidden units across the lanes.
 * Every lane does the scalar cell's float operations in the same order (multiply, then add: no fused
 * multiply-add), so the states are the scalar cell's bit for bit.
 */
public final class FastGrnnSimd {
    // one species for every cell, a constant, as the Vector API needs to compile to vector instructions: the
    // preferred one, the convolutions' shape. A second float shape beside it made C2 compile both to boxing code on
    // JDK 17 in most JVMs and on JDK 25 in some (KernelAllocationTest's JVM on AVX-512: the float stem and this cell,
    // 42 kB and 2.5 kB a call). So on 16 lanes, hidden sizes of 8 step on the plain loops one sequence at a time;
    // RNNPool's cells (hidden 8) step 16 sequences across the lanes (stepLanes) instead.
    private static final VectorSpecies<Float> S = species();
    private static final int L = S == null ? 0 : S.length();

    private FastGrnnSimd() {}

    private static VectorSpecies<Float> species() {
        return FloatVector.SPECIES_PREFERRED.length() < 4 ? null : FloatVector.SPECIES_PREFERRED;
    }

    /**
     * s[pre..pre+hidden) = W x + U h, both full rank and given transposed ([in][hidden]), per lane the
     * products added onto zero in the order of W's columns and then U's, as the scalar cell's fullRank.
     * One pass, the sum in a register: with hidden units of one vector (16 on AVX-512, JDK 17) the
     * state is read once and the sums never go through memory.
     */
    public static void fullRank(float[] wT, float[] uT, int input, int hidden, float[] x, int xOff, float[] h, int hOff, float[] s, int pre) {
        for (int g = 0; g < hidden; g += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int c = 0, k = g; c < input; c++, k += hidden) acc = acc.add(FloatVector.fromArray(S, wT, k).mul(x[xOff + c]));
            for (int c = 0, k = g; c < hidden; c++, k += hidden) acc = acc.add(FloatVector.fromArray(S, uT, k).mul(h[hOff + c]));
            acc.intoArray(s, pre + g);
        }
    }

    /** Sequences that {@link #stepLanes} steps at once. */
    public static int lanes() {
        return L;
    }

    /**
     * One step of {@link #lanes()} sequences of a full-rank cell at once, sequence i in lane i. {@code xh}
     * holds the step's inputs and then the states, [input + hidden][lanes]; {@code wu} is [W | U] row by
     * row, [hidden][input + hidden]; t is 2·hidden x lanes floats of scratch. The states are updated in
     * place. Per lane, every float operation of the scalar cell's full-rank step and gates in the same
     * order (W's columns, then U's), so each sequence ends in the scalar cell's bits. The weights are
     * scalars broadcast against a vector of sequences, so hidden sizes need not fill a vector: RNNPool
     * runs the rows and columns of a patch this way. The three passes keep every vector within one loop
     * body, as {@link #gates} does: a vector handed between methods is boxed.
     */
    public static void stepLanes(float[] wu, float[] bg, float[] bh, float zeta, float nu, int input, int hidden,
                                 float[] xh, int xhOff, float[] t, int tOff) {
        final int width = input + hidden, c2 = tOff + hidden * L, h = xhOff + input * L;
        int j = 0;
        // four hidden units at a time: four independent sums, so the adds of one do not wait on the last
        for (; j + 4 <= hidden; j += 4) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0, w0 = j * width; c < width; c++, w0++) {
                FloatVector v = FloatVector.fromArray(S, xh, xhOff + c * L);
                a0 = a0.add(v.mul(wu[w0]));
                a1 = a1.add(v.mul(wu[w0 + width]));
                a2 = a2.add(v.mul(wu[w0 + 2 * width]));
                a3 = a3.add(v.mul(wu[w0 + 3 * width]));
            }
            a0.add(bg[j]).mul(0.5f).intoArray(t, tOff + j * L);
            a1.add(bg[j + 1]).mul(0.5f).intoArray(t, tOff + (j + 1) * L);
            a2.add(bg[j + 2]).mul(0.5f).intoArray(t, tOff + (j + 2) * L);
            a3.add(bg[j + 3]).mul(0.5f).intoArray(t, tOff + (j + 3) * L);
            a0.add(bh[j]).intoArray(t, c2 + j * L);
            a1.add(bh[j + 1]).intoArray(t, c2 + (j + 1) * L);
            a2.add(bh[j + 2]).intoArray(t, c2 + (j + 2) * L);
            a3.add(bh[j + 3]).intoArray(t, c2 + (j + 3) * L);
        }
        for (; j < hidden; j++) {
            FloatVector acc = FloatVector.zero(S);
            for (int c = 0, w0 = j * width; c < width; c++) acc = acc.add(FloatVector.fromArray(S, xh, xhOff + c * L).mul(wu[w0 + c]));
            acc.add(bg[j]).mul(0.5f).intoArray(t, tOff + j * L);
            acc.add(bh[j]).intoArray(t, c2 + j * L);
        }
        tanhInPlace(t, tOff, 2 * hidden * L);
        for (j = 0; j < hidden; j++) {
            FloatVector z = FloatVector.fromArray(S, t, tOff + j * L).mul(0.5f).add(0.5f);
            FloatVector c = FloatVector.fromArray(S, t, c2 + j * L);
            FloatVector hv = FloatVector.fromArray(S, xh, h + j * L);
            z.mul(hv).add(FloatVector.broadcast(S, 1f).sub(z).mul(zeta).add(nu).mul(c)).intoArray(xh, h + j * L);
        }
    }

    /** Whether {@code hidden} units fill whole vectors. */
    public static boolean fits(int hidden) {
        return L > 0 && hidden % L == 0;
    }

    /**
     * s[pre + r] (+)= Σ_c m[c·hidden + r] · v[vOff + c] for r < hidden, the terms added in order of c, as
     * the scalar loops do; without {@code accumulate} the sums start from zero.
     */
    public static void columns(float[] m, int hidden, int n, float[] v, int vOff, float[] s, int pre, boolean accumulate) {
        // two loops rather than one accumulator chosen by a branch: C2 on JDK 17 boxes vectors that meet at a merge point
        if (accumulate) columnsOnto(m, hidden, n, v, vOff, s, pre);
        else columnsFromZero(m, hidden, n, v, vOff, s, pre);
    }

    private static void columnsFromZero(float[] m, int hidden, int n, float[] v, int vOff, float[] s, int pre) {
        for (int g = 0; g < hidden; g += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int c = 0, k = g; c < n; c++, k += hidden) acc = acc.add(FloatVector.fromArray(S, m, k).mul(v[vOff + c]));
            acc.intoArray(s, pre + g);
        }
    }

    private static void columnsOnto(float[] m, int hidden, int n, float[] v, int vOff, float[] s, int pre) {
        for (int g = 0; g < hidden; g += L) {
            FloatVector acc = FloatVector.fromArray(S, s, pre + g);
            for (int c = 0, k = g; c < n; c++, k += hidden) acc = acc.add(FloatVector.fromArray(S, m, k).mul(v[vOff + c]));
            acc.intoArray(s, pre + g);
        }
    }

    /**
     * z = ½ + ½·tanh((pre + bg)/2) (the sigmoid), c = tanh(pre + bh), h = z·h + (ζ(1 − z) + ν)·c, for the
     * hidden units, in place, through {@code t} (2·hidden floats at {@code tOff}); tanh is
     * {@link FastMath#tanhRational}'s arithmetic lane by lane, in the scalar cell's order, so the plain
     * cell's three passes and these give the same bits.
     */
    public static void gates(float[] s, int pre, float[] bg, float[] bh, float zeta, float nu, float[] h, int hOff, int hidden,
                             float[] t, int tOff) {
        for (int g = 0; g < hidden; g += L) {
            FloatVector p = FloatVector.fromArray(S, s, pre + g);
            p.add(FloatVector.fromArray(S, bg, g)).mul(0.5f).intoArray(t, tOff + g);
            p.add(FloatVector.fromArray(S, bh, g)).intoArray(t, tOff + hidden + g);
        }
        tanhInPlace(t, tOff, 2 * hidden);
        for (int g = 0; g < hidden; g += L) {
            FloatVector z = FloatVector.fromArray(S, t, tOff + g).mul(0.5f).add(0.5f);
            FloatVector c = FloatVector.fromArray(S, t, tOff + hidden + g);
            FloatVector hv = FloatVector.fromArray(S, h, hOff + g);
            z.mul(hv).add(FloatVector.broadcast(S, 1f).sub(z).mul(zeta).add(nu).mul(c)).intoArray(h, hOff + g);
        }
    }

    /** a[off..off+n) = {@link FastMath#tanhRational}(a[..]) in place, lane by lane, the rest by the scalar code. */
    private static void tanhInPlace(float[] a, int off, int n) {
        int v = S.loopBound(n), i = 0;
        for (; i < v; i += L) {
            FloatVector y = FloatVector.fromArray(S, a, off + i).min(9f).max(-9f).mul(0.5f), y2 = y.mul(y);
            FloatVector p = y.mul(y2.add(FastMath.TANH_P2).mul(y2).add(FastMath.TANH_P1).mul(y2).add(FastMath.TANH_P0));
            FloatVector q = y2.mul(FastMath.TANH_Q3).add(FastMath.TANH_Q2).mul(y2).add(FastMath.TANH_Q1).mul(y2).add(FastMath.TANH_P0);
            p.mul(2f).mul(q).div(q.mul(q).add(p.mul(p))).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = FastMath.tanhRational(a[off + i]);
    }
}
