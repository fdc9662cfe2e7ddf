package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.quant.Q15;
import dev.winnow.runtime.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q15FastGrnnTest {

    @Test
    void edgeMlQ15ActivationKnownAnswers() {
        short[] v = {-2772, -1358, -3028, -389, -1666, -2070, -608, -699}, out = new short[8];
        Q15.sigmoidPiecewise(v, 8, 2, 1024, 2048, 11, 14, out);
        assertArrayEquals(new short[] {0, 2760, 0, 6640, 1528, 0, 5760, 5400}, out);
        short[] t = {178, 1064, -4162}, tout = new short[3];
        Q15.tanhPiecewise(t, 3, 11, 11, tout);
        assertArrayEquals(new short[] {178, 1064, -2048}, tout);
    }

    @Test
    void smoothGateTableStaysWithinItsStatedError() {
        double worst = 0;
        for (int pre = -40000; pre <= 40000; pre += 7) {
            double x = pre / 2048.0;
            worst = Math.max(worst, Math.abs(Q15FastGrnnCell.sigmoidQ15(pre, Q15FastGrnnCell.Gates.SMOOTH) / 32768.0 - 1 / (1 + Math.exp(-x))));
            worst = Math.max(worst, Math.abs(Q15FastGrnnCell.tanhQ15(pre, Q15FastGrnnCell.Gates.SMOOTH) / 32768.0 - Math.tanh(x)) / 2);
        }
        assertTrue(worst < 3.5e-4, "sigmoid table error " + worst); // saturation at |x| = 8 dominates: 1 - sigmoid(8) = 3.4e-4
    }

    @Test
    void theFullSmoothTableIsTheInterpolatedTableAtEveryQ11Value() {
        // every Q11 pre-activation the clamp maps, and past it on both sides (the saturated ends)
        for (int pre = -20000; pre <= 20000; pre++) {
            assertEquals(Q15FastGrnnCell.interpolated(pre), Q15FastGrnnCell.sigmoidQ15(pre, Q15FastGrnnCell.Gates.SMOOTH), "pre " + pre);
        }
        for (int pre : new int[] {Integer.MIN_VALUE / 2, -1 << 20, 1 << 20, Integer.MAX_VALUE / 2}) {
            assertEquals(Q15FastGrnnCell.interpolated(pre), Q15FastGrnnCell.sigmoidQ15(pre, Q15FastGrnnCell.Gates.SMOOTH), "pre " + pre);
        }
    }

    @Test
    void uspsInQ15ClassifiesAllTenExamples() throws Exception {
        KnownAnswers k = new KnownAnswers("fastgrnn_lr_usps_float.json");
        FastGrnnCell cell = new FastGrnnCell(16, 32, null, k.floats("USPS_W1"), k.floats("USPS_W2"), null, k.floats("USPS_U1"),
                k.floats("USPS_U2"), k.floats("USPS_Bg"), k.floats("USPS_Bh"), k.number("USPS_sigmoid_zeta"), k.number("USPS_sigmoid_nu"));
        Q15FastGrnnCell q = new Q15FastGrnnCell(cell.weights(), 11, Q15FastGrnnCell.Gates.SMOOTH);
        float[] mean = k.floats("USPS_mean"), std = k.floats("USPS_stdDev"), fc = k.floats("FC_weights"), fcb = k.floats("FCbias");
        float[] inputs = k.floats("input"), labels = k.floats("labels");
        float[] xf = new float[256], hf = new float[32], sf = new float[cell.scratchSize()];
        short[] xq = new short[256], hq = new short[32];
        int[] s = new int[q.scratchSize()];
        double worst = 0;
        for (int e = 0; e < 10; e++) {
            for (int i = 0; i < 256; i++) {
                xf[i] = (inputs[e * 256 + i] - mean[i]) / std[i];
                xq[i] = Q15.quantize(xf[i], 11);
            }
            cell.run(xf, 0, 16, 16, false, hf, 0, sf, 0);
            q.run(xq, 0, 16, 16, hq, 0, s, 0);
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                double acc = fcb[c];
                for (int j = 0; j < 32; j++) {
                    double h = Q15.dequantize(hq[j], Q15FastGrnnCell.stateFrac());
                    acc += fc[c * 32 + j] * h;
                    worst = Math.max(worst, Math.abs(h - hf[j]));
                }
                if (acc > bestScore) { bestScore = acc; best = c; }
            }
            assertEquals((int) labels[e], best, "example " + e);
        }
        // 16 steps of a contraction (|z| < 1) accumulate Q11/Q14 rounding and table error
        assertTrue(worst < 0.02, "largest hidden-state difference from float: " + worst);
    }

    @Test
    void piecewiseGatesMatchTheirDoublePrecisionDefinition() {
        Random r = new Random(101);
        int in = 6, hid = 10, steps = 12;
        float[] w = Tensors.gaussian(r, hid * in, 0.3), u = Tensors.gaussian(r, hid * hid, 0.2);
        float[] bg = Tensors.gaussian(r, hid, 0.1), bh = Tensors.gaussian(r, hid, 0.1);
        FastGrnnCell cell = new FastGrnnCell(in, hid, w, null, null, u, null, null, bg, bh, 0.9f, 0.05f);
        Q15FastGrnnCell q = new Q15FastGrnnCell(cell.weights(), 12, Q15FastGrnnCell.Gates.PIECEWISE);
        float[] x = Tensors.uniform(r, steps * in, -1, 1);
        short[] xq = Q15.quantize(x, 12), h = new short[hid];
        q.run(xq, 0, steps, in, h, 0, new int[q.scratchSize()], 0);
        double[] ref = new double[hid];
        for (int t = 0; t < steps; t++) {
            double[] pre = new double[hid];
            for (int i = 0; i < hid; i++) {
                for (int j = 0; j < in; j++) pre[i] += w[i * in + j] * Q15.dequantize(xq[t * in + j], 12);
                for (int j = 0; j < hid; j++) pre[i] += u[i * hid + j] * ref[j];
            }
            for (int i = 0; i < hid; i++) {
                double z = Math.max(0, Math.min(1, (pre[i] + bg[i] + 1) / 2));
                double c = Math.max(-1, Math.min(1, pre[i] + bh[i]));
                ref[i] = z * ref[i] + (0.9 * (1 - z) + 0.05) * c;
            }
        }
        for (int i = 0; i < hid; i++) assertEquals(ref[i], Q15.dequantize(h[i], 14), 5e-3, "hidden " + i);
    }
}
