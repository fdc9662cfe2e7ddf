package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RNNPool with its rows and columns across the vector lanes gives the one-sequence-at-a-time path's
 * outputs bit for bit: square patches of several sizes, channel counts and hidden sizes (ones that fill
 * no vector included), saturated gates and a NaN.
 */
class RnnPoolLanesTest {
    private static float[] gaussian(Random r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * std);
        return v;
    }

    private static FastGrnnCell cell(long seed, int input, int hidden, double std, boolean vectors) {
        Random w = new Random(seed);
        return new FastGrnnCell(input, hidden, gaussian(w, hidden * input, std), null, null, gaussian(w, hidden * hidden, std), null, null,
                gaussian(w, hidden, std), gaussian(w, hidden, std), w.nextFloat(), w.nextFloat() * 0.1f, vectors, vectors);
    }

    @Test
    void rowsAndColumnsAcrossTheLanesGiveTheSameBits() {
        assumeTrue(FastGrnnCell.lanes() >= 4, "tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(41);
        int checked = 0;
        for (int trial = 0; trial < 24; trial++) {
            int patch = new int[] {2, 4, 6, 8}[trial % 4], c = new int[] {1, 3, 8}[trial % 3], h1 = new int[] {8, 4, 16, 5}[trial % 4];
            int h2 = trial % 2 == 0 ? h1 : 8;
            double std = new double[] {0.3, 1, 6}[trial % 3]; // 6: gates saturate
            long s1 = r.nextLong(), s2 = r.nextLong();
            RnnPool plain = new RnnPool(cell(s1, c, h1, std, false), cell(s2, h1, h2, std, false), patch, patch);
            RnnPool lanes = new RnnPool(cell(s1, c, h1, std, true), cell(s2, h1, h2, std, true), patch, patch);
            assertTrue(lanes.rnn1().vectorLanes() && lanes.rnn2().vectorLanes());
            int w = patch + 3, rowStride = w * c;
            float[] in = gaussian(r, (patch + 2) * rowStride, 2);
            if (trial % 5 == 0) in[rowStride + c] = Float.NaN; // NaN goes through both paths the same way
            float[] a = new float[4 * h2 + 3], b = new float[4 * h2 + 3];
            float[] sa = new float[plain.scratchSize() + 2], sb = new float[lanes.scratchSize() + 2];
            java.util.Arrays.fill(sb, 7f); // stale scratch must not leak into the result
            plain.pool(in, rowStride + 2 * c, rowStride, a, 3, sa, 2);
            lanes.pool(in, rowStride + 2 * c, rowStride, b, 3, sb, 2);
            assertArrayEquals(a, b, "trial " + trial + ": patch " + patch + ", channels " + c + ", h1 " + h1 + ", h2 " + h2);
            checked++;
        }
        assertTrue(checked == 24);
    }

    @Test
    void twoPatchesAtOnceAndALayerOfThemGiveTheSameBits() {
        assumeTrue(FastGrnnCell.lanes() >= 4, "tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(43);
        for (int trial = 0; trial < 8; trial++) {
            int patch = new int[] {4, 3, 6, 2}[trial % 4], c = new int[] {16, 3}[trial % 2], h1 = 8, h2 = trial % 3 == 0 ? 4 : 8;
            long s1 = r.nextLong(), s2 = r.nextLong();
            RnnPool plain = new RnnPool(cell(s1, c, h1, 1, false), cell(s2, h1, h2, 1, false), patch, patch);
            RnnPool lanes = new RnnPool(cell(s1, c, h1, 1, true), cell(s2, h1, h2, 1, true), patch, patch);
            int h = patch * 3 + 1, w = patch * 4 + trial % 3; // a grid of odd and even widths: the last patch of a row alone
            float[] in = gaussian(r, h * w * c, 2);
            RnnPoolLayer a = new RnnPoolLayer(plain, h, w, patch / 2 + 1, trial % 2 == 0), b = new RnnPoolLayer(lanes, h, w, patch / 2 + 1, trial % 2 == 0);
            float[] outA = new float[a.outH() * a.outW() * a.outC()], outB = new float[outA.length];
            float[] sb = new float[b.scratchSize()];
            java.util.Arrays.fill(sb, -3f);
            a.run(in, 0, outA, 0, new float[a.scratchSize()], 0);
            b.run(in, 0, outB, 0, sb, 0);
            assertArrayEquals(outA, outB, "trial " + trial + ": patch " + patch + ", channels " + c + ", h2 " + h2 + ", map " + h + "x" + w);
            // two patches that overlap, in either order
            float[] one = new float[8 * h2], two = new float[8 * h2];
            plain.pool(in, c, w * c, one, 0, new float[plain.scratchSize()], 0);
            plain.pool(in, (w + 1) * c, w * c, one, 4 * h2, new float[plain.scratchSize()], 0);
            lanes.poolTwo(in, c, (w + 1) * c, w * c, two, 0, 4 * h2, sb, 0);
            assertArrayEquals(one, two, "trial " + trial + ": two patches");
        }
    }
}
