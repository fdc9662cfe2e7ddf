package dev.winnow.runtime.kernel;

import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard that turns vector requantization off in a JVM whose compiled kernels box vectors: when it
 * trips, the kernels built by default requantize with scalar code, giving the same bits; kernels built
 * with an explicit choice keep it; and the meter it trips on counts this thread's allocations exactly.
 */
class VectorGuardTest {
    private static volatile Object sink;

    @AfterEach
    void turnItBackOn() {
        VectorGuard.resetForTests();
    }

    @Test
    void probesComeAt256ThenEachFourTimesTheLast() {
        assertEquals(256, VectorGuard.probeAt(0));
        assertEquals(256, VectorGuard.probeAt(255));
        assertEquals(1024, VectorGuard.probeAt(256));
        assertEquals(4096, VectorGuard.probeAt(1024));
        assertEquals(Long.MAX_VALUE, VectorGuard.probeAt(Long.MAX_VALUE / 2));
    }

    @Test
    void theMeterCountsWhatThisThreadAllocatesAndNothingOfItsOwn() {
        assumeTrue(VectorGuard.canMeasure(), "this JVM does not count allocated bytes per thread");
        // a probe reads the meter twice around an invoke; with nothing between, the two agree but for a
        // rare event of the JIT's own (192 B once in 20,000 here), never twice in a row, and never over the limit
        int allocating = 0, inARow = 0, most = 0;
        long largest = 0;
        for (int i = 0; i < 20_000; i++) {
            long before = VectorGuard.allocatedBytes();
            long d = VectorGuard.allocatedBytes() - before;
            inARow = d != 0 ? inARow + 1 : 0;
            most = Math.max(most, inARow);
            if (d != 0) allocating++;
            largest = Math.max(largest, d);
        }
        assertTrue(allocating <= 3 && most <= 1 && largest <= VectorGuard.LIMIT_BYTES,
                allocating + " of 20,000 empty readings allocated, up to " + largest + " B, " + most + " in a row");
        long before = VectorGuard.allocatedBytes();
        sink = new byte[4096];
        long bytes = VectorGuard.allocatedBytes() - before;
        assertTrue(bytes >= 4096 && bytes < 8192, bytes + " B for a 4 kB array");
    }

    @Test
    void onTheJdk17DefaultTheGuardedPathsAreOnWhenTheGuardCanMeasure() {
        assumeTrue(VectorSupport.modulepresent() && System.getProperty("winnow.kernels.requantize") == null
                && System.getProperty("winnow.kernels.vector") == null);
        assertEquals(VectorGuard.canMeasure() || VectorSupport.available(), VectorSupport.vectorRequantization());
        assertEquals(VectorGuard.canMeasure() || VectorSupport.available(), VectorSupport.guardedVectorCells());
    }

