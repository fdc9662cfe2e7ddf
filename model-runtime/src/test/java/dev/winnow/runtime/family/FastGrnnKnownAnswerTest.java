package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FastGrnnKnownAnswerTest {

    @Test
    void lowRankUspsModelClassifiesItsTenExamples() throws Exception {
        KnownAnswers k = new KnownAnswers("fastgrnn_lr_usps_float.json");
        int in = k.integer("INPUT_DIMS"), steps = k.integer("TIME_STEPS"), hidden = k.integer("HIDDEN_DIMS"), classes = k.integer("NUM_CLASSES");
        FastGrnnCell cell = new FastGrnnCell(in, hidden, null, k.floats("USPS_W1"), k.floats("USPS_W2"), null, k.floats("USPS_U1"),
                k.floats("USPS_U2"), k.floats("USPS_Bg"), k.floats("USPS_Bh"), k.number("USPS_sigmoid_zeta"), k.number("USPS_sigmoid_nu"));
        float[] mean = k.floats("USPS_mean"), std = k.floats("USPS_stdDev"), fc = k.floats("FC_weights"), fcb = k.floats("FCbias");
        float[] inputs = k.floats("input"), labels = k.floats("labels");
        float[] x = new float[steps * in], h = new float[hidden], s = new float[cell.scratchSize()];
        for (int e = 0; e < k.integer("NUM_EXAMPLES"); e++) {
            for (int i = 0; i < steps * in; i++) x[i] = (inputs[e * steps * in + i] - mean[i]) / std[i];
            cell.run(x, 0, steps, in, false, h, 0, s, 0);
            double[] ref = ReferenceFastGrnn.lowRank(k, x);
            for (int i = 0; i < hidden; i++) assertEquals(ref[i], h[i], 1e-5, "hidden " + i + " of example " + e);
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double acc = fcb[c];
                for (int j = 0; j < hidden; j++) acc += fc[c * hidden + j] * h[j];
                if (acc > bestScore) { bestScore = acc; best = c; }
            }
            assertEquals((int) labels[e], best, "example " + e);
        }
    }

    /** A direct double-precision FastGRNN with Math.exp/tanh, for the hidden state. */
    static final class ReferenceFastGrnn {
        static double[] lowRank(KnownAnswers k, float[] x) {
            int in = 16, hid = 32, r = 5;
            float[] w1 = k.floats("USPS_W1"), w2 = k.floats("USPS_W2"), u1 = k.floats("USPS_U1"), u2 = k.floats("USPS_U2");
            float[] bg = k.floats("USPS_Bg"), bh = k.floats("USPS_Bh");
            double zeta = k.number("USPS_sigmoid_zeta"), nu = k.number("USPS_sigmoid_nu");
            double[] h = new double[hid];
            for (int t = 0; t < 16; t++) {
                double[] a = new double[r], b = new double[r], pre = new double[hid];
                for (int q = 0; q < r; q++) for (int i = 0; i < in; i++) a[q] += w1[q * in + i] * x[t * in + i];
                for (int q = 0; q < r; q++) for (int i = 0; i < hid; i++) b[q] += u1[q * hid + i] * h[i];
                for (int o = 0; o < hid; o++) for (int q = 0; q < r; q++) pre[o] += w2[o * r + q] * a[q] + u2[o * r + q] * b[q];
                for (int o = 0; o < hid; o++) {
                    double z = 1 / (1 + Math.exp(-(pre[o] + bg[o])));
                    double c = Math.tanh(pre[o] + bh[o]);
                    h[o] = z * h[o] + (zeta * (1 - z) + nu) * c;
                }
            }
            return h;
        }
    }
}
