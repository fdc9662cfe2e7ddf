package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GruCellTest {

    @Test
    void matchesADoublePrecisionGruForwardsAndBackwards() {
        Random r = new Random(71);
        int in = 16, hid = 32, steps = 16;
        float[] w = Tensors.gaussian(r, 3 * hid * in, 0.3), u = Tensors.gaussian(r, 3 * hid * hid, 0.2), b = Tensors.gaussian(r, 3 * hid, 0.1);
        GruCell cell = new GruCell(in, hid, w, u, b);
        float[] x = Tensors.gaussian(r, steps * in, 1), h = new float[hid], s = new float[cell.scratchSize()];
        for (boolean backward : new boolean[] {false, true}) {
            cell.run(x, 0, steps, in, backward, h, 0, s, 0);
            double[] ref = new double[hid];
            for (int t = 0; t < steps; t++) {
                int k = backward ? steps - 1 - t : t;
                double[] z = new double[hid], rr = new double[hid], c = new double[hid];
                for (int i = 0; i < hid; i++) {
                    double az = b[i], ar = b[hid + i];
                    for (int j = 0; j < in; j++) { az += w[i * in + j] * x[k * in + j]; ar += w[(hid + i) * in + j] * x[k * in + j]; }
                    for (int j = 0; j < hid; j++) { az += u[i * hid + j] * ref[j]; ar += u[(hid + i) * hid + j] * ref[j]; }
                    z[i] = 1 / (1 + Math.exp(-az));
                    rr[i] = 1 / (1 + Math.exp(-ar));
                }
                for (int i = 0; i < hid; i++) {
                    double a = b[2 * hid + i];
                    for (int j = 0; j < in; j++) a += w[(2 * hid + i) * in + j] * x[k * in + j];
                    for (int j = 0; j < hid; j++) a += u[(2 * hid + i) * hid + j] * rr[j] * ref[j];
                    c[i] = Math.tanh(a);
                }
                for (int i = 0; i < hid; i++) ref[i] = z[i] * ref[i] + (1 - z[i]) * c[i];
            }
            assertEquals(0, Tensors.maxAbsDiff(h, 0, ref), 1e-5, backward ? "backward" : "forward");
        }
    }
}
