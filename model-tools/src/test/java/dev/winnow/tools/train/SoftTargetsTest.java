package dev.winnow.tools.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.tools.data.Dataset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The distillation loss: its gradient against finite differences, and its limits (alpha 0 = labels only). */
class SoftTargetsTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        Dataset d = Synthetic.clusters(10, 4, 5, 1);
        Random r = new Random(9);
        float[] teacher = new float[10 * 5];
        for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (3 * r.nextGaussian());
        for (double t : new double[] {1, 4}) {
            SoftTargets st = new SoftTargets(d, teacher, 5, t, 0.7);
            double[] y = {0.3, -1.2, 2.0, 0.1, 0.5}, delta = new double[5], tmp = new double[5];
            int row = 7;
            st.loss(y, d.label(row), d.offset(row), delta);
            for (int l = 0; l < 5; l++) {
                double[] p = y.clone(), m = y.clone();
                p[l] += 1e-6;
                m[l] -= 1e-6;
                double num = (st.loss(p, d.label(row), d.offset(row), tmp) - st.loss(m, d.label(row), d.offset(row), tmp)) / 2e-6;
                assertEquals(num, delta[l], 1e-6, "T " + t + " class " + l);
            }
        }
        SoftTargets hardOnly = new SoftTargets(d, teacher, 5, 4, 0);
        double[] y = {0.3, -1.2, 2.0, 0.1, 0.5}, a = new double[5], b = new double[5];
        assertEquals(Loss.CROSS_ENTROPY.apply(y, d.label(2), b), hardOnly.loss(y, d.label(2), d.offset(2), a), 1e-12);
        assertArrayEquals(b, a, 1e-12);
    }
}
