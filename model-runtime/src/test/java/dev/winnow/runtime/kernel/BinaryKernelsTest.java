package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

import static dev.winnow.runtime.testing.Tensors.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.ReferenceOps;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryKernelsTest {

    @Test
    void binaryDenseMatchesXnorNetReference() {
        Random r = new Random(31);
        int[] sizes = {1, 63, 64, 65, 127, 200, 256, 1000};
        for (int in : sizes) {
            int out = 1 + r.nextInt(9);
            float[] x = gaussian(r, in, 1), w = gaussian(r, in * out, 0.5), b = gaussian(r, out, 0.1);
            BinaryDense layer = BinaryDense.fromFloat(in, out, w, b, Activation.NONE);
            long[] bits = new long[layer.inputWords() + 2];
            float beta = BinaryPacking.pack(x, 0, in, bits, 2);
            float[] y = new float[out];
            layer.run(bits, 2, beta, y, 0);
            double[] ref = ReferenceOps.binaryDense(toDouble(x), toDouble(w), toDouble(b), in, out);
            assertTrue(maxAbsDiff(y, 0, ref) < 1e-4 * Math.max(1, maxAbs(ref)), "in=" + in);
        }
    }

    @Test
    void binaryConvMatchesADirectSignConvolution() {
        Random r = new Random(32);
        for (int trial = 0; trial < 12; trial++) {
            int h = 3 + r.nextInt(6), w = 3 + r.nextInt(6), c = trial % 3 == 0 ? 70 : 1 + r.nextInt(10), oc = 1 + r.nextInt(6);
            ConvGeometry g = ConvGeometry.same(h, w, c, oc, 3, 3, 1 + r.nextInt(2), 1);
            float[] x = gaussian(r, g.inputSize(), 1), f = gaussian(r, oc * 9 * c, 0.5);
            BinaryConv2d conv = new BinaryConv2d(g, f, null, Activation.NONE);
            float[] y = new float[g.outputSize()];
            conv.run(x, 0, new long[conv.scratchWords()], 0, y, 0);
            // reference: convolution of signs, times alpha (mean |filter|) and beta (mean |x|)
            double beta = 0;
            for (float v : x) beta += Math.abs(v);
            beta /= x.length;
            double[] sx = new double[x.length], sf = new double[f.length];
            for (int i = 0; i < x.length; i++) sx[i] = x[i] >= 0 ? 1 : -1;
            for (int i = 0; i < f.length; i++) sf[i] = f[i] >= 0 ? 1 : -1;
            double[] ref = ReferenceOps.conv2d(sx, h, w, c, sf, null, oc, 3, 3, g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.outH(), g.outW(), -1e9, 1e9);
            int per = 9 * c;
            for (int i = 0; i < ref.length; i++) {
                int o = i % oc;
                double alpha = 0;
                for (int k = 0; k < per; k++) alpha += Math.abs(f[o * per + k]);
                assertEquals(ref[i] * alpha / per * beta, y[i], 1e-3, "trial " + trial + " element " + i);
            }
        }
    }
}
