package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.kernel.VectorGuardTesting;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.runtime.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Int8RnnPoolLayerTest {

    @Test
    void tracksTheFloatLayerWithinItsQuantizationSteps() throws Exception {
        RnnPool vww = RnnPoolKnownAnswerTest.vww();
        int h = 22, w = 26, c = 8;
        RnnPoolLayer f = new RnnPoolLayer(vww, h, w, 4, true);
        QuantParams in = QuantParams.forRange(-1, 1), out = QuantParams.forRange(-1.5, 1.5);
        Int8RnnPoolLayer q = new Int8RnnPoolLayer(f, h, w, 4, true, in, out);
        assertEquals(f.outH(), q.outH());
        assertEquals(f.outW(), q.outW());
        float[] x = Tensors.uniform(new Random(121), h * w * c, -1, 1);
        byte[] xq = new byte[x.length];
        float[] xd = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xq[i] = in.quantize(x[i]);
            xd[i] = in.dequantize(xq[i]);
        }
        float[] ref = new float[f.outH() * f.outW() * f.outC()];
        f.run(xd, 0, ref, 0, new float[f.scratchSize()], 0);
        byte[] y = new byte[ref.length];
        q.run(xq, 0, y, 0, new short[q.scratchShorts()], 0, new int[q.scratchInts()], 0);
        double worst = 0;
        for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(out.dequantize(y[i]) - ref[i]));
        // the output step is 3/255 = 0.0118: half a step of output rounding plus the Q15 cells' drift
        assertTrue(worst < 1.5 * out.scale(), "largest error " + worst + " (output step " + out.scale() + ")");
    }

    @Test
    void aTrippedVectorGuardSendsTheGatesToScalarCodeWithTheSameBits() throws Exception {
        assumeTrue(VectorGuard.armed() && VectorSupport.guardedVectorCells(), "the gates are not guarded vectors in this JVM");
        int h = 22, w = 26, c = 8;
        RnnPoolLayer f = new RnnPoolLayer(RnnPoolKnownAnswerTest.vww(), h, w, 4, true);
        QuantParams in = QuantParams.forRange(-1, 1), out = QuantParams.forRange(-1.5, 1.5);
        Int8RnnPoolLayer q = new Int8RnnPoolLayer(f, h, w, 4, true, in, out);
        byte[] x = new byte[h * w * c];
        new Random(5).nextBytes(x);
        byte[] vectors = new byte[q.outH() * q.outW() * q.outC()], scalar = new byte[vectors.length];
        try {
            assertTrue(q.vectorGates());
            q.run(x, 0, vectors, 0, new short[q.scratchShorts()], 0, new int[q.scratchInts()], 0);
            assertTrue(VectorGuard.observe(1 << 20, "a test graph"));
            assertFalse(q.vectorGates());
            q.run(x, 0, scalar, 0, new short[q.scratchShorts()], 0, new int[q.scratchInts()], 0);
        } finally {
            VectorGuardTesting.reset();
        }
        assertArrayEquals(vectors, scalar);
    }
}
