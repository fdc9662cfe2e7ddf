package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

import dev.winnow.runtime.kernel.base.FastMath;

import static dev.winnow.runtime.testing.Tensors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.ReferenceOps;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Float kernels, on both the plain and the Vector API path, against the double-precision reference. */
class FloatKernelsTest {
    /** float32 accumulation over K terms of size ~1: relative error grows like K * 2^-24. */
    private static double tol(int k, double scale) {
        return 1e-5 * Math.max(1, scale) * Math.sqrt(k) + 1e-6;
    }

    /**
     * Runs {@code conv} as an op does: the input {@code xOff} elements into a larger array, the output
     * {@code before} elements into an arena of NaNs with {@code after} guard elements behind it, the
     * scratch behind those (NaN, so it must be written before it is read). Fails if anything outside
     * the output was written; returns the arena, the output at {@code before}.
     */
    private static float[] runInArena(Conv2d.Float32 conv, ConvGeometry g, float[] x, int xOff, int before, int after, String where) {
        int end = before + g.outputSize();
        float[] arena = new float[end + after + conv.scratchFloats()];
        java.util.Arrays.fill(arena, Float.NaN);
        conv.run(padded(x, xOff), xOff, arena, before, arena, end + after);
        for (int i = 0; i < before; i++) assertTrue(Float.isNaN(arena[i]), "wrote before the output" + where);
        for (int i = end; i < end + after; i++) assertTrue(Float.isNaN(arena[i]), "wrote past the output" + where);
        return arena;
    }

