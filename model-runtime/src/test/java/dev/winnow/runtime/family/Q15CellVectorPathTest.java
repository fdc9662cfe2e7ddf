package dev.winnow.runtime.family;

import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Vector API step of the Q15 cell gives the scalar step's states bit for bit, saturation included. */
class Q15CellVectorPathTest {
    @Test
    void vectorStepsMatchScalarSteps() {
        Assumptions.assumeTrue(VectorSupport.modulepresent(), "tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(21);
        FastGrnnCell.Weights probe = new FastGrnnCell.Weights(4, 32, 0, 0, new float[128], null, new float[1024], null, new float[32], new float[32], 1f, 0f);
        Assumptions.assumeTrue(new Q15FastGrnnCell(probe, 12, Q15FastGrnnCell.Gates.SMOOTH, true).vectorProducts(),
                "this JVM's vectors are too narrow for the cell's vector path (it stays on plain loops)");
        int checked = 0, gated = 0;
        for (int trial = 0; trial < 24; trial++) {
            int input = new int[] {1, 3, 8, 16, 32}[trial % 5], hidden = new int[] {8, 16, 32}[trial % 3];
            double std = new double[] {0.05, 0.5, 3, 12}[trial % 4]; // up to weights that drive the gates into saturation
            FastGrnnCell.Weights w = new FastGrnnCell.Weights(input, hidden, 0, 0, gaussian(r, hidden * input, std), null,
                    gaussian(r, hidden * hidden, std), null, gaussian(r, hidden, std), gaussian(r, hidden, std), (float) r.nextGaussian(), (float) r.nextGaussian());
            Q15FastGrnnCell scalar = new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.SMOOTH, false);
            // both halves on vectors, or only the products (JDK 17's default)
            Q15FastGrnnCell vector = new Q15FastGrnnCell(w, 12, Q15FastGrnnCell.Gates.SMOOTH, true, trial % 2 == 0);
            if (!vector.vectorProducts()) continue; // this JVM's vectors do not divide the hidden size
            checked++;
            if (vector.vectorGates()) gated++;
            short[] x = new short[12 * input];
            for (int i = 0; i < x.length; i++) x[i] = (short) (r.nextInt(65536) - 32768);
            short[] ha = new short[hidden + 3], hb = new short[hidden + 3];
            int[] sa = new int[scalar.scratchSize() + 5], sb = new int[vector.scratchSize() + 5], wx = new int[hidden + 2];
            for (int t = 0; t < 12; t++) {
                if (t % 2 == 0) {
                    scalar.step(x, t * input, ha, 3, sa, 5);
                    vector.step(x, t * input, hb, 3, sb, 5);
                } else { // the projected form RNNPool uses
                    scalar.projectInput(x, t * input, wx, 2, sa, 5);
                    scalar.stepProjected(wx, 2, ha, 3, sa, 5);
                    int[] wy = new int[hidden + 2];
                    vector.projectInput(x, t * input, wy, 2, sb, 5);
                    assertArrayEquals(wx, wy, "input projection, trial " + trial + " step " + t);
                    vector.stepProjected(wy, 2, hb, 3, sb, 5);
                }
                assertArrayEquals(ha, hb, "state, trial " + trial + " step " + t);
            }
        }
        assertTrue(checked > 0, "some cells took the vector path");
        assertTrue(gated > 0, "some cells ran their gates on vectors too");
    }
}
