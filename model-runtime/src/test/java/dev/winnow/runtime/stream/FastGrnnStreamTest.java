package dev.winnow.runtime.stream;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.testing.RandomFastGrnn;
import dev.winnow.runtime.testing.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming FastGRNN: one reading at a time it gives the graph node's bits, it stays within a
 * derived error bound of an independent double-precision loop of the paper's equations, it does not
 * allocate per reading, and it refuses artifacts it cannot run one reading at a time.
 */
class FastGrnnStreamTest {
    static final double EPS = Math.ulp(1f) / 2; // unit roundoff of float

    static float[] readings(long seed, int n, int channels) {
        Random r = new Random(seed);
        float[] x = new float[n * channels];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3 + 1);
        return x;
    }

    @Test
    void readingByReadingEndsInTheGraphNodesBits() throws Exception {
        for (int[] ranks : new int[][] {{0, 0}, {2, 3}}) {
            // the stream steps the graph node's own cell, on whichever path this JVM takes: the bits must agree
            RandomFastGrnn m = new RandomFastGrnn(7, 3, 16, 4, 20, ranks[0], ranks[1]);
            Model model = Model.load(m.artifact("s"));
            FastGrnnStream s = FastGrnnStream.of(model);
            assertEquals(3, s.channels());
            assertEquals(4, s.classes());
            Interpreter it = model.newInterpreter();
            float[] x = readings(11, m.steps, 3), viaGraph = new float[4], viaStream = new float[4];
            float[] h = new float[s.hidden()], scratch = new float[s.scratchSize()];
            it.predict(x, viaGraph);
            for (int t = 0; t < m.steps; t++) s.step(x, t * 3, h, 0, scratch, 0);
            s.scores(h, 0, viaStream, 0);
            for (int c = 0; c < 4; c++) {
                assertEquals(Float.floatToIntBits(viaGraph[c]), Float.floatToIntBits(viaStream[c]),
                        "ranks " + ranks[0] + "/" + ranks[1] + " class " + c + ": " + viaGraph[c] + " vs " + viaStream[c]);
            }
        }
    }

    /**
     * Against eq. 6 of the paper evaluated in double with Math.exp / Math.tanh, over 200 readings.
     * Per step, a double step from the float state the stream holds must stay within a derived bound:
     * a float sum of n products errs by at most γ_n = nε/(1−nε) times the same sum of absolute values;
     * the normalised reading carries three roundings; sigmoid and tanh add FastMath's 3e-7 (asserted
     * in FloatKernelsTest) after their Lipschitz constants 1/4 and 1; the update rounds at most six
     * times. A free-running double loop from the same zero state must then stay within the sum of those
     * per-step bounds: the cell does not amplify its rounding errors over the sequence.
     */
    @Test
    void staysWithinTheDerivedBoundOfADoublePrecisionLoop() throws Exception {
        for (int[] ranks : new int[][] {{0, 0}, {2, 3}}) {
            RandomFastGrnn m = new RandomFastGrnn(3, 4, 16, 3, 8, ranks[0], ranks[1]);
            FastGrnnStream s = FastGrnnStream.of(Model.load(m.artifact("s")));
            int d = m.channels, hd = m.hidden, steps = 200;
            float[] x = readings(5, steps, d), h = new float[hd], scratch = new float[s.scratchSize()], scores = new float[m.classes];
            double[][] wEff = effective(m.w, m.w1, m.w2, hd, d, m.wRank), uEff = effective(m.u, m.u1, m.u2, hd, hd, m.uRank);
            double[][] wAbs = effectiveAbs(m.w, m.w1, m.w2, hd, d, m.wRank), uAbs = effectiveAbs(m.u, m.u1, m.u2, hd, hd, m.uRank);
            double zeta = (float) RandomFastGrnn.sigmoid(m.zetaRaw), nu = (float) RandomFastGrnn.sigmoid(m.nuRaw);
            double[] free = new double[hd], local = new double[hd], bound = new double[hd], xn = new double[d], ex = new double[d];
            int n = d + hd + 2 * Math.max(m.wRank, m.uRank) + 4;
            double gamma = n * EPS / (1 - n * EPS), act = 3e-7;
            double sumOfBounds = 0, worstLocal = 0, worstFree = 0;
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < d; c++) {
                    xn[c] = (x[t * d + c] - (double) m.mean[c]) / m.std[c];
                    ex[c] = 4 * EPS * Math.abs(xn[c]); // subtract, 1/std, multiply: three roundings
                }
                double[] h0 = Tensors.toDouble(h);
                step(free, xn, wEff, uEff, m, zeta, nu, null, null, 0, null, null, null);
                step(local, xn, wEff, uEff, m, zeta, nu, h0, wAbs, gamma, uAbs, ex, bound);
                s.step(x, t * d, h, 0, scratch, 0);
                double stepBound = 0;
                for (int i = 0; i < hd; i++) {
                    double diff = Math.abs(h[i] - local[i]);
                    assertTrue(diff <= bound[i], "step " + t + " unit " + i + ": |" + h[i] + " - " + local[i] + "| = " + diff + " > bound " + bound[i]);
                    worstLocal = Math.max(worstLocal, diff);
                    stepBound = Math.max(stepBound, bound[i]);
                }
                sumOfBounds += stepBound;
                for (int i = 0; i < hd; i++) {
                    double diff = Math.abs(h[i] - free[i]);
                    assertTrue(diff <= sumOfBounds, "step " + t + " unit " + i + ": free-running |" + h[i] + " - " + free[i] + "| = " + diff
                            + " > the per-step bounds so far, " + sumOfBounds);
                    worstFree = Math.max(worstFree, diff);
                }
            }
            s.scores(h, 0, scores, 0);
            for (int c = 0; c < m.classes; c++) {
                double acc = m.fcBias[c], mag = Math.abs(m.fcBias[c]), carried = 0;
                for (int j = 0; j < hd; j++) {
                    acc += (double) m.fc[c * hd + j] * free[j];
                    mag += Math.abs(m.fc[c * hd + j]) * (Math.abs(free[j]) + sumOfBounds);
                    carried += Math.abs(m.fc[c * hd + j]) * sumOfBounds;
                }
                double b = (hd + 1) * EPS / (1 - (hd + 1) * EPS) * mag + carried;
                assertTrue(Math.abs(scores[c] - acc) <= b, "score " + c + ": " + scores[c] + " vs " + acc + " bound " + b);
            }
            // the state's units are O(1); a wrong gate or a swapped weight moves them by O(0.1)
            assertTrue(sumOfBounds < 1e-2, "the summed bound stays small (" + sumOfBounds + "), so the comparison means something");
            assertTrue(worstLocal > 0 && worstFree > 0, "float and double differ, so the bounds were exercised");
            System.out.printf("ranks %d/%d: worst per-step %.3g, worst free-running %.3g, per-step bound sum %.3g%n",
                    ranks[0], ranks[1], worstLocal, worstFree, sumOfBounds);
        }
    }

    /**
     * One step of eq. 6 in double on the state {@code h} (in place), or from {@code from} when given;
     * then {@code bound} gets each unit's derived bound on the float step's error from that state.
     */
    static void step(double[] h, double[] xn, double[][] w, double[][] u, RandomFastGrnn m, double zeta, double nu,
                     double[] from, double[][] wAbs, double gamma, double[][] uAbs, double[] ex, double[] bound) {
        int hd = h.length, d = xn.length;
        double[] prev = from != null ? from : h.clone();
        for (int i = 0; i < hd; i++) {
            double pre = 0, mag = 0, carried = 0;
            for (int c = 0; c < d; c++) {
                pre += w[i][c] * xn[c];
                if (bound != null) {
                    mag += wAbs[i][c] * (Math.abs(xn[c]) + ex[c]);
                    carried += wAbs[i][c] * ex[c];
                }
            }
            for (int j = 0; j < hd; j++) {
                pre += u[i][j] * prev[j];
                if (bound != null) mag += uAbs[i][j] * Math.abs(prev[j]);
            }
            double z = 1 / (1 + Math.exp(-(pre + m.bg[i]))), c = Math.tanh(pre + m.bh[i]);
            h[i] = z * prev[i] + (zeta * (1 - z) + nu) * c;
            if (bound == null) continue;
            double ePre = gamma * mag + carried, act = 3e-7;
            double ez = (ePre + EPS * Math.abs(pre + m.bg[i])) / 4 + act;
            double ec = ePre + EPS * Math.abs(pre + m.bh[i]) + act;
            double g = zeta * (1 - z) + nu;
            bound[i] = Math.abs(prev[i]) * ez + zeta * ez * (Math.abs(c) + ec) + g * ec
                    + 6 * EPS * (Math.abs(z * prev[i]) + g * Math.abs(c) + ez * (Math.abs(prev[i]) + 1));
        }
    }

    /** The matrix as double [out][in]: W, or W2·W1 for low rank. */
    static double[][] effective(float[] full, float[] m1, float[] m2, int out, int in, int rank) {
        double[][] e = new double[out][in];
        for (int i = 0; i < out; i++) {
            for (int c = 0; c < in; c++) {
                if (full != null) e[i][c] = full[i * in + c];
                else for (int k = 0; k < rank; k++) e[i][c] += (double) m2[i * rank + k] * m1[k * in + c];
            }
        }
        return e;
    }

    /** |W|, or |W2|·|W1| for low rank: the magnitudes a float evaluation of W2(W1 v) rounds. */
    static double[][] effectiveAbs(float[] full, float[] m1, float[] m2, int out, int in, int rank) {
        double[][] e = new double[out][in];
        for (int i = 0; i < out; i++) {
            for (int c = 0; c < in; c++) {
                if (full != null) e[i][c] = Math.abs(full[i * in + c]);
                else for (int k = 0; k < rank; k++) e[i][c] += Math.abs(m2[i * rank + k]) * Math.abs(m1[k * in + c]);
            }
        }
        return e;
    }

    @Test
    void aStepperAndScoresAllocateNothing() throws Exception {
        RandomFastGrnn m = new RandomFastGrnn(9, 6, 16, 5, 10, 0, 0);
        FastGrnnStream s = FastGrnnStream.of(Model.load(m.artifact("s")));
        FastGrnnStepper stepper = s.stepper();
        float[] x = readings(1, 64, 6), h = new float[16], out = new float[5];
        int[] t = {0};
        Runnable reading = () -> {
            stepper.step(x, (t[0]++ & 63) * 6, h, 0);
            s.scores(h, 0, out, 0);
        };
        long bytes = Tensors.allocationUnderGuard(() -> Tensors.allocationAfterWarmUp(reading, 200), 200,
                FastGrnnStepper.STEP_LIMIT_BYTES, "the FastGRNN steps of this test");
        assertEquals(0, bytes, "bytes allocated over 200 readings after warm-up");
    }

    @Test
    void refusesWhatCannotRunOneReadingAtATime() throws Exception {
        RandomFastGrnn m = new RandomFastGrnn(1, 2, 4, 2, 3, 0, 0);
        float[] mean = m.tile(m.mean);
        mean[2 * 2 + 1] += 0.5f; // step 2, channel 1 has its own mean
        ModelFormatException perStep = assertThrows(ModelFormatException.class,
                () -> FastGrnnStream.of(Model.load(m.artifact("s", mean, m.tile(m.std)))));
        assertTrue(perStep.getMessage().contains("mean differs between step 0 and step 2 (channel 1)"), perStep.getMessage());

        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {4}).tensor("y", new int[] {4}).input("x").output("y")
                .node("relu", "r", List.of("x"), List.of("y"), Map.of(), Map.of());
        Model notGrnn = Model.load(g.toBytes(Metadata.builder("relu", "cnn").input("x", new int[] {4}, "float32", "vector", null)));
        ModelFormatException other = assertThrows(ModelFormatException.class, () -> FastGrnnStream.of(notGrnn));
        assertTrue(other.getMessage().contains("no fastgrnn node"), other.getMessage());
    }
}