    @Test
    void vectorPathIsPresentInTests() {
        assertTrue(VectorSupport.modulepresent(), "tests run with --add-modules jdk.incubator.vector");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void conv2dMatchesReference(boolean vector) {
        Random r = new Random(11);
        int[][] kernels = {{1, 1}, {3, 3}, {5, 5}, {3, 1}};
        for (int trial = 0; trial < 40; trial++) {
            int h = 1 + r.nextInt(13), w = 1 + r.nextInt(13), c = 1 + r.nextInt(9), oc = 1 + r.nextInt(37);
            int[] k = kernels[trial % kernels.length];
            int s = 1 + r.nextInt(2);
            boolean same = r.nextBoolean() || h < k[0] || w < k[1];
            ConvGeometry g = same ? ConvGeometry.same(h, w, c, oc, k[0], k[1], s, s) : ConvGeometry.valid(h, w, c, oc, k[0], k[1], s, s);
            Activation act = Activation.values()[trial % 3];
            float[] x = gaussian(r, h * w * c, 1), f = gaussian(r, oc * k[0] * k[1] * c, 0.5), b = gaussian(r, oc, 0.5);
            float[] out = new float[g.outputSize() + 7];
            new Conv2d.Float32(g, f, b, act, vector).run(padded(x, 3), 3, out, 7);
            double[] ref = ReferenceOps.conv2d(toDouble(x), h, w, c, toDouble(f), toDouble(b), oc, k[0], k[1], s, s,
                    g.padTop(), g.padLeft(), g.outH(), g.outW(), act.min, act.max);
            assertTrue(maxAbsDiff(out, 7, ref) < tol(k[0] * k[1] * c, 1), "trial " + trial + " " + g);
        }
    }

    /**
     * A single-channel input with fewer output channels than a vector (a grayscale stem) runs with output
     * pixels across the lanes: the detector's stem, channels in fours and after the last four, rows wider
     * than a vector of pixels and narrower, strides 1 to 3 with padding (the phase rows' bounds), and an
     * input narrower than the filter, through a scratch offset inside a larger array as an op does.
     */
    @Test
    void singleChannelNarrowConvsRunPixelsAcrossTheLanes() {
        Random r = new Random(29);
        // the detector's stem, and odd sizes, strides, filters and padding that leave tails and border pixels
        int[][] cases = {{240, 320, 4, 3, 2, 1}, {13, 17, 7, 3, 1, 0}, {9, 11, 15, 5, 2, 1}, {1, 1, 3, 3, 1, 1}, {6, 40, 1, 3, 2, 0},
                {10, 23, 4, 5, 3, 1}, {8, 14, 3, 3, 3, 0}, {7, 2, 4, 5, 2, 1}, {4, 40, 13, 3, 2, 1}, {5, 70, 6, 3, 1, 1}};
        for (int[] c : cases) {
            ConvGeometry g = c[5] == 1 ? ConvGeometry.same(c[0], c[1], 1, c[2], c[3], c[3], c[4], c[4])
                    : ConvGeometry.valid(c[0], c[1], 1, c[2], c[3], c[3], c[4], c[4]);
            float[] x = gaussian(r, g.inputSize(), 1), f = gaussian(r, c[2] * c[3] * c[3], 0.5), b = gaussian(r, c[2], 0.5);
            Conv2d.Float32 conv = new Conv2d.Float32(g, f, b, Activation.RELU6, true);
            // 15 output channels fill no 8-lane (AVX2) vector but fit a 16-lane (AVX-512) one: the path follows the machine
            String expected = !VectorSupport.modulepresent() ? "fp32-scalar"
                    : dev.winnow.runtime.kernel.simd.ConvPixelsSimd.fits(1, c[2]) ? "fp32-pixels-vector" : "fp32-vector";
            assertEquals(expected, conv.name(), java.util.Arrays.toString(c));
            float[] arena = runInArena(conv, g, x, 3, 4, 2, "");
            double[] ref = ReferenceOps.conv2d(toDouble(x), c[0], c[1], 1, toDouble(f), toDouble(b), c[2], c[3], c[3], c[4], c[4],
                    g.padTop(), g.padLeft(), g.outH(), g.outW(), 0, 6);
            assertTrue(maxAbsDiff(arena, 4, ref) < tol(c[3] * c[3], 1), java.util.Arrays.toString(c) + " " + g);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void convChannelCountsAndTails(boolean vector) {
        Random r = new Random(17);
        int[] ocs = {1, 4, 7, 15, 16, 17, 18, 24, 31, 32, 33, 48, 80, 100};
        int[][] sizes = {{1, 1}, {1, 3}, {2, 3}, {5, 7}, {4, 4}, {9, 13}};
        int trial = 0;
        for (int oc : ocs) {
            for (int[] hw : sizes) {
                int c = trial % 3 == 0 ? 1 + r.nextInt(4) : 16 + r.nextInt(120), k = trial % 4 == 3 ? 3 : 1, s = trial % 5 == 4 ? 2 : 1;
                boolean same = trial % 2 == 0 || hw[0] < k || hw[1] < k;
                ConvGeometry g = same ? ConvGeometry.same(hw[0], hw[1], c, oc, k, k, s, s) : ConvGeometry.valid(hw[0], hw[1], c, oc, k, k, s, s);
                Activation act = Activation.values()[trial % 3];
                float[] x = gaussian(r, g.inputSize(), 1), f = gaussian(r, oc * k * k * c, 0.5), b = gaussian(r, oc, 0.5);
                Conv2d.Float32 conv = new Conv2d.Float32(g, f, b, act, vector);
                float[] arena = runInArena(conv, g, x, 2, 5, 3, ", trial " + trial);
                double[] ref = ReferenceOps.conv2d(toDouble(x), hw[0], hw[1], c, toDouble(f), toDouble(b), oc, k, k, s, s,
                        g.padTop(), g.padLeft(), g.outH(), g.outW(), act.min, act.max);
                assertTrue(maxAbsDiff(arena, 5, ref) < tol(k * k * c, 1), "trial " + trial + " " + g);
                trial++;
            }
        }
    }

    /**
     * ConvGeometry's whole columns (where the float conv reads in place and the depthwise kernels run their
     * interior blocks) are exactly the output columns whose every filter column lies inside the input, by
     * brute force over widths, filters, strides and both paddings, with none inside at all among them.
     */
    @Test
    void wholeColumnsAreTheColumnsWhoseFilterLiesInside() {
        for (int inW = 1; inW <= 12; inW++) {
            for (int kW = 1; kW <= 5; kW++) {
                for (int sw = 1; sw <= 3; sw++) {
                    for (boolean same : new boolean[] {true, false}) {
                        if (!same && kW > inW) continue;
                        ConvGeometry g = same ? ConvGeometry.same(3, inW, 2, 4, 1, kW, 1, sw) : ConvGeometry.valid(3, inW, 2, 4, 1, kW, 1, sw);
                        int from = g.firstWholeColumn(), to = g.endWholeColumn();
                        assertTrue(0 <= from && from <= to && to <= g.outW(), g + ": [" + from + ", " + to + ")");
                        for (int ow = 0; ow < g.outW(); ow++) {
                            boolean whole = g.firstColumn(ow) == 0 && g.endColumn(ow) == kW;
                            assertEquals(whole, ow >= from && ow < to, g + " column " + ow);
                        }
                    }
                }
            }
        }
    }

    /** {inH, inW, inC, outC, kH, kW, stride, same}: SAME padding when same is 1, else VALID. */
    private static ConvGeometry caseGeometry(int[] c) {
        return c[7] == 1 ? ConvGeometry.same(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[6])
                : ConvGeometry.valid(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[6]);
    }

    /**
     * Rows whose filter lies inside the input are read in place, a pass per filter row or a 3-row filter in one
     * call: the same bits as
     * the product over receptive fields gathered here, by the test, into one im2col matrix (zeros outside).
     * The detector's second conv, strides 1 to 3, SAME and VALID, 3x3, 5x5 and 3x1 filters, an input with
     * a single column inside; 16 and 32 output channels are whole vectors at every width.
     */
    @Test
    void inPlaceRowsGiveTheGatheredBits() {
        Random r = new Random(41);
        int[][] cases = {{120, 160, 4, 16, 3, 3, 2, 1}, {13, 17, 3, 32, 3, 3, 1, 1}, {11, 19, 5, 16, 5, 5, 2, 0}, {7, 30, 2, 16, 3, 3, 3, 1},
                {9, 4, 3, 16, 3, 3, 1, 1}, {10, 12, 6, 32, 3, 1, 1, 0}, {8, 23, 3, 24, 3, 3, 1, 1}, {6, 26, 2, 48, 3, 3, 1, 1}};
        for (int[] c : cases) {
            ConvGeometry g = caseGeometry(c);
            int k = g.kH() * g.kW() * g.inC(), oc = g.outC(), n = g.outH() * g.outW();
            float[] x = gaussian(r, g.inputSize(), 1), ohwi = gaussian(r, oc * k, 0.5), b = gaussian(r, oc, 0.5);
            float[] arena = runInArena(new Conv2d.Float32(g, ohwi, b, Activation.RELU6, true), g, x, 3, 4, 2, " " + g);
            float[] hwio = new float[k * oc], cols = new float[n * k], expected = new float[n * oc];
            for (int o = 0; o < oc; o++) for (int i = 0; i < k; i++) hwio[i * oc + o] = ohwi[o * k + i];
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int kh = 0; kh < g.kH(); kh++) {
                        for (int kw = 0; kw < g.kW(); kw++) {
                            int ih = oh * g.strideH() - g.padTop() + kh, iw = ow * g.strideW() - g.padLeft() + kw;
                            if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) continue;
                            System.arraycopy(x, (ih * g.inW() + iw) * g.inC(), cols, ((oh * g.outW() + ow) * g.kH() * g.kW() + kh * g.kW() + kw) * g.inC(), g.inC());
                        }
                    }
                }
            }
            dev.winnow.runtime.kernel.simd.ConvSimd.gemm(n, k, cols, 0, dev.winnow.runtime.kernel.simd.ConvSimd.pack(hwio, k, oc),
                    dev.winnow.runtime.kernel.simd.ConvSimd.packBias(b, oc), oc, 0f, 6f, expected, 0, new float[64], 0);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(arena[4 + i]), "output " + i + " " + g);
            }
        }
    }

    /**
     * A 3-row filter in one call ({@code ConvSimd.rows3}, which Conv2d takes where {@code ConvSimd.threeRowsInRegisters} says) gives the bits of a
     * pass per filter row, on every JDK: pairs of vectors in blocks of four rows and the rows after them, an odd
     * last vector in blocks of eight with the last block overlapping the one before, fewer rows than a block,
     * short and long runs.
     */
    @Test
    void threeFilterRowsInOneCallGiveThePassesBits() {
        Random r = new Random(43);
        int lanes = dev.winnow.runtime.kernel.simd.ConvSimd.lanes();
        // {rows, run, vectors of output channels}
        int[][] cases = {{19, 12, 2}, {8, 9, 1}, {3, 6, 3}, {13, 24, 3}, {2, 8, 2}, {5, 615, 2}, {78, 12, 1}, {7, 12, 1}, {16, 5, 1}, {9, 30, 3}, {17, 200, 1}, {6, 12, 3}, {0, 12, 1}};
        for (int[] c : cases) {
            int rows = c[0], run = c[1], oc = c[2] * lanes, ld = 2 * run / 3 + 1, rowLd = rows * ld + run + 5, k = 3 * run;
            float[] x = gaussian(r, 3 * rowLd, 1), w = dev.winnow.runtime.kernel.simd.ConvSimd.pack(gaussian(r, k * oc, 0.5), k, oc);
            float[] b = dev.winnow.runtime.kernel.simd.ConvSimd.packBias(gaussian(r, oc, 0.5), oc);
            float[] fused = new float[rows * oc + 3], passes = new float[rows * oc + 3];
            dev.winnow.runtime.kernel.simd.ConvSimd.rows3(rows, x, 2, ld, dev.winnow.runtime.kernel.simd.ConvSimd.threeRowOffsets(run, rowLd),
                    w, b, oc, 0f, 6f, fused, 3);
            for (int h = 0; h < 3; h++) {
                dev.winnow.runtime.kernel.simd.ConvSimd.pass(rows, k, h * run, run, x, 2 + h * rowLd, ld, w, h == 0 ? b : passes, h == 0 ? 0 : 3,
                        h == 0 ? 0 : oc, oc, h == 2 ? 0f : Float.NEGATIVE_INFINITY, h == 2 ? 6f : Float.POSITIVE_INFINITY, passes, 3);
            }
            for (int i = 0; i < fused.length; i++) {
                assertEquals(Float.floatToIntBits(passes[i]), Float.floatToIntBits(fused[i]), "output " + i + " of case " + java.util.Arrays.toString(c));
            }
        }
    }

    /**
     * Rows far wider than a block of the product, with border pixels on both sides: the detector's second
     * conv, odd widths, 5x5 and 3x1 filters, strides 1 and 2, SAME and VALID, output channels under, at and
     * past one vector.
     */
    @Test
    void wideConvsMatchTheReference() {
        Random r = new Random(41);
        // {inH, inW, inC, outC, kH, kW, stride, same}
        int[][] cases = {{120, 160, 4, 16, 3, 3, 2, 1}, {9, 45, 3, 17, 3, 3, 1, 1}, {11, 38, 5, 40, 5, 5, 2, 1}, {7, 29, 8, 4, 3, 3, 1, 0},
                {6, 33, 2, 24, 3, 1, 1, 1}, {5, 21, 6, 32, 5, 5, 1, 0}};
        for (int[] c : cases) {
            ConvGeometry g = caseGeometry(c);
            float[] x = gaussian(r, g.inputSize(), 1), f = gaussian(r, c[3] * c[4] * c[5] * c[2], 0.5), b = gaussian(r, c[3], 0.5);
            Conv2d.Float32 conv = new Conv2d.Float32(g, f, b, Activation.RELU6, true);
            float[] arena = runInArena(conv, g, x, 5, 3, 2, "");
            double[] ref = ReferenceOps.conv2d(toDouble(x), c[0], c[1], c[2], toDouble(f), toDouble(b), c[3], c[4], c[5], c[6], c[6],
                    g.padTop(), g.padLeft(), g.outH(), g.outW(), 0, 6);
            assertTrue(maxAbsDiff(arena, 3, ref) < tol(c[4] * c[5] * c[2], 1), java.util.Arrays.toString(c) + " " + g);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void depthwiseMatchesReference(boolean vector) {
        Random r = new Random(12);
        // channels below, at and past whole vectors (72, 120 and 200 leave half a 16-lane vector), rows
        // from 1 pixel to 19 (edge pixels only, then blocks of four with 1–3 left), SAME and VALID
        int[] wide = {16, 17, 24, 32, 72, 120, 200};
        for (int trial = 0; trial < 60; trial++) {
            int h = 1 + r.nextInt(12), w = 1 + r.nextInt(trial < 40 ? 12 : 19);
            int c = trial < 40 ? 1 + r.nextInt(40) : wide[trial % wide.length], mult = trial % 3 == 0 ? 2 : 1;
            int k = trial % 2 == 0 ? 3 : 5, s = 1 + r.nextInt(2);
            boolean same = trial % 5 != 4 || h < k || w < k;
            ConvGeometry g = same ? ConvGeometry.same(h, w, c, c * mult, k, k, s, s) : ConvGeometry.valid(h, w, c, c * mult, k, k, s, s);
            Activation act = Activation.values()[trial % 3];
            float[] x = gaussian(r, h * w * c, 1), f = gaussian(r, k * k * c * mult, 0.5), b = gaussian(r, c * mult, 0.5);
            float[] out = new float[g.outputSize() + 4];
            java.util.Arrays.fill(out, Float.NaN);
            new DepthwiseConv2d.Float32(g, f, b, act, vector).run(padded(x, 1), 1, out, 2);
            double[] ref = ReferenceOps.depthwise(toDouble(x), h, w, c, mult, toDouble(f), toDouble(b), k, k, s, s,
                    g.padTop(), g.padLeft(), g.outH(), g.outW(), act.min, act.max);
            assertTrue(maxAbsDiff(out, 2, ref) < tol(k * k, 1), "trial " + trial + " " + g);
            assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[1]) && Float.isNaN(out[g.outputSize() + 2]) && Float.isNaN(out[g.outputSize() + 3]), "wrote outside the output, trial " + trial);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void denseMatchesReference(boolean vector) {
        Random r = new Random(13);
        for (int trial = 0; trial < 40; trial++) {
            int in = 1 + r.nextInt(300), out = 1 + r.nextInt(23);
            float[] x = gaussian(r, in, 1), wt = gaussian(r, in * out, 0.3), b = gaussian(r, out, 1);
            float[] y = new float[out + 1];
            new Dense.Float32(in, out, wt, b, Activation.NONE, vector).run(padded(x, 5), 5, y, 1);
            double[] ref = ReferenceOps.dense(toDouble(x), toDouble(wt), toDouble(b), in, out, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            assertTrue(maxAbsDiff(y, 1, ref) < tol(in, 1), "trial " + trial);
        }
    }

    @Test
    void vectorAndScalarPathsAgree() {
        Random r = new Random(14);
        ConvGeometry g = ConvGeometry.same(17, 23, 5, 37, 3, 3, 1, 1);
        float[] x = gaussian(r, g.inputSize(), 1), f = gaussian(r, 37 * 9 * 5, 0.5), b = gaussian(r, 37, 1);
        float[] a = new float[g.outputSize()], v = new float[g.outputSize()];
        new Conv2d.Float32(g, f, b, Activation.NONE, false).run(x, 0, a, 0);
        new Conv2d.Float32(g, f, b, Activation.NONE, true).run(x, 0, v, 0);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], v[i], 1e-5, "element " + i);
    }

    @Test
    void poolsMatchReference() {
        Random r = new Random(15);
        for (int trial = 0; trial < 30; trial++) {
            int h = 1 + r.nextInt(11), w = 1 + r.nextInt(11), c = 1 + r.nextInt(6), k = 2 + r.nextInt(2), s = 1 + r.nextInt(2);
            ConvGeometry g = ConvGeometry.same(h, w, c, c, k, k, s, s);
            float[] x = gaussian(r, h * w * c, 1);
            float[] mx = new float[g.outputSize()], av = new float[g.outputSize()];
            Pool2d.maxFloat32(g, x, 0, mx, 0);
            Pool2d.avgFloat32(g, x, 0, av, 0);
            assertEquals(0, maxAbsDiff(mx, 0, ReferenceOps.pool(toDouble(x), h, w, c, k, k, s, s, g.padTop(), g.padLeft(), g.outH(), g.outW(), true)), 1e-7);
            assertEquals(0, maxAbsDiff(av, 0, ReferenceOps.pool(toDouble(x), h, w, c, k, k, s, s, g.padTop(), g.padLeft(), g.outH(), g.outW(), false)), 1e-5);
            float[] ga = new float[c];
            Pool2d.globalAvgFloat32(h, w, c, x, 0, ga, 0);
            double[] gref = ReferenceOps.pool(toDouble(x), h, w, c, h, w, 1, 1, 0, 0, 1, 1, false);
            assertEquals(0, maxAbsDiff(ga, 0, gref), 1e-5);
        }
    }

    @Test
    void elementwiseAddConcatAndSoftmax() {
        Random r = new Random(16);
        float[] a = gaussian(r, 500, 4), b = gaussian(r, 500, 4), y = new float[500];
        Add.float32(500, a, 0, b, 0, y, 0, Activation.RELU);
        for (int i = 0; i < 500; i++) assertEquals(Math.max(0, (double) a[i] + b[i]), y[i], 1e-6);
        for (Elementwise.Function fn : Elementwise.Function.values()) {
            Elementwise.float32(fn, 500, a, 0, y, 0);
            for (int i = 0; i < 500; i++) {
                double x = a[i];
                double ref = fn == Elementwise.Function.RELU ? Math.max(0, x) : fn == Elementwise.Function.RELU6 ? Math.min(6, Math.max(0, x))
                        : fn == Elementwise.Function.SIGMOID ? 1 / (1 + Math.exp(-x)) : Math.tanh(x);
                assertEquals(ref, y[i], 3e-7, fn + " at " + x);
            }
        }
        float[] logits = gaussian(r, 40, 5), p = new float[40];
        Softmax.float32(4, 10, logits, 0, p, 0);
        for (int row = 0; row < 4; row++) {
            double[] ref = ReferenceOps.softmax(toDouble(java.util.Arrays.copyOfRange(logits, row * 10, row * 10 + 10)));
            assertEquals(0, maxAbsDiff(p, row * 10, ref), 1e-6);
        }
        float[] c1 = gaussian(r, 6 * 2, 1), c2 = gaussian(r, 6 * 3, 1), both = new float[12 + 18];
        System.arraycopy(c1, 0, both, 0, 12);
        System.arraycopy(c2, 0, both, 12, 18);
        float[] cat = new float[30];
        Concat.float32(6, new int[] {2, 3}, both, new int[] {0, 12}, cat, 0);
        for (int px = 0; px < 6; px++) {
            assertEquals(c1[px * 2 + 1], cat[px * 5 + 1]);
            assertEquals(c2[px * 3 + 2], cat[px * 5 + 4]);
        }
    }

    @Test
    void fastMathErrorsAreWithinTheirStatedBounds() {
        double expRel = 0, sigAbs = 0, tanhAbs = 0, rationalAbs = 0;
        for (double x = -30; x <= 30; x += 1e-4) {
            float f = (float) x;
            expRel = Math.max(expRel, Math.abs(FastMath.exp(f) - Math.exp(f)) / Math.exp(f));
            sigAbs = Math.max(sigAbs, Math.abs(FastMath.sigmoid(f) - 1 / (1 + Math.exp(-f))));
            tanhAbs = Math.max(tanhAbs, Math.abs(FastMath.tanh(f) - Math.tanh(f)));
            rationalAbs = Math.max(rationalAbs, Math.abs(FastMath.tanhRational(f) - Math.tanh(f)));
        }
        // sigmoid on the Vector API, over the same range and past its clamps
        int n = 600_001;
        float[] xs = new float[n + 200], ys = new float[n + 200];
        for (int i = 0; i < n; i++) xs[i] = (float) (-30 + i * 1e-4);
        for (int i = 0; i < 200; i++) xs[n + i] = (i - 100) * 1.5f;
        Elementwise.float32(Elementwise.Function.SIGMOID, xs.length, xs, 0, ys, 0, true);
        double vecAbs = 0;
        for (int i = 0; i < xs.length; i++) vecAbs = Math.max(vecAbs, Math.abs(ys[i] - 1 / (1 + Math.exp(-(double) xs[i]))));
        assertTrue(vecAbs < 3e-7, "vector sigmoid absolute error " + vecAbs);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f}, sy = new float[16 * 4];
        float[] sx = new float[16 * 4];
        for (int i = 0; i < sx.length; i++) sx[i] = special[i % 4];
        Elementwise.float32(Elementwise.Function.SIGMOID, sx.length, sx, 0, sy, 0, true);
        for (int i = 0; i < sx.length; i += 4) {
            assertTrue(Float.isNaN(sy[i]));
            assertEquals(1f, sy[i + 1]);
            assertEquals(0f, sy[i + 2], 1e-38f);
            assertEquals(0.5f, sy[i + 3]);
        }
        assertTrue(expRel < 3e-7, "exp relative error " + expRel);
        assertTrue(sigAbs < 3e-7, "sigmoid absolute error " + sigAbs);
        assertTrue(tanhAbs < 3e-7, "tanh absolute error " + tanhAbs);
        assertTrue(rationalAbs < 3e-7, "tanhRational absolute error " + rationalAbs);
        assertTrue(Float.isNaN(FastMath.tanhRational(Float.NaN)));
        assertEquals(1f, FastMath.tanhRational(Float.POSITIVE_INFINITY), 2e-7f);
        assertEquals(0f, FastMath.exp(-200f));
        assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(200f));
        assertTrue(Float.isNaN(FastMath.exp(Float.NaN)));
    }

    static float[] padded(float[] x, int front) {
        float[] p = new float[x.length + front + 3];
        System.arraycopy(x, 0, p, front, x.length);
        return p;
    }
}
