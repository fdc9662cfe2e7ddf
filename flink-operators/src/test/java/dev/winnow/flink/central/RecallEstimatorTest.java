package dev.winnow.flink.central;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The recall estimate and its interval against hand computations. */
class RecallEstimatorTest {
    @Test
    void wilsonIntervalMatchesTheHandComputation() {
        // x = 2 of n = 100, z = 1.96: z²/n = 0.038415, denominator 1.038415,
        // centre (0.02 + 0.019207) / 1.038415 = 0.037757,
        // half 1.96 / 1.038415 · √(0.02·0.98/100 + 3.841459/40000) = 1.887459 · 0.017089 = 0.032255
        // → [0.005502, 0.070012] (the textbook Wilson interval for 2/100: 0.55 % to 7.0 %)
        double[] w = RecallEstimator.wilson(2, 100, RecallEstimator.Z95);
        assertEquals(0.005502, w[0], 1e-6);
        assertEquals(0.070012, w[1], 1e-6);
        // no success: the lower end is exactly 0, the upper z²/(n + z²) = 3.841459 / 53.841459 = 0.071348
        double[] zero = RecallEstimator.wilson(0, 50, RecallEstimator.Z95);
        assertArrayEquals(new double[] {0, 0.071348}, zero, 1e-6);
    }

    @Test
    void recallAndItsIntervalFromTheSamples() {
        // kept K = 900, dropped D = 10000, 2 misses in 100 samples:
        // R = 900 / (900 + 10000·0.02) = 900 / 1100 = 0.818182
        // lower = 900 / (900 + 10000·0.070012) = 900 / 1600.12 = 0.562459
        // upper = 900 / (900 + 10000·0.005502) = 900 / 955.02 = 0.942389
        double[] r = RecallEstimator.estimate(900, 10_000, 100, 2);
        assertEquals(0.818182, r[0], 1e-6);
        assertEquals(0.562459, r[1], 1e-6);
        assertEquals(0.942389, r[2], 1e-6);
        // no miss in 50 samples: R = 1, and the interval still reaches down to 400 / (400 + 5000·0.071348) = 0.528585
        double[] none = RecallEstimator.estimate(400, 5_000, 50, 0);
        assertArrayEquals(new double[] {1, 0.528585, 1}, none, 1e-6);
    }

    @Test
    void edgeCases() {
        double[] n = RecallEstimator.estimate(10, 100, 0, 0);
        assertTrue(Double.isNaN(n[0]) && Double.isNaN(n[1]) && Double.isNaN(n[2]), "no sample, no estimate");
        assertEquals(1.0, RecallEstimator.recall(0, 100, 0.0), "nothing kept and nothing missed: no person frame to miss");
        assertEquals(0.0, RecallEstimator.recall(0, 100, 0.5), "nothing kept, person frames dropped");
        // the dropped total cannot be under the samples drawn from it
        assertArrayEquals(RecallEstimator.estimate(10, 20, 20, 5), RecallEstimator.estimate(10, 3, 20, 5));
        assertThrows(IllegalArgumentException.class, () -> RecallEstimator.wilson(3, 2, RecallEstimator.Z95));
    }
}
