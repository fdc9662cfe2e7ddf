package dev.winnow.tools.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeightAverageTest {
    /** The average follows the recurrence with its warm-up, computed here in double precision. */
    @Test
    void followsTheWarmedUpRecurrence() {
        Param p = new Param("w", new int[] {3}, 1);
        p.w[0] = 1f;
        p.w[1] = -2f;
        p.w[2] = 0.5f;
        WeightAverage avg = new WeightAverage(List.of(p), 0.9f);
        double[] ref = {1, -2, 0.5};
        for (int step = 0; step < 200; step++) {
            for (int k = 0; k < 3; k++) p.w[k] = (float) Math.sin(0.1 * step + k);
            avg.update();
            double d = Math.min(0.9, (1.0 + step) / (10.0 + step));
            for (int k = 0; k < 3; k++) ref[k] = d * ref[k] + (1 - d) * p.w[k];
        }
        for (int k = 0; k < 3; k++) assertEquals(ref[k], avg.average(0)[k], 1e-5);
        avg.copyInto();
        assertArrayEquals(avg.average(0), p.w);
    }

    /** Weights that stop moving are where the average ends up; a decay outside (0, 1) is refused. */
    @Test
    void settlesOnWeightsThatStopMoving() {
        Param p = new Param("w", new int[] {2}, 1);
        WeightAverage avg = new WeightAverage(List.of(p), 0.99f);
        p.w[0] = 3f;
        p.w[1] = -1f;
        for (int step = 0; step < 3000; step++) avg.update();
        assertEquals(3f, avg.average(0)[0], 1e-4f);
        assertEquals(-1f, avg.average(0)[1], 1e-4f);
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(p), 1f));
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(p), 0f));
    }
}
