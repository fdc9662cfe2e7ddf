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

    @Test
    void twoAnchorsGiveSideBySidePeopleASlotEach() {
        Random r = new Random(4);
        Tensor s = new Tensor(15, 20, 2), b = new Tensor(15, 20, 8);
        for (int i = 0; i < s.size(); i++) s.data[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.size(); i++) b.data[i] = (float) r.nextGaussian() * 0.3f;
        // two people 10 px apart with centres in the same 16x16 cell (row 3, column 6): x centres 98 and 108
        List<float[]> truth = List.of(new float[] {91, 40, 14, 36}, new float[] {101, 42, 14, 36});
        DetectionLoss.apply(s, b, truth, 14, 36, 2);
        float[] gs = s.grad().clone(), gb = b.grad().clone();
        int cell = 3 * 20 + 6;
        assertTrue(gs[2 * cell] < 0 && gs[2 * cell + 1] < 0, "both anchors of the cell are pushed up");
        // box target of the right-hand person: dx = 108/16 - 6.5 = 0.25 cells
        float before = b.data[4 * (2 * cell + 1)];
        assertEquals(Math.signum(before - 0.25f), gb[4 * (2 * cell + 1)] * 2, 1e-6f);
        double eps = 5e-3;
        for (int i = 0; i < s.size(); i++) {
            float old = s.data[i];
            s.data[i] = (float) (old + eps);
            Tensor s2 = new Tensor(s.h, s.w, s.c, s.data.clone()), b2 = new Tensor(b.h, b.w, b.c, b.data.clone());
            double[] lp = DetectionLoss.apply(s2, b2, truth, 14, 36, 2);
            s.data[i] = (float) (old - eps);
            s2 = new Tensor(s.h, s.w, s.c, s.data.clone());
            b2 = new Tensor(b.h, b.w, b.c, b.data.clone());
            double[] lm = DetectionLoss.apply(s2, b2, truth, 14, 36, 2);
            s.data[i] = old;
            assertEquals((lp[0] + lp[1] - lm[0] - lm[1]) / (2 * eps), gs[i], 2e-3 + 0.02 * Math.abs(gs[i]), "score " + i);
        }
    }
}
