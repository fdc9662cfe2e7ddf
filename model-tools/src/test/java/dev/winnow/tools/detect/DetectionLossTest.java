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

    /** Random score logits [15, 20, anchors] and box offsets [15, 20, 4·anchors] from {@code seed}. */
    static Tensor[] heads(long seed, int anchors) {
        Random r = new Random(seed);
        Tensor s = new Tensor(15, 20, anchors), b = new Tensor(15, 20, 4 * anchors);
        for (int i = 0; i < s.size(); i++) s.data[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.size(); i++) b.data[i] = (float) r.nextGaussian() * 0.3f;
        return new Tensor[] {s, b};
    }

    /** {@code gs}, the loss's gradient of the score logits {@code s}, against central differences of the whole loss, logit by logit. */
    static void assertScoreGradient(Tensor s, Tensor b, List<float[]> truth, float[] gs) {
        double eps = 5e-3; // p is a float: keep logits moderate and steps large enough to resolve
        for (int i = 0; i < s.size(); i++) {
            float old = s.data[i];
            s.data[i] = (float) (old + eps);
            double lp = total(s, b, truth);
            s.data[i] = (float) (old - eps);
            double lm = total(s, b, truth);
            s.data[i] = old;
            assertEquals((lp - lm) / (2 * eps), gs[i], 2e-3 + 0.02 * Math.abs(gs[i]), "score " + i);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor[] heads = heads(3, 1);
        Tensor s = heads[0], b = heads[1];
        List<float[]> truth = List.of(new float[] {40, 50, 14, 35}, new float[] {200, 100, 18, 44}, new float[] {205, 108, 12, 30});
        DetectionLoss.apply(s, b, truth, 14, 36);
        float[] gs = s.grad().clone(), gb = b.grad().clone();
        assertScoreGradient(s, b, truth, gs);
        int cell = (int) ((50 + 17.5f) / 16) * 20 + (int) ((40 + 7) / 16);
        for (int c = 0; c < 4; c++) assertTrue(Math.abs(gb[4 * cell + c]) > 0, "positive cell has a box gradient");
        assertEquals(0f, gb[0], "negative cells have none");
    }

    @Test
    void twoAnchorsGiveSideBySidePeopleASlotEach() {
        Tensor[] heads = heads(4, 2);
        Tensor s = heads[0], b = heads[1];
        // two people 10 px apart with centres in the same 16x16 cell (row 3, column 6): x centres 98 and 108
        List<float[]> truth = List.of(new float[] {91, 40, 14, 36}, new float[] {101, 42, 14, 36});
        DetectionLoss.apply(s, b, truth, 14, 36, 2);
        float[] gs = s.grad().clone(), gb = b.grad().clone();
        int cell = 3 * 20 + 6;
        assertTrue(gs[2 * cell] < 0 && gs[2 * cell + 1] < 0, "both anchors of the cell are pushed up");
        // box target of the right-hand person: dx = 108/16 - 6.5 = 0.25 cells
        float before = b.data[4 * (2 * cell + 1)];
        assertEquals(Math.signum(before - 0.25f), gb[4 * (2 * cell + 1)] * 2, 1e-6f);
        assertScoreGradient(s, b, truth, gs);
    }

    @Test
    void largePeopleGetCenterNetsWiderBump() {
        // CenterNet's gaussian_radius(18.75, 12.5, 0.7) = 4.11 (its third case), truncated to 4: diameter 9, sigma 1.5
        assertEquals(1.5f, DetectionLoss.sigma(18.75f, 12.5f), 1e-6f);
        // a plaza pedestrian, 14 x 36 pixels = 1.75 x 4.5 sub-cells: radius 0.7 truncates to 0, the fixed sigma stays
        assertEquals(DetectionLoss.SIGMA, DetectionLoss.sigma(4.5f, 1.75f), 0f);
        // so a cell inside a large person, 2 sub-cells from its centre, is pushed down less than with the fixed sigma
        Tensor s = new Tensor(15, 20, 4), b = new Tensor(15, 20, 16);
        java.util.Arrays.fill(s.data, 0f);
        DetectionLoss.apply(s, b, List.of(new float[] {100, 45, 100, 150}), 14, 36, 2, true);
        // centre (150, 120) px = sub-cell (15, 18.75); the anchor two sub-cells above the centre's: virtual (13, 18)
        int k = ((13 / 2) * 20 + 18 / 2) * 4 + (13 % 2) * 2 + 18 % 2;
        float dy = 13.5f - 15f, dx = 18.5f - 18.75f;
        double fixed = Math.pow(1 - Math.exp(-(dx * dx + dy * dy) / (2 * DetectionLoss.SIGMA * DetectionLoss.SIGMA)), 4);
        double wide = Math.pow(1 - Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5)), 4);
        // gradient of a negative at p = 0.5: w * (p^3 - 2 p^2 (1-p) log(1-p)) / npos, npos = 1
        double unit = 0.125 - 2 * 0.25 * 0.5 * Math.log(0.5);
        assertEquals(wide * unit, s.grad()[k], 1e-5);
        assertTrue(wide < fixed / 5, "the wider bump weighs that negative " + wide + " against " + fixed);
    }
}
