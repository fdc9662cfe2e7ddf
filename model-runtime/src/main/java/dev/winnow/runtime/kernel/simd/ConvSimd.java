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
        final int nv = vectors(oc);
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int xr = xOff + r * ld, o = outOff + r * oc, io = initOff + r * initStride, j = 0;
            for (; j + 2 <= nv; j += 2) {
                rows4x2(x, xr, ld, kLen, w, j * L * k + 2 * L * kFrom, init, io, initStride, position(j, oc), position(j + 1, oc), min, max, out, o, oc);
            }
            if (j < nv) rows4x1(x, xr, ld, kLen, w, j * L * k + L * kFrom, init, io, initStride, position(j, oc), min, max, out, o, oc);
        }
        for (; r < rows; r++) {
            int xr = xOff + r * ld, o = outOff + r * oc, io = initOff + r * initStride, j = 0;
            for (; j + 2 <= nv; j += 2) rows1x2(x, xr, kLen, w, j * L * k + 2 * L * kFrom, init, io, position(j, oc), position(j + 1, oc), min, max, out, o);
            if (j < nv) rows1x1(x, xr, kLen, w, j * L * k + L * kFrom, init, io, position(j, oc), min, max, out, o);
        }
    }

    /**
     * A whole 3-row filter in place: the three {@link #pass}es of a filter of height 3 in one, so the
     * accumulators stay in registers from the bias to the clamp instead of going through the output twice.
     * Filter row h of row r reads {@code x[xOff + h·rowLd + r·ld ..]} for {@code run} values, as {@code offsets} =
     * {@link #threeRowOffsets}{@code (run, rowLd)} says; the packed filter has {@code 3·run} rows.
     * The same bits as the three passes: each accumulator runs the same multiply-adds in the same order.
     * Pairs of output channel vectors go in blocks of 4 rows, the rows after the last block one at a time; an
     * odd last vector (the only one when oc = L, as for 16 channels on AVX-512) in blocks of 8 rows
     * ({@link #lastVector3}). Needs oc a multiple of L, as pass.
     */
    public static void rows3(int rows, float[] x, int xOff, int ld, int[] offsets, float[] w, float[] bias, int oc,
                             float min, float max, float[] out, int outOff) {
        final int k = offsets.length, run = k / 3, rowLd = offsets[run], nv = vectors(oc), blocks = rows & ~3, pairs = nv & ~1;
        for (int r = 0; r < blocks; r += 4) {
            int xr = xOff + r * ld, o = outOff + r * oc;
            for (int j = 0; j < pairs; j += 2) {
                rows4x2x3(x, xr, ld, run, rowLd, w, j * L * k, bias, j * L, (j + 1) * L, min, max, out, o, oc);
            }
        }
        for (int r = blocks; r < rows; r++) {
            for (int j = 0; j < pairs; j += 2) {
                rows1x2x3(x, xOff + r * ld, offsets, w, j * L * k, bias, j * L, (j + 1) * L, min, max, out, outOff + r * oc);
            }
        }
        if (pairs < nv) lastVector3(rows, x, xOff, ld, offsets, w, pairs * L * k, bias, pairs * L, min, max, out, outOff, oc);
    }

    /**
     * Output channels [a, a + L) of every row, in blocks of 8 rows: eight accumulators are what keeps both
     * FMA pipes busy through their latency when each filter vector feeds one vector of channels. When
     * rows is not a multiple of 8 the last block starts at rows − 8 and overlaps the one before: it
     * recomputes those rows with the same multiply-adds in the same order and stores the same values
     * again, so no row runs in a block of fewer accumulators. Fewer than 8 rows go one at a time.
     */
    private static void lastVector3(int rows, float[] x, int xOff, int ld, int[] offsets, float[] w, int wo, float[] bias, int a,
                                    float min, float max, float[] out, int outOff, int oc) {
        final int run = offsets.length / 3, rowLd = offsets[run];
        if (rows < 8) {
            for (int r = 0; r < rows; r++) rows1x1x3(x, xOff + r * ld, offsets, w, wo, bias, a, min, max, out, outOff + r * oc);
            return;
        }
        for (int r = 0; r < rows; r += 8) {
            int at = Math.min(r, rows - 8);
            rows8x1x3(x, xOff + at * ld, ld, run, rowLd, w, wo, bias, a, min, max, out, outOff + at * oc, oc);
        }
    }

    /**
     * Whether {@link #rows3} is the faster way on this JVM. {@code deepVectorLoops}: whether the vector kernels
     * with deeper loop nests run here ({@code VectorSupport.available()}: JDK 21+, or forced by
     * {@code -Dwinnow.kernels.vector=true}); then always. On JDK 17 with 16-lane floats (AVX-512, 32 vector
     * registers) too: there the 8-row blocks ran at 2.1–2.5x the passes on the detector's second conv in ten
     * JVMs, and the 4-row blocks at 1.2–1.4x with 32 and 48 output channels. With 8-lane floats (AVX2, 16
     * registers) JDK 17's C2 spilled an accumulator of the 4-row blocks' one-loop form to the stack in most
     * JVMs and boxed the accumulators of their three-loop form, so the passes run there (benchmarks/README.md).
     */
    public static boolean threeRowsInRegisters(boolean deepVectorLoops) {
        return deepVectorLoops || L >= 16;
    }

    /**
     * Where value i of a 3-row filter's {@code 3·run} values lies, from the first value of its first row:
     * {@code i mod run} into filter row {@code i / run}, which starts {@code rowLd} after the one before. The
     * single rows read through it (one loop over all 3·run values); the blocks read run and rowLd from it and
     * run a loop per filter row.
     */
    public static int[] threeRowOffsets(int run, int rowLd) {
        int[] off = new int[3 * run];
        for (int i = 0; i < off.length; i++) off[i] = i % run + i / run * rowLd;
        return off;
    }

    /**
     * {@link #rows4x2} over the three filter rows, one loop per filter row as {@link #rows8x1x3} (with 8-lane
     * floats on JDK 25, 16 % faster than one loop over the 3·run values read through the offset table). With
     * 8-lane floats (AVX2), JDK 17's C2 spilled an accumulator of the one-loop form to the stack in most JVMs
     * (seen in the disassembly) and boxed the accumulators of three loops in a row, so JDK 17 runs the passes
     * there ({@link #threeRowsInRegisters}); with 16 lanes it kept them in registers in the eight JVMs measured
     * and in KernelAllocationTest's.
     */
    private static void rows4x2x3(float[] x, int xr, int ld, int run, int rowLd, float[] w, int wo, float[] bias, int a, int b,
                                  float min, float max, float[] out, int o, int stride) {
        FloatVector a0 = FloatVector.fromArray(S, bias, a), b0 = FloatVector.fromArray(S, bias, b);
        FloatVector a1 = FloatVector.fromArray(S, bias, a), b1 = FloatVector.fromArray(S, bias, b);
        FloatVector a2 = FloatVector.fromArray(S, bias, a), b2 = FloatVector.fromArray(S, bias, b);
        FloatVector a3 = FloatVector.fromArray(S, bias, a), b3 = FloatVector.fromArray(S, bias, b);
        final int l2 = 2 * ld, l3 = 3 * ld;
        for (int i = 0; i < run; i++) {
            int wi = wo + 2 * L * i, xi = xr + i;
            FloatVector wa = FloatVector.fromArray(S, w, wi), wb = FloatVector.fromArray(S, w, wi + L);
            FloatVector p = FloatVector.broadcast(S, x[xi]);
            a0 = p.fma(wa, a0);
            b0 = p.fma(wb, b0);
            p = FloatVector.broadcast(S, x[xi + ld]);
            a1 = p.fma(wa, a1);
            b1 = p.fma(wb, b1);
            p = FloatVector.broadcast(S, x[xi + l2]);
            a2 = p.fma(wa, a2);
            b2 = p.fma(wb, b2);
            p = FloatVector.broadcast(S, x[xi + l3]);
            a3 = p.fma(wa, a3);
            b3 = p.fma(wb, b3);
        }
        for (int i = 0; i < run; i++) {
            int wi = wo + 2 * L * (run + i), xi = xr + rowLd + i;
            FloatVector wa = FloatVector.fromArray(S, w, wi), wb = FloatVector.fromArray(S, w, wi + L);
            FloatVector p = FloatVector.broadcast(S, x[xi]);
            a0 = p.fma(wa, a0);
            b0 = p.fma(wb, b0);
            p = FloatVector.broadcast(S, x[xi + ld]);
            a1 = p.fma(wa, a1);
            b1 = p.fma(wb, b1);
            p = FloatVector.broadcast(S, x[xi + l2]);
            a2 = p.fma(wa, a2);
            b2 = p.fma(wb, b2);
            p = FloatVector.broadcast(S, x[xi + l3]);
            a3 = p.fma(wa, a3);
            b3 = p.fma(wb, b3);
        }
        for (int i = 0; i < run; i++) {
            int wi = wo + 2 * L * (2 * run + i), xi = xr + 2 * rowLd + i;
            FloatVector wa = FloatVector.fromArray(S, w, wi), wb = FloatVector.fromArray(S, w, wi + L);
            FloatVector p = FloatVector.broadcast(S, x[xi]);
            a0 = p.fma(wa, a0);
            b0 = p.fma(wb, b0);
            p = FloatVector.broadcast(S, x[xi + ld]);
            a1 = p.fma(wa, a1);
            b1 = p.fma(wb, b1);
            p = FloatVector.broadcast(S, x[xi + l2]);
            a2 = p.fma(wa, a2);
            b2 = p.fma(wb, b2);
            p = FloatVector.broadcast(S, x[xi + l3]);
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

    /**
     * Eight rows × output channels [a, a + L) over the three filter rows, as {@link #rows4x2x3} but in three
     * loops, one per filter row, each over its {@code run} values ({@code rowLd} apart): the indices are affine in
     * the loop counter, so C2 checks the bounds of all eight rows' reads once before each loop instead of on
     * every read (through the offset table, the detector's second conv ran 8–20 % slower: benchmarks/README.md). Three loops written out,
     * not a loop over the filter rows around one: JDK 17 boxed the accumulators carried through that nest
     * (180 MB in 200 calls of KernelAllocationTest's conv).
     */
    private static void rows8x1x3(float[] x, int xr, int ld, int run, int rowLd, float[] w, int wo, float[] bias, int a,
                                  float min, float max, float[] out, int o, int stride) {
        FloatVector a0 = FloatVector.fromArray(S, bias, a), a1 = FloatVector.fromArray(S, bias, a);
        FloatVector a2 = FloatVector.fromArray(S, bias, a), a3 = FloatVector.fromArray(S, bias, a);
        FloatVector a4 = FloatVector.fromArray(S, bias, a), a5 = FloatVector.fromArray(S, bias, a);
        FloatVector a6 = FloatVector.fromArray(S, bias, a), a7 = FloatVector.fromArray(S, bias, a);
        final int l2 = 2 * ld, l3 = 3 * ld, l4 = 4 * ld, l5 = 5 * ld, l6 = 6 * ld, l7 = 7 * ld;
        for (int i = 0; i < run; i++) {
            FloatVector wa = FloatVector.fromArray(S, w, wo + L * i);
            int xi = xr + i;
            a0 = FloatVector.broadcast(S, x[xi]).fma(wa, a0);
            a1 = FloatVector.broadcast(S, x[xi + ld]).fma(wa, a1);
            a2 = FloatVector.broadcast(S, x[xi + l2]).fma(wa, a2);
            a3 = FloatVector.broadcast(S, x[xi + l3]).fma(wa, a3);
            a4 = FloatVector.broadcast(S, x[xi + l4]).fma(wa, a4);
            a5 = FloatVector.broadcast(S, x[xi + l5]).fma(wa, a5);
            a6 = FloatVector.broadcast(S, x[xi + l6]).fma(wa, a6);
            a7 = FloatVector.broadcast(S, x[xi + l7]).fma(wa, a7);
        }
        for (int i = 0; i < run; i++) {
            FloatVector wa = FloatVector.fromArray(S, w, wo + L * (run + i));
            int xi = xr + rowLd + i;
            a0 = FloatVector.broadcast(S, x[xi]).fma(wa, a0);
            a1 = FloatVector.broadcast(S, x[xi + ld]).fma(wa, a1);
            a2 = FloatVector.broadcast(S, x[xi + l2]).fma(wa, a2);
            a3 = FloatVector.broadcast(S, x[xi + l3]).fma(wa, a3);
            a4 = FloatVector.broadcast(S, x[xi + l4]).fma(wa, a4);
            a5 = FloatVector.broadcast(S, x[xi + l5]).fma(wa, a5);
            a6 = FloatVector.broadcast(S, x[xi + l6]).fma(wa, a6);
            a7 = FloatVector.broadcast(S, x[xi + l7]).fma(wa, a7);
        }
        for (int i = 0; i < run; i++) {
            FloatVector wa = FloatVector.fromArray(S, w, wo + L * (2 * run + i));
            int xi = xr + 2 * rowLd + i;
            a0 = FloatVector.broadcast(S, x[xi]).fma(wa, a0);
            a1 = FloatVector.broadcast(S, x[xi + ld]).fma(wa, a1);
            a2 = FloatVector.broadcast(S, x[xi + l2]).fma(wa, a2);
            a3 = FloatVector.broadcast(S, x[xi + l3]).fma(wa, a3);
            a4 = FloatVector.broadcast(S, x[xi + l4]).fma(wa, a4);
            a5 = FloatVector.broadcast(S, x[xi + l5]).fma(wa, a5);
            a6 = FloatVector.broadcast(S, x[xi + l6]).fma(wa, a6);
            a7 = FloatVector.broadcast(S, x[xi + l7]).fma(wa, a7);
        }
        a0.max(min).min(max).intoArray(out, o + a);
        a1.max(min).min(max).intoArray(out, o + stride + a);
        a2.max(min).min(max).intoArray(out, o + 2 * stride + a);
        a3.max(min).min(max).intoArray(out, o + 3 * stride + a);
        a4.max(min).min(max).intoArray(out, o + 4 * stride + a);
        a5.max(min).min(max).intoArray(out, o + 5 * stride + a);
        a6.max(min).min(max).intoArray(out, o + 6 * stride + a);
        a7.max(min).min(max).intoArray(out, o + 7 * stride + a);
    }

    /** One row of {@link #rows8x1x3}. */
    private static void rows1x1x3(float[] x, int xr, int[] offsets, float[] w, int wo, float[] bias, int a,
                                  float min, float max, float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(S, bias, a);
        for (int i = 0; i < offsets.length; i++) {
            a0 = FloatVector.broadcast(S, x[xr + offsets[i]]).fma(FloatVector.fromArray(S, w, wo + L * i), a0);
        }
        a0.max(min).min(max).intoArray(out, o + a);
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
