package dev.winnow.runtime.family;

import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.kernel.VectorGuardTesting;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.quant.QuantParams;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The int8 RNNPool layer with patches across the Vector API's lanes ({@link Int8RnnPoolLanes}) gives the patch-by-patch loops' output bit for bit: square and non-square patches,
 * strides that overlap patches, a last group that does not fill the lanes, weights up to the ones that
 * saturate the gates, and inputs at the ends of the int8 range, where the split 32-bit sums are closest
 * to overflowing.
 */
class Int8RnnPoolLanesTest {

    @Test
    void everyPathGivesThePatchLoopsBits() {
        assertTrue(VectorSupport.modulepresent(), "the tests run with the Vector API module");
        Random r = new Random(31);
        int compared = 0;
        for (int trial = 0; trial < 12; trial++) {
            int channels = new int[] {16, 3, 8}[trial % 3], h1 = new int[] {8, 5, 16}[(trial / 3) % 3], h2 = new int[] {8, 4}[trial % 2];
            int rows = new int[] {4, 4, 3, 6}[trial % 4], cols = new int[] {4, 2, 5, 6}[(trial + 1) % 4], stride = new int[] {4, 2, 3}[trial % 3];
            double std = new double[] {0.3, 1.5, 6}[(trial / 4) % 3];
            RnnPool pool = new RnnPool(cell(r, channels, h1, std), cell(r, h1, h2, std), rows, cols);
            int inH = 17 + trial, inW = 23 + 2 * trial;
            boolean pad = trial % 2 == 0;
            RnnPoolLayer f = new RnnPoolLayer(pool, inH, inW, stride, pad);
            QuantParams in = QuantParams.forRange(-1 - trial * 0.5, 1 + trial * 0.25), out = QuantParams.forRange(-2, 2);
            Int8RnnPoolLayer q = new Int8RnnPoolLayer(f, inH, inW, stride, pad, in, out);
            byte[] x = new byte[inH * inW * channels];
            r.nextBytes(x);
            if (trial % 3 == 2) for (int i = 0; i < x.length; i++) x[i] = (byte) (i % 7 < 4 ? 127 : -128);
            byte[] reference = run(q, Int8RnnPoolLayer.Path.PATCHES, x);
            String shape = "trial " + trial + ": " + rows + "x" + cols + " patches of " + channels + " channels, stride " + stride + ", hidden " + h1 + "/" + h2;
            assertArrayEquals(reference, run(q, Int8RnnPoolLayer.Path.LANES, x), shape);
            compared++;
        }
        assertEquals(12, compared);
    }

    @Test
    void theTableOfPairsGivesTheInterpolatedSigmoidOfEveryQ11Value() {
        int[] pairs = Q15FastGrnnCell.sigmoidPairs();
        int sat = 8 << Q15FastGrnnCell.PRE_FRAC;
        for (int p = -sat; p <= sat; p++) {
            int j = p + sat, t = pairs[j >> 7];
            assertEquals(Q15FastGrnnCell.interpolated(p), (t & 0xFFFF) + (((t >> 16) * (j & 127) + 64) >> 7), "σ at " + p + " (Q11)");
        }
    }

    @Test
    void theDetectorShapeChoosesTheLanesAndSaysSo() throws Exception {
        RnnPool pool = RnnPoolKnownAnswerTest.vww();
        Int8RnnPoolLayer q = new Int8RnnPoolLayer(new RnnPoolLayer(pool, 22, 26, 4, true), 22, 26, 4, true,
                QuantParams.forRange(-1, 1), QuantParams.forRange(-1.5, 1.5));
        String expected = VectorSupport.guardedVectorCells() ? "int8-rnnpool-lanes" : "int8-rnnpool-patches";
        assertTrue(q.kernel().startsWith(expected + " (by shape, self-checked)"), q.kernel());
    }

    @Test
    void cellsTheLanesCannotHoldStayOnThePatchLoops() {
        Random r = new Random(3);
        FastGrnnCell.Weights w = cell(r, 8, 8, 0.5).weights();
        assertNotNull(new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.SMOOTH).laneCell());
        assertNull(new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.PIECEWISE).laneCell(), "piecewise gates");
        FastGrnnCell lowRank = new FastGrnnCell(8, 8, null, gaussian(r, 16, 0.5), gaussian(r, 16, 0.5), gaussian(r, 64, 0.5), null, null,
                gaussian(r, 8, 0.5), gaussian(r, 8, 0.5), 1f, 0f);
        assertNull(new Q15FastGrnnCell(lowRank.weights(), 12, Q15FastGrnnCell.Gates.SMOOTH).laneCell(), "a low-rank W");
    }

    @Test
    void aTrippedVectorGuardSendsTheLayerToItsPatchLoopsWithTheSameBits() throws Exception {
        assumeTrue(VectorGuard.armed() && VectorSupport.guardedVectorCells(), "the lanes are not guarded vectors in this JVM");
        int h = 22, w = 26;
        Int8RnnPoolLayer q = new Int8RnnPoolLayer(new RnnPoolLayer(RnnPoolKnownAnswerTest.vww(), h, w, 4, true), h, w, 4, true,
                QuantParams.forRange(-1, 1), QuantParams.forRange(-1.5, 1.5));
        byte[] x = new byte[h * w * 8];
        new Random(5).nextBytes(x);
        byte[] vectors = new byte[q.outH() * q.outW() * q.outC()], patches = new byte[vectors.length];
        try {
            assertTrue(VectorGuard.allows(true));
            q.run(x, 0, vectors, 0, new short[q.scratchShorts()], 0, new int[q.scratchInts()], 0);
            assertTrue(VectorGuard.observe(1 << 20, "a test graph"));
            assertFalse(VectorGuard.allows(true));
            q.run(x, 0, patches, 0, new short[q.scratchShorts()], 0, new int[q.scratchInts()], 0);
        } finally {
            VectorGuardTesting.reset();
        }
        assertArrayEquals(vectors, patches);
    }

    private static FastGrnnCell cell(Random r, int input, int hidden, double std) {
        return new FastGrnnCell(input, hidden, gaussian(r, input * hidden, std), null, null, gaussian(r, hidden * hidden, std), null, null,
                gaussian(r, hidden, std), gaussian(r, hidden, std), (float) (r.nextGaussian() * 0.8), (float) (r.nextGaussian() * 0.5));
    }

    private static byte[] run(Int8RnnPoolLayer q, Int8RnnPoolLayer.Path path, byte[] x) {
        byte[] y = new byte[q.outH() * q.outW() * q.outC()];
        // scratch starts past junk, as in an arena
        short[] s = new short[q.scratchShorts() + 3];
        int[] is = new int[q.scratchInts() + 7];
        java.util.Arrays.fill(is, 0x5a5a5a5a);
        q.run(path, x, 0, y, 0, s, 3, is, 7);
        return y;
    }
}
