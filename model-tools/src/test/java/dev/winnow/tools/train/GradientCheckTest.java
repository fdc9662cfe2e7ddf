package dev.winnow.tools.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.tools.data.Dataset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Analytic gradients of Bonsai and ProtoNN against central finite differences, parameter by parameter. */
class GradientCheckTest {
    static Dataset random(int n, int features, int classes, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3 + 5);
        for (int i = 0; i < n; i++) y[i] = i % classes;
        String[] names = new String[classes];
        for (int c = 0; c < classes; c++) names[c] = "c" + c;
        return new Dataset("random", features, x, y, List.of(names));
    }

    static void check(TrainableModel m, Dataset d, double tol) {
        double[][] p = m.params();
        double[][] g = Trainer.zerosLike(p);
        Object s = m.newScratch();
        int[] ok = new int[1];
        for (int i = 0; i < d.size(); i++) m.lossAndGradient(d.x(), d.offset(i), d.label(i), g, s, ok);
        int checked = 0;
        double worst = 0;
        for (int b = 0; b < p.length; b++) {
            for (int i = 0; i < p[b].length; i++) {
                double old = p[b][i], h = 1e-5 * Math.max(1, Math.abs(old));
                p[b][i] = old + h;
                double lp = total(m, d, s);
                p[b][i] = old - h;
                double lm = total(m, d, s);
                p[b][i] = old;
                double num = (lp - lm) / (2 * h), an = g[b][i];
                double err = Math.abs(num - an) / Math.max(1e-3, Math.abs(num) + Math.abs(an));
                worst = Math.max(worst, err);
                assertTrue(err < tol, m.paramNames()[b] + "[" + i + "]: analytic " + an + ", numeric " + num);
                checked++;
            }
        }
        assertTrue(checked > 50, "checked " + checked);
    }

    static double total(TrainableModel m, Dataset d, Object s) {
        double l = 0;
        int[] ok = new int[1];
        for (int i = 0; i < d.size(); i++) l += m.lossAndGradient(d.x(), d.offset(i), d.label(i), null, s, ok);
        return l;
    }

    @Test
    void bonsaiCrossEntropy() {
        Dataset d = random(12, 5, 4, 1);
        BonsaiModel m = BonsaiModel.init(d, BonsaiModel.Config.defaults(6, 2).sigma(0.7), 2);
        m.sigmaI = 1.7;
        check(m, d, 1e-5);
    }

    @Test
    void bonsaiHingeAndDepthZeroAndThree() {
        Dataset d = random(10, 4, 3, 3);
        BonsaiModel m = BonsaiModel.init(d, BonsaiModel.Config.defaults(5, 3).loss(Loss.HINGE), 4);
        m.sigmaI = 0.9;
        check(m, d, 1e-5);
        BonsaiModel flat = BonsaiModel.init(d, BonsaiModel.Config.defaults(5, 0), 5);
        check(flat, d, 1e-5);
    }

    @Test
    void protoNn() {
        Dataset d = random(30, 6, 3, 6);
        ProtoNnModel m = ProtoNnModel.init(d, ProtoNnModel.Config.defaults(4, 9), 7);
        // move Z off the one-hot start so every term matters
        Random r = new Random(8);
        for (int i = 0; i < m.z.length; i++) m.z[i] += r.nextGaussian() * 0.3;
        check(m, d, 1e-5);
        ProtoNnModel h = ProtoNnModel.init(d, ProtoNnModel.Config.defaults(3, 6).loss(Loss.HINGE), 9);
        check(h, d, 1e-4);
    }
}
