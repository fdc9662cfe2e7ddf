package dev.winnow.runtime.family;

import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The float FastGRNN cell's Vector API step gives the plain loops' states bit for bit, full and low rank, saturated gates included. */
class FloatCellVectorPathTest {
    private static FastGrnnCell cell(Random r, int input, int hidden, int rank, double std, long seed, boolean products, boolean gates) {
        Random w = new Random(seed);
        float zeta = w.nextFloat(), nu = w.nextFloat() * 0.1f;
        if (rank == 0) {
            return new FastGrnnCell(input, hidden, gaussian(w, hidden * input, std), null, null, gaussian(w, hidden * hidden, std), null, null,
                    gaussian(w, hidden, std), gaussian(w, hidden, std), zeta, nu, products, gates);
        }
        return new FastGrnnCell(input, hidden, null, gaussian(w, rank * input, std), gaussian(w, hidden * rank, std), null,
                gaussian(w, rank * hidden, std), gaussian(w, hidden * rank, std), gaussian(w, hidden, std), gaussian(w, hidden, std), zeta, nu, products, gates);
    }

    @Test
    void vectorStepsMatchPlainSteps() {
        Assumptions.assumeTrue(VectorSupport.modulepresent(), "tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(33);
        int checked = 0, gated = 0;
        for (int trial = 0; trial < 40; trial++) {
            int input = new int[] {1, 4, 8, 16, 36}[trial % 5], hidden = new int[] {8, 16, 32, 12}[trial % 4], rank = trial % 3 == 0 ? 5 : 0;
            double std = new double[] {0.1, 1, 8, 60}[trial % 4]; // 60: pre-activations past exp's polynomial range (the scalar fix-up)
            long seed = r.nextLong();
            FastGrnnCell plain = cell(r, input, hidden, rank, std, seed, false, false);
            FastGrnnCell vector = cell(r, input, hidden, rank, std, seed, true, trial % 2 == 0);
            if (!vector.vectorProducts()) continue;
            checked++;
            if (vector.vectorGates()) gated++;
            float[] x = gaussian(r, 10 * input, 2);
            if (trial % 7 == 0) x[3 % x.length] = Float.NaN; // NaN propagates the same way on both paths
            float[] ha = new float[hidden + 2], hb = new float[hidden + 2];
            float[] sa = new float[plain.scratchSize() + 3], sb = new float[vector.scratchSize() + 3];
            for (int t = 0; t < 10; t++) {
                plain.step(x, t * input, ha, 2, sa, 3);
                vector.step(x, t * input, hb, 2, sb, 3);
                assertArrayEquals(ha, hb, "trial " + trial + " (input " + input + ", hidden " + hidden + ", rank " + rank + ", std " + std + ") step " + t);
            }
        }
        assertTrue(checked > 10 && gated > 5, "vector paths taken: " + checked + " products, " + gated + " gates");
    }
}