    @Test
    void aTrippedGuardSendsTheDefaultKernelsToScalarCodeWithTheSameBits() {
        assumeTrue(VectorGuard.armed(), "vector requantization is not on by default in this JVM");
        Random r = new Random(7);
        QuantParams in = QuantParams.forRange(-3, 3), out = QuantParams.forRange(-6, 6);
        ConvGeometry stemG = ConvGeometry.same(24, 40, 1, 4, 3, 3, 2, 2);
        ConvGeometry convG = ConvGeometry.same(12, 16, 16, 32, 3, 3, 1, 1);
        ConvGeometry dwG = ConvGeometry.same(15, 20, 64, 64, 3, 3, 1, 1);
        Conv2dInt8ByRows stem = (Conv2dInt8ByRows) Conv2dInt8.prepare(stemG, bytes(r, 36), scales(r, 4), null, in, out, Activation.RELU6);
        Conv2dInt8Interior4 conv = (Conv2dInt8Interior4) Conv2dInt8.prepare(convG, bytes(r, 32 * 9 * 16), scales(r, 32), null, in, out, Activation.NONE);
        DepthwiseInt8Vector dw = (DepthwiseInt8Vector) DepthwiseConv2dInt8.prepare(dwG, bytes(r, 9 * 64), scales(r, 64), null, in, out, Activation.RELU6);
        Add.Int8 add = new Add.Int8(in, out, out, Activation.NONE);
        ConvGeometry headG = ConvGeometry.same(15, 20, 32, 4, 3, 3, 1, 1);
        Conv2dInt8Planes head = (Conv2dInt8Planes) Conv2dInt8.prepare(headG, bytes(r, 4 * 9 * 32), scales(r, 4), null, in, out, Activation.NONE);
        byte[] headX = bytes(r, headG.inputSize()), headBefore = new byte[headG.outputSize()], headAfter = new byte[headG.outputSize()];
        head.run(headX, 0, headBefore, 0, new int[head.scratchInts()], 0);
        Conv2dInt8ByRows pinned = new Conv2dInt8ByRows(stemG, bytes(r, 36), scales(r, 4), null, in, out, Activation.RELU6, true, true, false);
        // a float 3x3 conv whose 16 output channels JDK 17 runs in three-row blocks on 16 lanes: the passes once tripped, same bits
        ConvGeometry floatG = ConvGeometry.same(10, 12, 8, 16, 3, 3, 1, 1);
        Conv2d.Float32 floatConv = new Conv2d.Float32(floatG, gaussian(r, 16 * 9 * 8, 1), null, Activation.RELU);
        float[] floatX = gaussian(r, floatG.inputSize(), 1), floatBefore = new float[floatG.outputSize()], floatAfter = new float[floatG.outputSize()];
        floatConv.run(floatX, 0, floatBefore, 0);

        byte[][] before = runAll(stem, conv, dw, add, stemG, convG, dwG);
        assertTrue(stem.requantizesOnVectors() && conv.requantizesOnVectors() && dw.requantizesOnVectors() && add.requantizesOnVectors());
        assertEquals("int8-rows-vector-rq", stem.name());
        assertTrue(VectorGuard.describe().startsWith("vectors, watched"), VectorGuard.describe());

        assertFalse(VectorGuard.observe(0, "a graph that allocates nothing"));
        assertFalse(VectorGuard.observe(VectorGuard.LIMIT_BYTES, "a graph at the limit"));
        assertFalse(VectorGuard.tripped());
        assertTrue(VectorGuard.observe(4096, "a graph that boxes"));
        assertFalse(VectorGuard.observe(4096, "the same graph again"), "only the first turns it off");
        assertTrue(VectorGuard.tripped() && !VectorGuard.armed());

        assertFalse(stem.requantizesOnVectors() || conv.requantizesOnVectors() || dw.requantizesOnVectors() || add.requantizesOnVectors());
        assertEquals("int8-rows-vector", stem.name());
        assertEquals("scalar since calls kept allocating 4096 B on vectors (the JIT boxed them)", VectorGuard.describe());
        assertTrue(pinned.requantizesOnVectors(), "a kernel built with an explicit choice keeps it");
        byte[][] after = runAll(stem, conv, dw, add, stemG, convG, dwG);
        head.run(headX, 0, headAfter, 0, new int[head.scratchInts()], 0);
        assertArrayEquals(headBefore, headAfter, "the planes conv");
        floatConv.run(floatX, 0, floatAfter, 0);
        assertArrayEquals(floatBefore, floatAfter, "the float conv");
        for (int k = 0; k < before.length; k++) assertArrayEquals(before[k], after[k], "kernel " + k);
    }

    /** Each kernel on a fixed pseudo-random input: the stem, the 3x3 conv, the depthwise and the add. */
    private static byte[][] runAll(Conv2dInt8 stem, Conv2dInt8 conv, DepthwiseConv2dInt8 dw, Add.Int8 add,
                                   ConvGeometry stemG, ConvGeometry convG, ConvGeometry dwG) {
        Random r = new Random(11);
        byte[][] out = {new byte[stemG.outputSize()], new byte[convG.outputSize()], new byte[dwG.outputSize()], new byte[1000]};
        stem.run(bytes(r, stemG.inputSize()), 0, out[0], 0, new int[stem.scratchInts()], 0);
        conv.run(bytes(r, convG.inputSize()), 0, out[1], 0, new int[conv.scratchInts()], 0);
        dw.run(bytes(r, dwG.inputSize()), 0, out[2], 0, new int[dw.scratchInts()], 0);
        add.run(1000, bytes(r, 1000), 0, bytes(r, 1000), 0, out[3], 0, new int[add.scratchInts()], 0);
        return out;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static float[] scales(Random r, int n) {
        float[] s = gaussian(r, n, 0.002);
        for (int i = 0; i < n; i++) s[i] = Math.abs(s[i]) + 0.001f;
        return s;
    }
}
