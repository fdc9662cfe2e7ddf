package dev.winnow.tools.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.Pool2d;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of the classifier ops, and their agreement with the runtime's kernels. */
class ClassifierOpsTest {
    private static final Random R = new Random(7);

    @Test
    void denseGradients() {
        Tensor x = GradientCheckTest.randomTensor(3, 2, 4, 1);
        Param w = new Param("w", new int[] {5, 24}, 1).init(R, 24, 1);
        Param b = new Param("b", new int[] {5}, 1).init(R, 1, 0.1);
        GradientCheckTest.check("dense", x, List.of(w, b), t -> ClassifierOps.dense(t, x, w, b));
    }

    @Test
    void poolGradients() {
        Tensor x = GradientCheckTest.randomTensor(7, 6, 3, 1);
        GradientCheckTest.check("max pool 2/2", x, List.of(), t -> ClassifierOps.maxPool(t, x, 2, 2));
        GradientCheckTest.check("max pool 3/2", x, List.of(), t -> ClassifierOps.maxPool(t, x, 3, 2));
        GradientCheckTest.check("avg pool 3/2", x, List.of(), t -> ClassifierOps.avgPool(t, x, 3, 2));
        GradientCheckTest.check("avg pool 2/1", x, List.of(), t -> ClassifierOps.avgPool(t, x, 2, 1));
        GradientCheckTest.check("global avg pool", x, List.of(), t -> ClassifierOps.globalAvgPool(t, x));
    }

    @Test
    void classifierStackGradients() {
        // conv → max pool → dense: gradients flow through the composition
        Tensor x = GradientCheckTest.randomTensor(8, 8, 1, 1);
        Param cw = new Param("cw", new int[] {3, 3, 1, 4}, 1).init(R, 9, 1);
        Param cb = new Param("cb", new int[] {4}, 1).init(R, 1, 0.1);
        Param dw = new Param("dw", new int[] {3, 64}, 1).init(R, 64, 1);
        Param db = new Param("db", new int[] {3}, 1);
        GradientCheckTest.check("conv + maxpool + dense", x, List.of(cw, cb, dw, db),
                t -> ClassifierOps.dense(t, ClassifierOps.maxPool(t, Ops.conv2d(t, x, cw, cb, 3, 1), 2, 2), dw, db));
    }

    @Test
    void softmaxCrossEntropyGradient() {
        for (float smoothing : new float[] {0f, 0.1f}) {
            Tensor z = GradientCheckTest.randomTensor(1, 1, 10, 2);
            int label = 3;
            ClassifierOps.softmaxCrossEntropy(z, label, smoothing);
            float[] g = z.grad().clone();
            double eps = 1e-3;
            for (int i = 0; i < 10; i++) {
                float old = z.data[i];
                z.data[i] = (float) (old + eps);
                double lp = ClassifierOps.softmaxCrossEntropy(new Tensor(1, 1, 10, z.data.clone()), label, smoothing);
                z.data[i] = (float) (old - eps);
                double lm = ClassifierOps.softmaxCrossEntropy(new Tensor(1, 1, 10, z.data.clone()), label, smoothing);
                z.data[i] = old;
                assertEquals((lp - lm) / (2 * eps), g[i], 2e-3, "d loss / d logit " + i);
            }
        }
        Tensor sure = new Tensor(1, 1, 3, new float[] {20f, 0f, 0f});
        assertTrue(ClassifierOps.softmaxCrossEntropy(sure, 0, 0f) < 1e-6);
    }

    @Test
    void poolsMatchTheRuntimeKernels() {
        Tensor x = GradientCheckTest.randomTensor(7, 9, 3, 1);
        for (int[] ks : new int[][] {{2, 2}, {3, 2}, {3, 1}}) {
            ConvGeometry g = ConvGeometry.same(7, 9, 3, 3, ks[0], ks[0], ks[1], ks[1]);
            float[] mx = new float[g.outH() * g.outW() * 3], av = new float[mx.length];
            Pool2d.maxFloat32(g, x.data, 0, mx, 0);
            Pool2d.avgFloat32(g, x.data, 0, av, 0);
            Tensor m = ClassifierOps.maxPool(Tape.inference(), x, ks[0], ks[1]), a = ClassifierOps.avgPool(Tape.inference(), x, ks[0], ks[1]);
            for (int i = 0; i < mx.length; i++) {
                assertEquals(mx[i], m.data[i], 0f);
                assertEquals(av[i], a.data[i], 1e-6f);
            }
        }
    }
}
