package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.tools.nn.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The focal + L1 loss's gradients against finite differences, and its targets. */
class DetectionLossTest {
    static double total(Tensor s, Tensor b, List<float[]> truth) {
        Tensor s2 = new Tensor(s.h, s.w, s.c, s.data.clone()), b2 = new Tensor(b.h, b.w, b.c, b.data.clone());
        double[] l = DetectionLoss.apply(s2, b2, truth, 14, 36);
        return l[0] + l[1];
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random r = new Random(3);
        Tensor s = new Tensor(15, 20, 1), b = new Tensor(15, 20, 4);
        for (int i = 0; i < s.size(); i++) s.data[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.size(); i++) b.data[i] = (float) r.nextGaussian() * 0.3f;
        List<float[]> truth = List.of(new float[] {40, 50, 14, 35}, new float[] {200, 100, 18, 44}, new float[] {205, 108, 12, 30});
        DetectionLoss.apply(s, b, truth, 14, 36);
        float[] gs = s.grad().clone(), gb = b.grad().clone();
        double eps = 5e-3; // p is a float: keep logits moderate and steps large enough to resolve
        for (int i = 0; i < s.size(); i++) {
            float old = s.data[i];
            s.data[i] = (float) (old + eps);
            double lp = total(s, b, truth);
            s.data[i] = (float) (old - eps);
            double lm = total(s, b, truth);
            s.data[i] = old;
            assertEquals((lp - lm) / (2 * eps), gs[i], 2e-3 + 0.02 * Math.abs(gs[i]), "score cell " + i);
        }
        int cell = (int) ((50 + 17.5f) / 16) * 20 + (int) ((40 + 7) / 16);
        for (int c = 0; c < 4; c++) assertTrue(Math.abs(gb[4 * cell + c]) > 0, "positive cell has a box gradient");
        assertEquals(0f, gb[0], "negative cells have none");
    }
}
