package dev.winnow.tools.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.data.FashionMnist;
import dev.winnow.tools.nn.Adam;
import dev.winnow.tools.nn.ClassifierOps;
import dev.winnow.tools.nn.Param;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** FashionNet: whole-network gradients, export through the runtime, budgets, and seed reproducibility. */
class FashionNetTest {
    static final String RNNPOOL = "c16k3s2-r4s2h12-mb2", PLAIN = "c16k3s2-c48k3s2-mb2";

    /** Smooth random blobs on 28x28, like garments more than white noise. */
    static float[] image(long seed) {
        Random r = new Random(seed);
        float[] img = new float[28 * 28];
        for (int k = 0; k < 6; k++) {
            int cx = r.nextInt(28), cy = r.nextInt(28), rad = 2 + r.nextInt(8);
            float v = r.nextFloat();
            for (int y = Math.max(0, cy - rad); y < Math.min(28, cy + rad); y++)
                for (int x = Math.max(0, cx - rad); x < Math.min(28, cx + rad); x++) img[y * 28 + x] = v;
        }
        return img;
    }

    static Dataset synthetic(int n, long seed) {
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(image(seed + i), 0, x, i * 784, 784);
            y[i] = (int) ((seed + i) % 10);
        }
        return new Dataset("synthetic", 784, x, y, FashionMnist.CLASSES);
    }

    static double loss(FashionNet net, float[] img, int label) {
        Tensor y = net.forward(Tape.inference(), new Tensor(28, 28, 1, img.clone()), null);
        return ClassifierOps.softmaxCrossEntropy(y, label, 0f);
    }

    @Test
    void wholeNetworkGradientsMatchFiniteDifferences() {
        // every layer kind: conv, RNNPool, MBConv with and without residual, pools, hidden dense
        FashionNet net = new FashionNet(System.getProperty("fd.spec", "c4k3s2-r4s2h3-mb2-mb2c8s2-mp2s1-ap2s1-fc8"), 28, 28, 10, 1, 3);
        // noise on the blobs: flat regions would put whole runs of pre-activations on one relu6 kink together
        float[] img = image(11);
        Random noise = new Random(12);
        for (int i = 0; i < img.length; i++) img[i] += 0.2f * noise.nextFloat();
        // the blank background makes many pre-activations equal their bias: keep biases clear of relu6's kink at 0
        Random r = new Random(2);
        for (Param p : net.params())
            if (p.name.endsWith(".bias")) for (int i = 0; i < p.size(); i++) p.w[i] = (float) ((r.nextBoolean() ? 1 : -1) * (0.05 + 0.1 * r.nextDouble()));
        new Adam(net.params()).zeroGrad();
        Tape t = new Tape(0, true);
        Tensor y = net.forward(t, new Tensor(28, 28, 1, img.clone()), null);
        ClassifierOps.softmaxCrossEntropy(y, 4, 0f);
        t.backward();
        double eps = Double.parseDouble(System.getProperty("fd.eps", "3e-4")), worst = 0;
        String where = "";
        for (Param p : net.params()) {
            float[] g = p.grad(0);
            for (int i = 0; i < p.size(); i += Math.max(1, p.size() / 5)) {
                float old = p.w[i];
                p.w[i] = (float) (old + eps);
                double lp = loss(net, img, 4);
                p.w[i] = (float) (old - eps);
                double lm = loss(net, img, 4);
                p.w[i] = old;
                double num = (lp - lm) / (2 * eps);
                double e = Math.abs(num - g[i]) / Math.max(1e-2, Math.abs(num) + Math.abs(g[i]));
                if (e > worst) {
                    worst = e;
                    where = p.name + "[" + i + "]: numeric " + num + ", analytic " + g[i];
                }
            }
        }
        assertTrue(worst < 3e-2, "worst relative gradient error " + worst + " at " + where);
    }

    @Test
    void floatArtifactMatchesTheTrainerForward() throws Exception {
        for (String spec : List.of(RNNPOOL, PLAIN, "c8k3s1-mp2s2-c16k3s1-ap2s2-gap-fc16")) {
            FashionNet net = new FashionNet(spec, 28, 28, 10, 1, 5);
            Model m = Model.load(net.export(null).builder().toBytes(net.metadata("t")));
            Interpreter it = m.newInterpreter();
            float[] out = new float[10];
            for (long s = 1; s <= 3; s++) {
                float[] img = image(s);
                it.predict(img, out);
                float[] p = ClassifierOps.softmax(net.forward(Tape.inference(), new Tensor(28, 28, 1, img.clone()), null).data);
                for (int k = 0; k < 10; k++) assertEquals(p[k], out[k], 1e-5f, spec + " class " + k);
            }
        }
    }

    @Test
    void int8ArtifactsFitTheBudgetsAndTrackTheFloatModel() throws Exception {
        for (String spec : List.of(RNNPOOL, PLAIN)) {
            FashionNet net = new FashionNet(spec, 28, 28, 10, 1, 5);
            Dataset d = synthetic(40, 100);
            Map<String, float[]> ranges = FashionTrainer.calibrate(net, d, 40, 1);
            byte[] q = net.export(ranges).builder().toBytes(net.metadata("t"));
            Model m = Model.load(q);
            assertTrue(q.length <= 64 * 1024, spec + ": int8 artifact " + q.length + " B");
            assertTrue(m.report().arenaBytes() <= 32 * 1024, spec + ": arena " + m.report().arenaBytes() + " B");
            Interpreter it = m.newInterpreter();
            float[] out = new float[10];
            double err = 0;
            for (int i = 0; i < 10; i++) {
                it.predict(d.row(i), out);
                float[] p = ClassifierOps.softmax(net.forward(Tape.inference(), new Tensor(28, 28, 1, d.row(i)), null).data);
                for (int k = 0; k < 10; k++) err = Math.max(err, Math.abs(p[k] - out[k]));
            }
            assertTrue(err < 0.05, spec + ": int8 probabilities differ from float by up to " + err);
        }
    }

    @Test
    void trainingRepeatsFromItsSeed() throws Exception {
        Dataset d = synthetic(96, 7);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            float[][] runs = new float[2][];
            for (int r = 0; r < 2; r++) {
                FashionNet net = new FashionNet("c4k3s2-r4s2h4-mb2", 28, 28, 10, 2, 9);
                FashionTrainer.train(net, d, d.slice(0, 16), pool, 2, 1, 32, 0.003f, 1e-4f, 0.05f, true, 9);
                Param last = net.params().get(net.params().size() - 1), first = net.params().get(0);
                float[] both = new float[last.size() + first.size()];
                System.arraycopy(last.w, 0, both, 0, last.size());
                System.arraycopy(first.w, 0, both, last.size(), first.size());
                runs[r] = both;
            }
            assertArrayEquals(runs[0], runs[1], 0f);
        } finally {
            pool.shutdown();
        }
    }
}
