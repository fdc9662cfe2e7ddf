package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

import static dev.winnow.runtime.testing.Tensors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.quant.FixedPoint;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.runtime.testing.ReferenceOps;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * int8 kernels against the double reference. Two bounds, both derived:
 * <ul>
 * <li>Against the reference run on the dequantized inputs and weights (the exact real arithmetic the
 * integer kernel stands for), the only errors are the int32 bias rounding (at most s_in·s_w/2), the
 * Q31 multiplier (relative 2^-31) and the final rounding (s_out/2): together below one output step s_out.</li>
 * <li>Against the original float result, add the quantization of inputs and weights: over K products,
 * |Δ| ≤ K·(max|w|·s_in/2 + max|x|·s_w/2 + s_in·s_w/4), plus one output step.</li>
 * </ul>
 */
class Int8KernelsTest {

    record Q(byte[] q, double[] real) {}

    static Q quantize(float[] x, QuantParams p) {
        byte[] q = new byte[x.length];
        double[] real = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            q[i] = p.quantize(x[i]);
            real[i] = p.dequantize(q[i]);
        }
        return new Q(q, real);
    }

    static double[] dequantize(byte[] q, int off, int n, QuantParams p) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = p.dequantize(q[off + i]);
        return d;
    }

    static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void conv2dWithinOneOutputStep() {
        Random r = new Random(21);
        for (int trial = 0; trial < 30; trial++) {
            int h = 2 + r.nextInt(10), w = 2 + r.nextInt(10), c = 1 + r.nextInt(8), oc = 1 + r.nextInt(17), k = trial % 2 == 0 ? 3 : 1, s = 1 + r.nextInt(2);
            ConvGeometry g = ConvGeometry.same(h, w, c, oc, k, k, s, s);
            float[] x = uniform(r, h * w * c, -1, 3);
            float[] f = gaussian(r, oc * k * k * c, 0.4);
            float[] b = gaussian(r, oc, 0.3);
            QuantParams in = QuantParams.forRange(-1, 3);
            float[] ws = QuantParams.symmetricScales(f, oc);
            byte[] fq = QuantParams.quantizeSymmetric(f, ws);
            int[] bq = QuantParams.quantizeBias(b, in.scale(), ws);
            Q xq = quantize(x, in);
            double[] fReal = new double[f.length];
            int per = k * k * c;
            for (int i = 0; i < f.length; i++) fReal[i] = fq[i] * (double) ws[i / per];
            double[] bReal = new double[oc];
            for (int o = 0; o < oc; o++) bReal[o] = bq[o] * (double) in.scale() * ws[o];
            double[] floatRef = ReferenceOps.conv2d(toDouble(x), h, w, c, toDouble(f), toDouble(b), oc, k, k, s, s, g.padTop(), g.padLeft(), g.outH(), g.outW(), -1e9, 1e9);
            QuantParams out = QuantParams.forRange(-1.2 * maxAbs(floatRef), 1.2 * maxAbs(floatRef));
            double[] exactRef = ReferenceOps.conv2d(xq.real, h, w, c, fReal, bReal, oc, k, k, s, s, g.padTop(), g.padLeft(), g.outH(), g.outW(), -1e9, 1e9);

            byte[] y = new byte[g.outputSize()];
            Conv2dInt8.reference(g, fq, ws, bq, in, out, Activation.NONE).run(xq.q, 0, y, 0);
            double[] got = dequantize(y, 0, y.length, out);
            assertTrue(maxDiff(got, exactRef) <= out.scale() * (1 + 1e-6), "trial " + trial + ": " + maxDiff(got, exactRef) / out.scale() + " steps");
            double maxW = 0;
            for (float v : f) maxW = Math.max(maxW, Math.abs(v));
            double maxWs = 0;
            for (float v : ws) maxWs = Math.max(maxWs, v);
            double bound = per * (maxW * in.scale() / 2 + 3 * maxWs / 2 + in.scale() * maxWs / 4) + out.scale();
            assertTrue(maxDiff(got, floatRef) <= bound, "trial " + trial + " vs float");
        }
    }

    @Test
    void depthwiseAndDenseWithinOneOutputStep() {
        Random r = new Random(22);
        for (int trial = 0; trial < 30; trial++) {
            int h = 2 + r.nextInt(9), w = 2 + r.nextInt(9), c = 1 + r.nextInt(12), mult = 1 + trial % 2, s = 1 + r.nextInt(2);
            ConvGeometry g = ConvGeometry.same(h, w, c, c * mult, 3, 3, s, s);
            float[] x = uniform(r, h * w * c, -2, 2), f = gaussian(r, 9 * c * mult, 0.5);
            QuantParams in = QuantParams.forRange(-2, 2);
            float[] ws = new float[c * mult];
            for (int o = 0; o < ws.length; o++) {
                float m = 0;
                for (int t = 0; t < 9; t++) m = Math.max(m, Math.abs(f[t * c * mult + o]));
                ws[o] = m / 127;
            }
            byte[] fq = QuantParams.quantizeSymmetricChannelsLast(f, ws);
            double[] fReal = new double[f.length];
            for (int i = 0; i < f.length; i++) fReal[i] = fq[i] * (double) ws[i % ws.length];
            Q xq = quantize(x, in);
            double[] exact = ReferenceOps.depthwise(xq.real, h, w, c, mult, fReal, null, 3, 3, s, s, g.padTop(), g.padLeft(), g.outH(), g.outW(), 0, 6);
            QuantParams out = QuantParams.forRange(0, 6);
            byte[] y = new byte[g.outputSize()];
            DepthwiseConv2dInt8.prepare(g, fq, ws, null, in, out, Activation.RELU6).run(xq.q, 0, y, 0);
            assertTrue(maxDiff(dequantize(y, 0, y.length, out), exact) <= out.scale() * (1 + 1e-6), "depthwise trial " + trial);

            int nIn = 1 + r.nextInt(200), nOut = 1 + r.nextInt(20);
            float[] dx = uniform(r, nIn, -1, 1), dw = gaussian(r, nIn * nOut, 0.2);
            QuantParams din = QuantParams.forRange(-1, 1);
            float[] dws = QuantParams.symmetricScales(dw, nOut);
            byte[] dwq = QuantParams.quantizeSymmetric(dw, dws);
            double[] dwReal = new double[dw.length];
            for (int i = 0; i < dw.length; i++) dwReal[i] = dwq[i] * (double) dws[i / nIn];
            Q dxq = quantize(dx, din);
            double[] dref = ReferenceOps.dense(dxq.real, dwReal, null, nIn, nOut, -1e9, 1e9);
            QuantParams dout = QuantParams.forRange(-1.1 * maxAbs(dref) - 0.01, 1.1 * maxAbs(dref) + 0.01);
            byte[] dy = new byte[nOut];
            new Dense.Int8(nIn, nOut, dwq, dws, null, din, dout, Activation.NONE).run(dxq.q, 0, dy, 0);
            assertTrue(maxDiff(dequantize(dy, 0, nOut, dout), dref) <= dout.scale() * (1 + 1e-6), "dense trial " + trial);
        }
    }

    @Test
    void theChunkedVectorAddEqualsTheScalarAddBitForBit() {
        assertTrue(VectorSupport.modulepresent(), "the tests run with the Vector API module");
        Random r = new Random(29);
        QuantParams[][] params = {
                {QuantParams.forRange(-1, 1), QuantParams.forRange(-4, 2), QuantParams.forRange(-5, 3)},
                {QuantParams.forRange(-6, 6), QuantParams.forRange(-0.01, 0.02), QuantParams.forRange(-0.5, 0.5)},   // a saturating output
                {QuantParams.forRange(0, 6), QuantParams.forRange(0, 6), QuantParams.forRange(0, 12)}};
        for (QuantParams[] p : params) {
            for (Activation act : new Activation[] {Activation.NONE, Activation.RELU6}) {
                Add.Int8 add = new Add.Int8(p[0], p[1], p[2], act, true);
                assertTrue(add.scratchInts() > 0, "the vector path is taken");
                for (int n : new int[] {1, 15, 16, 17, 63, 64, 65, 300, 19200}) {
                    byte[] a = new byte[n + 3], b = new byte[n + 1];
                    r.nextBytes(a);
                    r.nextBytes(b);
                    byte[] expected = new byte[n], got = new byte[n + 2];
                    add.run(n, a, 3, b, 1, expected, 0);
                    int[] s = new int[add.scratchInts() + 5];
                    add.run(n, a, 3, b, 1, got, 2, s, 5);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, 2, got.length), "n " + n + ", " + act);
                }
            }
        }
    }

    /**
     * Every pair of int8 inputs against TFLite's add written out here, three fixed-point multiplies an
     * element, on the scalar path and the vector path: the kernel reads the inputs' rescaled values from
     * tables, which must change no bit.
     */
    @Test
    void theAddGivesTfliteArithmeticOnEveryPairOfInputs() {
        QuantParams[][] params = {
                {QuantParams.forRange(-1, 1), QuantParams.forRange(-4, 2), QuantParams.forRange(-5, 3)},
                {QuantParams.forRange(-6, 6), QuantParams.forRange(-0.01, 0.02), QuantParams.forRange(-0.5, 0.5)},
                {QuantParams.forRange(0, 6), QuantParams.forRange(0, 6), QuantParams.forRange(0, 12)},
                {QuantParams.forRange(-0.3, 7.1), QuantParams.forRange(-2.5, 0.2), QuantParams.forRange(-1.7, 6.4)}};
        int n = 1 << 16;
        byte[] a = new byte[n], b = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (i >> 8);
            b[i] = (byte) i;
        }
        for (QuantParams[] p : params) {
            for (Activation act : new Activation[] {Activation.NONE, Activation.RELU6}) {
                double twiceMax = 2.0 * Math.max(p[0].scale(), p[1].scale());
                FixedPoint.Multiplier am = FixedPoint.quantizeMultiplier(p[0].scale() / twiceMax);
                FixedPoint.Multiplier bm = FixedPoint.quantizeMultiplier(p[1].scale() / twiceMax);
                FixedPoint.Multiplier om = FixedPoint.quantizeMultiplier(twiceMax / ((1 << 20) * (double) p[2].scale()));
                byte[] expected = new byte[n];
                for (int i = 0; i < n; i++) {
                    int x = FixedPoint.multiplyByQuantizedMultiplier((a[i] - p[0].zeroPoint()) << 20, am.multiplier(), am.shift());
                    int y = FixedPoint.multiplyByQuantizedMultiplier((b[i] - p[1].zeroPoint()) << 20, bm.multiplier(), bm.shift());
                    int v = FixedPoint.multiplyByQuantizedMultiplier(x + y, om.multiplier(), om.shift()) + p[2].zeroPoint();
                    expected[i] = (byte) Math.max(act.qmin(p[2]), Math.min(act.qmax(p[2]), v));
                }
                byte[] scalar = new byte[n], vector = new byte[n];
                new Add.Int8(p[0], p[1], p[2], act, false).run(n, a, 0, b, 0, scalar, 0);
                Add.Int8 v = new Add.Int8(p[0], p[1], p[2], act, true);
                v.run(n, a, 0, b, 0, vector, 0, new int[v.scratchInts()], 0);
                assertArrayEquals(expected, scalar, "scalar, " + act);
                assertArrayEquals(expected, vector, "vector, " + act);
            }
        }
    }

    @Test
    void addPoolsActivationsAndSoftmax() {
        Random r = new Random(23);
        QuantParams pa = QuantParams.forRange(-1, 1), pb = QuantParams.forRange(-4, 2), po = QuantParams.forRange(-5, 3);
        Q a = quantize(uniform(r, 300, -1, 1), pa), b = quantize(uniform(r, 300, -4, 2), pb);
        byte[] y = new byte[300];
        new Add.Int8(pa, pb, po, Activation.NONE).run(300, a.q, 0, b.q, 0, y, 0);
        double[] sum = new double[300];
        for (int i = 0; i < 300; i++) sum[i] = a.real[i] + b.real[i];
        // the 20-bit left shift leaves the input rescaling exact to ~2^-20 of a step; the rest is output rounding
        assertTrue(maxDiff(dequantize(y, 0, 300, po), sum) <= po.scale() * (0.5 + 1e-3), "add error " + maxDiff(dequantize(y, 0, 300, po), sum) / po.scale() + " steps");

        ConvGeometry g = ConvGeometry.same(7, 9, 3, 3, 3, 3, 2, 2);
        Q x = quantize(uniform(r, g.inputSize(), -2, 2), pa);
        byte[] mx = new byte[g.outputSize()], av = new byte[g.outputSize()];
        Pool2d.maxInt8(g, x.q, 0, mx, 0);
        Pool2d.avgInt8(g, x.q, 0, av, 0);
        assertEquals(0, maxDiff(dequantize(mx, 0, mx.length, pa), ReferenceOps.pool(x.real, 7, 9, 3, 3, 3, 2, 2, g.padTop(), g.padLeft(), g.outH(), g.outW(), true)), 1e-9);
        assertTrue(maxDiff(dequantize(av, 0, av.length, pa), ReferenceOps.pool(x.real, 7, 9, 3, 3, 3, 2, 2, g.padTop(), g.padLeft(), g.outH(), g.outW(), false)) <= pa.scale() / 2 * (1 + 1e-5));

        for (Elementwise.Function fn : Elementwise.Function.values()) {
            QuantParams out = Elementwise.int8Output(fn, pb);
            byte[] z = new byte[300];
            new Elementwise.Int8(fn, pb, out).run(300, b.q, 0, z, 0);
            for (int i = 0; i < 300; i++) {
                double v = b.real[i];
                double ref = fn == Elementwise.Function.RELU ? Math.max(0, v) : fn == Elementwise.Function.RELU6 ? Math.min(6, Math.max(0, v))
                        : fn == Elementwise.Function.SIGMOID ? 1 / (1 + Math.exp(-v)) : Math.tanh(v);
                assertEquals(ref, out.dequantize(z[i]), out.scale() / 2 + 1e-9, fn.toString());
            }
        }
        Q logits = quantize(uniform(r, 40, -1, 1), pa);
        byte[] p = new byte[40];
        new Softmax.Int8(pa).run(4, 10, logits.q, 0, p, 0);
        for (int row = 0; row < 4; row++) {
            double[] ref = ReferenceOps.softmax(java.util.Arrays.copyOfRange(logits.real, row * 10, row * 10 + 10));
            assertTrue(maxDiff(dequantize(p, row * 10, 10, Softmax.INT8_OUTPUT), ref) <= 1 / 256.0 / 2 + 1e-6);
        }
    }

    @Test
    void sigmoidAndTanhOutputParametersFollowTflite() {
        assertEquals(1f / 256, Elementwise.SIGMOID_OUTPUT.scale());
        assertEquals(-128, Elementwise.SIGMOID_OUTPUT.zeroPoint());
        assertEquals(1f / 128, Elementwise.TANH_OUTPUT.scale());
        assertEquals(0, Elementwise.TANH_OUTPUT.zeroPoint());
    }
}
