package dev.winnow.runtime.family;

import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.winnow.runtime.kernel.base.FastMath;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cell's plain step (blocks of 8 hidden units summed in locals) gives, bit for bit, the states of
 * the textbook order written out below: per unit, W's products then U's added one by one onto 0, then
 * the gates. Hidden sizes that are not a multiple of 8 take the per-unit tail; full and low rank, and
 * W full with U low rank (the fused pass and the per-matrix passes). Pre-activations past ±88 and a
 * NaN reading included.
 */
class FastGrnnCellPlainStepTest {
    /** M v for M [rows][cols] given low rank (m2 [rows][rank] · m1 [rank][cols]) or full (m2 null), in the order the cell's Javadoc fixes. */
    private static void addProduct(float[] m1, float[] m2, int rank, int rows, int cols, float[] v, int vOff, float[] pre) {
        if (m2 == null) {
            for (int c = 0; c < cols; c++) for (int r = 0; r < rows; r++) pre[r] += m1[r * cols + c] * v[vOff + c];
            return;
        }
        float[] t = new float[rank];
        for (int k = 0; k < rank; k++) for (int c = 0; c < cols; c++) t[k] += m1[k * cols + c] * v[vOff + c];
        for (int k = 0; k < rank; k++) for (int r = 0; r < rows; r++) pre[r] += m2[r * rank + k] * t[k];
    }

    private static void referenceStep(FastGrnnCell.Weights w, float[] x, int xOff, float[] h) {
        int hidden = w.hidden();
        float[] pre = new float[hidden];
        addProduct(w.w1(), w.w2(), w.wRank(), hidden, w.input(), x, xOff, pre);
        // U's products are added onto W's sums, not summed apart: the same chain per unit
        float[] hOld = h.clone();
        if (w.u2() == null) {
            for (int c = 0; c < hidden; c++) for (int r = 0; r < hidden; r++) pre[r] += w.u1()[r * hidden + c] * hOld[c];
        } else {
            float[] t = new float[w.uRank()];
            for (int k = 0; k < w.uRank(); k++) for (int c = 0; c < hidden; c++) t[k] += w.u1()[k * hidden + c] * hOld[c];
            for (int k = 0; k < w.uRank(); k++) for (int r = 0; r < hidden; r++) pre[r] += w.u2()[r * w.uRank() + k] * t[k];
        }
        for (int i = 0; i < hidden; i++) {
            // the cell's gates: σ(x) as ½ + ½·tanh(x/2), tanh by the rational form (FloatKernelsTest bounds both)
            float z = 0.5f + 0.5f * FastMath.tanhRational(0.5f * (pre[i] + w.bg()[i]));
            float c = FastMath.tanhRational(pre[i] + w.bh()[i]);
            h[i] = z * hOld[i] + (w.zeta() * (1f - z) + w.nu()) * c;
        }
    }

    @Test
    void plainStepsMatchTheColumnOrderReference() {
        Random r = new Random(41);
        int trials = 0;
        for (int hidden : new int[] {1, 3, 8, 12, 16, 19, 33}) {
            for (int shape = 0; shape < 3; shape++) { // 0: both full rank, 1: both low rank, 2: W full, U low rank
                int input = 1 + r.nextInt(6), rank = 1 + r.nextInt(5);
                double std = new double[] {0.3, 2, 40}[trials % 3]; // 40: saturated gates and exp past its polynomial
                float[] bg = gaussian(r, hidden, std), bh = gaussian(r, hidden, std);
                float zeta = r.nextFloat(), nu = r.nextFloat() * 0.1f;
                FastGrnnCell cell = shape == 0
                        ? new FastGrnnCell(input, hidden, gaussian(r, hidden * input, std), null, null, gaussian(r, hidden * hidden, std), null, null, bg, bh, zeta, nu, false, false)
                        : shape == 1
                        ? new FastGrnnCell(input, hidden, null, gaussian(r, rank * input, std), gaussian(r, hidden * rank, std), null,
                                gaussian(r, rank * hidden, std), gaussian(r, hidden * rank, std), bg, bh, zeta, nu, false, false)
                        : new FastGrnnCell(input, hidden, gaussian(r, hidden * input, std), null, null, null,
                                gaussian(r, rank * hidden, std), gaussian(r, hidden * rank, std), bg, bh, zeta, nu, false, false);
                FastGrnnCell.Weights w = cell.weights();
                float[] x = gaussian(r, 12 * input, 2);
                if (trials % 5 == 0) x[input] = Float.NaN; // step 1 on: NaN spreads the same way on both
                float[] h = new float[hidden + 2], ref = new float[hidden];
                float[] s = new float[cell.scratchSize() + 3];
                for (int t = 0; t < 12; t++) {
                    cell.step(x, t * input, h, 2, s, 3);
                    referenceStep(w, x, t * input, ref);
                    assertArrayEquals(ref, java.util.Arrays.copyOfRange(h, 2, hidden + 2),
                            "hidden " + hidden + ", shape " + shape + ", input " + input + ", rank " + rank + ", std " + std + ", step " + t);
                }
                trials++;
            }
        }
    }
}
