package dev.winnow.runtime.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float convolution as a matrix product on the Vector API: {@code Out[rows × oc] = X[rows × k] · W[k × oc] + bias},
 * clamped. For a pointwise (1x1) convolution over HWC the rows are the pixels and X is the input itself; any
 * other convolution reads the input in place where the filter lies inside it, one filter row per
 * {@link #pass}, and gathers the receptive fields of border pixels into scratch ({@code Conv2d}).
 *
 * <p>Register blocking: four rows times two vectors of output channels are eight accumulators that
 * stay in registers across one counted loop over k; each filter vector loaded feeds four fused
 * multiply-adds and each input value broadcast feeds two. The filter is packed once ({@link #pack}) into
 * panels of two vectors, {@code [k][2 L]} each, so the loop streams it. Every loop that carries a
 * vector is a single counted loop without branches, and vectors are never passed to or returned from
 * a call: in that shape C2 keeps them in registers on JDK 17 too (no allocation, KernelAllocationTest;
 * measured 68–86 GMAC/s on JDK 17 and 25, AVX-512). Deeper nests around the accumulators made JDK 17 box them.
 *
 * <p>Output channels past the last whole vector are not a scalar tail: the last vector sits at
 * {@code oc − L} and overlaps its neighbour, which it recomputes with the same sums in the same order
 * (the same values are stored twice). With fewer than L output channels the filter is zero-padded to
 * one vector and the rows go through a small tile in scratch ({@link #tileFloats}); no masks, which JDK 17
 * does not intrinsify. Stateless: thread safe.
 */
public final class ConvSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ConvSimd() {}

    /** Floats per vector: {@link #pass} needs a multiple of this many output channels. */
    public static int lanes() {
        return L;
    }

    /** Vectors of output channels: ⌈oc / L⌉. */
    private static int vectors(int oc) {
        return (oc + L - 1) / L;
    }

    /** First output channel of vector j: j·L, the last one moved back to oc − L; 0 when oc < L. */
    private static int position(int j, int oc) {
        return oc < L ? 0 : Math.min(j * L, oc - L);
    }

    /** Scratch floats {@link #gemm} needs for {@code oc} output channels: a 4-row tile when oc < L. */
    public static int tileFloats(int oc) {
        return oc < L ? 4 * L : 0;
    }

    /**
     * Packs {@code w[i·oc + c]} (k rows of oc output channels) into panels of two vectors (one for an
     * odd last vector): panel j/2 starts at {@code j·L·k} and holds {@code [k][vectors][L]}.
     */
    public static float[] pack(float[] w, int k, int oc) {
        int nv = vectors(oc);
        float[] p = new float[nv * L * k];
        for (int j = 0; j < nv; j += 2) {
            int width = Math.min(2, nv - j), base = j * L * k;
            for (int i = 0; i < k; i++) {
                for (int v = 0; v < width; v++) {
                    int pos = position(j + v, oc);
                    for (int l = 0; l < L; l++) p[base + (i * width + v) * L + l] = pos + l < oc ? w[i * oc + pos + l] : 0f;
                }
            }
        }
        return p;
    }

    /** The bias, zero-padded to at least one vector. */
    public static float[] packBias(float[] bias, int oc) {
        return java.util.Arrays.copyOf(bias, Math.max(oc, L));
    }

    /**
     * out[outOff + r·oc + c] = clamp(bias[c] + Σ_i x[xOff + r·k + i] · W[i][c]) for r < rows, c < oc,
     * with W packed by {@link #pack} and bias by {@link #packBias}.
     */
    public static void gemm(int rows, int k, float[] x, int xOff, float[] w, float[] bias, int oc, float min, float max,
                            float[] out, int outOff, float[] tile, int tileOff) {
        int r = 0;
        if (oc < L) {
            for (; r + 4 <= rows; r += 4) {
                rows4x1(x, xOff + r * k, k, k, w, 0, bias, 0, 0, 0, min, max, tile, tileOff, L);
                for (int p = 0; p < 4; p++) System.arraycopy(tile, tileOff + p * L, out, outOff + (r + p) * oc, oc);
            }
            for (; r < rows; r++) {
                rows1x1(x, xOff + r * k, k, w, 0, bias, 0, 0, min, max, tile, tileOff);
                System.arraycopy(tile, tileOff, out, outOff + r * oc, oc);
            }
            return;
        }
        pass(rows, k, 0, k, x, xOff, k, w, bias, 0, 0, oc, min, max, out, outOff);
    }

    /**
     * One pass of a product split along k, for a convolution that reads its input in place: rows r of X
     * are {@code x[xOff + r·ld ..]} ({@code ld} apart, so the receptive fields of one filter row of
     * neighbouring output pixels, which overlap, need no gathering), and the pass adds filter rows
     * [kFrom, kFrom + kLen) of the packed filter (of {@code k} rows in all) to {@code init}: the
     * bias ({@code initStride} 0) on the first pass, the output itself ({@code initStride} oc) after.
     * Passes over consecutive ranges of k give the bits of one {@link #gemm}: each accumulator runs the
     * same fused multiply-adds in the same order, stored and reloaded exactly between passes. Clamp
     * with [min, max] on the last pass only (±∞ before it). Needs oc a multiple of L: an overlapping last
     * vector (see the class comment) would start a later pass from sums its neighbour has already advanced.
     */
    public static void pass(int rows, int k, int kFrom, int kLen, float[] x, int xOff, int ld, float[] w, float[] init, int initOff,
                            int initStride, int oc, float min, float max, float[] out, int outOff) {
        passFrom(rows, k, kFrom, kLen, x, xOff, ld, w, init, initOff, initStride, oc, min, max, out, outOff, 0);
    }

    /** {@link #pass} for the output channel vectors from {@code fromVector} on. */
    private static void passFrom(int rows, int k, int kFrom, int kLen, float[] x, int xOff, int ld, float[] w, float[] init, int initOff,
                                 int initStride, int oc, float min, float max, float[] out, int outOff, int fromVector) {
        final int nv = vectors(oc);
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int xr = xOff + r * ld, o = outOff + r * oc, io = initOff + r * initStride, j = fromVector;
            for (; j + 2 <= nv; j += 2) {
                rows4x2(x, xr, ld, kLen, w, j * L * k + 2 * L * kFrom, init, io, initStride, position(j, oc), position(j + 1, oc), min, max, out, o, oc);
            }
            if (j < nv) rows4x1(x, xr, ld, kLen, w, j * L * k + L * kFrom, init, io, initStride, position(j, oc), min, max, out, o, oc);
        }
        for (; r < rows; r++) {
            int xr = xOff + r * ld, o = outOff + r * oc, io = initOff + r * initStride, j = fromVector;
            for (; j + 2 <= nv; j += 2) rows1x2(x, xr, kLen, w, j * L * k + 2 * L * kFrom, init, io, position(j, oc), position(j + 1, oc), min, max, out, o);
            if (j < nv) rows1x1(x, xr, kLen, w, j * L * k + L * kFrom, init, io, position(j, oc), min, max, out, o);
        }
    }

    /**
     * A whole 3-row filter in place: the three {@link #pass}es of a filter of height 3 in one, for the rows
     * and output channels a 4 × 2-vector block covers, so the accumulators stay in registers from the bias
     * to the clamp instead of going through the output twice. Filter row h of row r reads
     * {@code x[xOff + h·rowLd + r·ld ..]} for {@code run} values, as {@code offsets} =
     * {@link #threeRowOffsets}{@code (run, rowLd)} says (both are read from it); the packed filter has {@code 3·run} rows.
     * The same bits as the three passes: each accumulator runs the same multiply-adds in the same order.
     * The rows after the last block run one at a time the same way; an odd last vector of output channels
     * goes through {@link #pass}es. Needs oc a multiple of L, as pass.
     */
    public static void rows3(int rows, float[] x, int xOff, int ld, int[] offsets, float[] w, float[] bias, int oc,
                             float min, float max, float[] out, int outOff) {
        // the table is 3·run long, and value run is the first of the second filter row: rowLd
        final int k = offsets.length, run = k / 3, rowLd = offsets[run], nv = vectors(oc), blocks = rows & ~3, pairs = nv & ~1;
        for (int r = 0; r < blocks; r += 4) {
            int xr = xOff + r * ld, o = outOff + r * oc;
            for (int j = 0; j < pairs; j += 2) {
                rows4x2x3(x, xr, ld, offsets, w, j * L * k, bias, j * L, (j + 1) * L, min, max, out, o, oc);
            }
        }
        if (pairs < nv && blocks > 0) passes3(blocks, run, x, xOff, ld, rowLd, w, bias, oc, min, max, out, outOff, pairs);
        if (pairs == nv) {
            for (int r = blocks; r < rows; r++) {
                for (int j = 0; j < pairs; j += 2) {
                    rows1x2x3(x, xOff + r * ld, offsets, w, j * L * k, bias, j * L, (j + 1) * L, min, max, out, outOff + r * oc);
                }
            }
            return;
        }
        if (blocks < rows) passes3(rows - blocks, run, x, xOff + blocks * ld, ld, rowLd, w, bias, oc, min, max, out, outOff + blocks * oc, 0);
    }

    /**
     * Where value i of a 3-row filter's {@code 3·run} values lies, from the first value of its first row:
     * {@code i mod run} into filter row {@code i / run}, which starts {@code rowLd} after the one before. A
     * table, because the loop that reads it keeps fewer values in registers than one that computes them.
     */
    public static int[] threeRowOffsets(int run, int rowLd) {
        int[] off = new int[3 * run];
        for (int i = 0; i < off.length; i++) off[i] = i % run + i / run * rowLd;
        return off;
    }

    /** Vectors [fromVector, nv) of {@code rows} rows by three {@link #pass}es. */
    private static void passes3(int rows, int run, float[] x, int xOff, int ld, int rowLd, float[] w, float[] bias, int oc,
                                float min, float max, float[] out, int outOff, int fromVector) {
        final int k = 3 * run;
        for (int h = 0; h < 3; h++) {
            boolean start = h == 0, last = h == 2;
            passFrom(rows, k, h * run, run, x, xOff + h * rowLd, ld, w, start ? bias : out, start ? 0 : outOff, start ? 0 : oc, oc,
                    last ? min : Float.NEGATIVE_INFINITY, last ? max : Float.POSITIVE_INFINITY, out, outOff, fromVector);
        }
    }

    /**
     * {@link #rows4x2} over the three filter rows in one counted loop over their 3·run values, value i read at
     * {@code xr + offsets[i]} ({@link #threeRowOffsets}): on JDK 25 about 10 % faster than computing i / run in
     * the loop. Conv2d takes this kernel on JDK 21+ only. On JDK 17 C2 compiles it well in some JVMs and in others
     * spills an accumulator to the stack on every iteration (seen in the disassembly), slower than the three
     * passes; three loops in a row, each carrying the accumulators into the next, boxed them there.
     */
    private static void rows4x2x3(float[] x, int xr, int ld, int[] offsets, float[] w, int wo, float[] bias, int a, int b,
                                  float min, float max, float[] out, int o, int stride) {
        FloatVector a0 = FloatVector.fromArray(S, bias, a), b0 = FloatVector.fromArray(S, bias, b);
        FloatVector a1 = FloatVector.fromArray(S, bias, a), b1 = FloatVector.fromArray(S, bias, b);
        FloatVector a2 = FloatVector.fromArray(S, bias, a), b2 = FloatVector.fromArray(S, bias, b);
        FloatVector a3 = FloatVector.fromArray(S, bias, a), b3 = FloatVector.fromArray(S, bias, b);
        for (int i = 0; i < offsets.length; i++) {
            int wi = wo + 2 * L * i, xi = xr + offsets[i];
            FloatVector wa = FloatVector.fromArray(S, w, wi), wb = FloatVector.fromArray(S, w, wi + L);
            FloatVector p = FloatVector.broadcast(S, x[xi]);
            a0 = p.fma(wa, a0);
            b0 = p.fma(wb, b0);
            p = FloatVector.broadcast(S, x[xi + ld]);
            a1 = p.fma(wa, a1);
            b1 = p.fma(wb, b1);
            p = FloatVector.broadcast(S, x[xi + 2 * ld]);
            a2 = p.fma(wa, a2);
            b2 = p.fma(wb, b2);
            p = FloatVector.broadcast(S, x[xi + 3 * ld]);
            a3 = p.fma(wa, a3);
            b3 = p.fma(wb, b3);
        }
        b0.max(min).min(max).intoArray(out, o + b);
        a0.max(min).min(max).intoArray(out, o + a);
        b1.max(min).min(max).intoArray(out, o + stride + b);
        a1.max(min).min(max).intoArray(out, o + stride + a);
        b2.max(min).min(max).intoArray(out, o + 2 * stride + b);
        a2.max(min).min(max).intoArray(out, o + 2 * stride + a);
        b3.max(min).min(max).intoArray(out, o + 3 * stride + b);
        a3.max(min).min(max).intoArray(out, o + 3 * stride + a);
    }

    /** One row of {@link #rows4x2x3}. */
    private static void rows1x2x3(float[] x, int xr, int[] offsets, float[] w, int wo, float[] bias, int a, int b,
                                  float min, float max, float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(S, bias, a), b0 = FloatVector.fromArray(S, bias, b);
        for (int i = 0; i < offsets.length; i++) {
            int wi = wo + 2 * L * i;
            FloatVector p = FloatVector.broadcast(S, x[xr + offsets[i]]);
            a0 = p.fma(FloatVector.fromArray(S, w, wi), a0);
            b0 = p.fma(FloatVector.fromArray(S, w, wi + L), b0);
        }
        b0.max(min).min(max).intoArray(out, o + b);
        a0.max(min).min(max).intoArray(out, o + a);
    }

    /**
     * Four rows × output channels [a, a+L) and [b, b+L): row p reads {@code x[xr + p·ld ..]} for k values
     * and starts from {@code init[io + p·is + a]} (and b); it is stored at o + p·stride.
     */
    private static void rows4x2(float[] x, int xr, int ld, int k, float[] w, int wo, float[] init, int io, int is, int a, int b,
                                float min, float max, float[] out, int o, int stride) {
        // separate loads, not one shared value: C2 on JDK 17 boxes vectors that alias at a loop phi
        FloatVector a0 = FloatVector.fromArray(S, init, io + a), b0 = FloatVector.fromArray(S, init, io + b);
        FloatVector a1 = FloatVector.fromArray(S, init, io + is + a), b1 = FloatVector.fromArray(S, init, io + is + b);
        FloatVector a2 = FloatVector.fromArray(S, init, io + 2 * is + a), b2 = FloatVector.fromArray(S, init, io + 2 * is + b);
        FloatVector a3 = FloatVector.fromArray(S, init, io + 3 * is + a), b3 = FloatVector.fromArray(S, init, io + 3 * is + b);
        for (int i = 0; i < k; i++) {
            int wi = wo + 2 * L * i;
            FloatVector wa = FloatVector.fromArray(S, w, wi), wb = FloatVector.fromArray(S, w, wi + L);
            FloatVector p = FloatVector.broadcast(S, x[xr + i]);
            a0 = p.fma(wa, a0);
            b0 = p.fma(wb, b0);
            p = FloatVector.broadcast(S, x[xr + ld + i]);
            a1 = p.fma(wa, a1);
            b1 = p.fma(wb, b1);
            p = FloatVector.broadcast(S, x[xr + 2 * ld + i]);
            a2 = p.fma(wa, a2);
            b2 = p.fma(wb, b2);
            p = FloatVector.broadcast(S, x[xr + 3 * ld + i]);
            a3 = p.fma(wa, a3);
            b3 = p.fma(wb, b3);
        }
        b0.max(min).min(max).intoArray(out, o + b);
        a0.max(min).min(max).intoArray(out, o + a);
        b1.max(min).min(max).intoArray(out, o + stride + b);
        a1.max(min).min(max).intoArray(out, o + stride + a);
        b2.max(min).min(max).intoArray(out, o + 2 * stride + b);
        a2.max(min).min(max).intoArray(out, o + 2 * stride + a);
        b3.max(min).min(max).intoArray(out, o + 3 * stride + b);
        a3.max(min).min(max).intoArray(out, o + 3 * stride + a);
    }

    /** Four rows × output channels [a, a+L), as {@link #rows4x2}. */
    private static void rows4x1(float[] x, int xr, int ld, int k, float[] w, int wo, float[] init, int io, int is, int a,
                                float min, float max, float[] out, int o, int stride) {
        FloatVector a0 = FloatVector.fromArray(S, init, io + a), a1 = FloatVector.fromArray(S, init, io + is + a);
        FloatVector a2 = FloatVector.fromArray(S, init, io + 2 * is + a), a3 = FloatVector.fromArray(S, init, io + 3 * is + a);
        for (int i = 0; i < k; i++) {
            FloatVector wa = FloatVector.fromArray(S, w, wo + L * i);
            a0 = FloatVector.broadcast(S, x[xr + i]).fma(wa, a0);
            a1 = FloatVector.broadcast(S, x[xr + ld + i]).fma(wa, a1);
            a2 = FloatVector.broadcast(S, x[xr + 2 * ld + i]).fma(wa, a2);
            a3 = FloatVector.broadcast(S, x[xr + 3 * ld + i]).fma(wa, a3);
        }
        a0.max(min).min(max).intoArray(out, o + a);
        a1.max(min).min(max).intoArray(out, o + stride + a);
        a2.max(min).min(max).intoArray(out, o + 2 * stride + a);
        a3.max(min).min(max).intoArray(out, o + 3 * stride + a);
    }

    private static void rows1x2(float[] x, int xr, int k, float[] w, int wo, float[] init, int io, int a, int b,
                                float min, float max, float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(S, init, io + a), b0 = FloatVector.fromArray(S, init, io + b);
        for (int i = 0; i < k; i++) {
            int wi = wo + 2 * L * i;
            FloatVector p = FloatVector.broadcast(S, x[xr + i]);
            a0 = p.fma(FloatVector.fromArray(S, w, wi), a0);
            b0 = p.fma(FloatVector.fromArray(S, w, wi + L), b0);
        }
        b0.max(min).min(max).intoArray(out, o + b);
        a0.max(min).min(max).intoArray(out, o + a);
    }

    private static void rows1x1(float[] x, int xr, int k, float[] w, int wo, float[] init, int io, int a,
                                float min, float max, float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(S, init, io + a);
        for (int i = 0; i < k; i++) a0 = FloatVector.broadcast(S, x[xr + i]).fma(FloatVector.fromArray(S, w, wo + L * i), a0);
        a0.max(min).min(max).intoArray(out, o + a);
    }
}
