package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

import static dev.winnow.runtime.testing.Tensors.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.runtime.quant.QuantParams;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * After warm-up the hot kernels, on the path this JVM chooses (see VectorSupport and VectorGuard),
 * allocate nothing per call.
 */
class KernelAllocationTest {

    @Test
    void hotKernelsAllocateNothingAfterWarmUp() {
        Random r = new Random(51);
        ConvGeometry g = ConvGeometry.same(10, 12, 8, 16, 3, 3, 1, 1);
        float[] x = gaussian(r, g.inputSize(), 1), y = new float[g.outputSize()];
        Conv2d.Float32 convV = new Conv2d.Float32(g, gaussian(r, 16 * 9 * 8, 1), null, Activation.RELU, VectorSupport.fixedRegisterKernels());
        Conv2d.Float32 convS = new Conv2d.Float32(g, gaussian(r, 16 * 9 * 8, 1), null, Activation.RELU, false);
        // two vectors of output channels on 16 lanes (one vector of 16 is convV's): ConvSimd.rows3's 4-row blocks
        ConvGeometry g32 = ConvGeometry.same(10, 12, 8, 32, 3, 3, 1, 1);
        Conv2d.Float32 conv32 = new Conv2d.Float32(g32, gaussian(r, 32 * 9 * 8, 1), null, Activation.RELU, VectorSupport.fixedRegisterKernels());
        float[] y32 = new float[g32.outputSize()], conv32s = new float[Math.max(1, conv32.scratchFloats())];
        ConvGeometry dg = ConvGeometry.same(10, 12, 8, 8, 3, 3, 1, 1);
        DepthwiseConv2d.Float32 dw = new DepthwiseConv2d.Float32(dg, gaussian(r, 9 * 8, 1), null, Activation.NONE, VectorSupport.fixedRegisterKernels());
        ConvGeometry dg5 = ConvGeometry.same(11, 13, 24, 24, 5, 5, 2, 2), dg3 = ConvGeometry.same(10, 12, 40, 40, 3, 3, 1, 1);
        DepthwiseConv2d.Float32 dw5 = new DepthwiseConv2d.Float32(dg5, gaussian(r, 25 * 24, 1), null, Activation.RELU, VectorSupport.fixedRegisterKernels());
        DepthwiseConv2d.Float32 dw3 = new DepthwiseConv2d.Float32(dg3, gaussian(r, 9 * 40, 1), null, Activation.RELU6, VectorSupport.fixedRegisterKernels());
        float[] dx = gaussian(r, dg3.inputSize(), 1), dy = new float[dg3.outputSize()];
        Dense.Float32 dense = new Dense.Float32(64, 10, gaussian(r, 640, 1), null, Activation.NONE, VectorSupport.available());
        QuantParams q = QuantParams.forRange(-2, 2);
        byte[] xq = new byte[g.inputSize()], yq = new byte[g.outputSize()];
        float[] ws = new float[16];
        java.util.Arrays.fill(ws, 0.01f);
        Conv2dInt8 convQ = Conv2dInt8.prepare(g, new byte[16 * 9 * 8], ws, null, q, q, Activation.NONE);
        Conv2dInt8 convRef = Conv2dInt8.reference(g, new byte[16 * 9 * 8], ws, null, q, q, Activation.NONE);
        BinaryDense bin = BinaryDense.fromFloat(256, 32, gaussian(r, 256 * 32, 1), null, Activation.NONE);
        long[] bits = new long[4];
        dev.winnow.runtime.family.Bonsai bonsaiV = new dev.winnow.runtime.testing.RandomBonsai(52, 16, 28, 26, 3, 1f, 0.3).family();
        float[] bonsaiScratch = new float[bonsaiV.scratchSize()];
        dev.winnow.runtime.family.QuantizedBonsai bonsaiQ = new dev.winnow.runtime.family.Int8Bonsai(bonsaiV);
        float[] bonsaiQf = new float[bonsaiQ.scratchFloats()];
        short[] bonsaiQs = new short[bonsaiQ.scratchInts()];
        int[] convQs = new int[convQ.scratchInts()];
        ConvGeometry sg = ConvGeometry.same(24, 40, 1, 4, 3, 3, 2, 2);  // a grayscale stem: the single-channel path
        Conv2dInt8 stem = Conv2dInt8.prepare(sg, new byte[4 * 9], new float[] {0.01f, 0.01f, 0.01f, 0.01f}, null, q, q, Activation.RELU6);
        byte[] sx = new byte[sg.inputSize()], sy = new byte[sg.outputSize()];
        int[] stemS = new int[stem.scratchInts()];
        // the kernel a JVM without vector kernels takes for both: float planes an arena would hold
        Conv2dInt8Bands bands = new Conv2dInt8Bands(g, new byte[16 * 9 * 8], ws, null, q, q, Activation.NONE);
        Conv2dInt8Bands stemBands = new Conv2dInt8Bands(sg, new byte[4 * 9], new float[] {0.01f, 0.01f, 0.01f, 0.01f}, null, q, q, Activation.RELU6);
        float[][] bandPlanes = new float[bands.planes()][bands.planeFloats()], stemPlanes = new float[stemBands.planes()][stemBands.planeFloats()];
        float[] cw = gaussian(r, 8 * 16, 0.3), cu = gaussian(r, 64, 0.3);
        dev.winnow.runtime.family.Q15FastGrnnCell cell = new dev.winnow.runtime.family.Q15FastGrnnCell(
                new dev.winnow.runtime.family.FastGrnnCell.Weights(16, 8, 0, 0, cw, null, cu, null, new float[8], new float[8], 1f, 0f),
                12, dev.winnow.runtime.family.Q15FastGrnnCell.Gates.SMOOTH);
        short[] cx = new short[16], ch = new short[8];
        int[] cs = new int[cell.scratchSize()], cwx = new int[8];
        float[] convVs = new float[convV.scratchFloats()];
        ConvGeometry pg = ConvGeometry.same(6, 7, 24, 40, 1, 1, 1, 1), ng = ConvGeometry.same(6, 7, 24, 4, 1, 1, 1, 1);
        Conv2d.Float32 pointwise = new Conv2d.Float32(pg, gaussian(r, 40 * 24, 1), null, Activation.RELU6, VectorSupport.fixedRegisterKernels());
        Conv2d.Float32 narrow = new Conv2d.Float32(ng, gaussian(r, 4 * 24, 1), null, Activation.NONE, VectorSupport.fixedRegisterKernels());
        float[] px = gaussian(r, pg.inputSize(), 1), py = new float[pg.outputSize()];
        float[] ps = new float[Math.max(1, Math.max(pointwise.scratchFloats(), narrow.scratchFloats()))];
        ConvGeometry qg = ConvGeometry.same(15, 20, 64, 64, 3, 3, 1, 1);
        DepthwiseConv2dInt8 dwQ = DepthwiseConv2dInt8.prepare(qg, new byte[9 * 64], new float[] {0.01f}, null, q, q, Activation.RELU6);
        byte[] dqx = new byte[qg.inputSize()], dqy = new byte[qg.outputSize()];
        int[] dqs = new int[dwQ.scratchInts()];
        DepthwiseInt8Bands dwBands = new DepthwiseInt8Bands(qg, new byte[9 * 64], new float[] {0.01f}, null, q, q, Activation.RELU6);
        float[][] dwPlanes = new float[dwBands.planes()][dwBands.planeFloats()];
        ConvGeometry hg = ConvGeometry.same(15, 20, 32, 4, 3, 3, 1, 1);   // a detection head's score conv: the planes kernel
        byte[] hw = new byte[4 * 9 * 32];
        r.nextBytes(hw);
        Conv2dInt8 head = Conv2dInt8.prepare(hg, hw, new float[] {0.01f, 0.01f, 0.01f, 0.01f}, null, q, q, Activation.NONE);
        byte[] hx = new byte[hg.inputSize()], hy = new byte[hg.outputSize()];
        int[] hs = new int[head.scratchInts()];
        float[] qx = gaussian(r, 320 * 24, 100);
        byte[] qy = new byte[qx.length];
        int[] qs = new int[Quantize.scratchInts()];
        Random rr = new Random(53);
        dev.winnow.runtime.family.RnnPool pool = new dev.winnow.runtime.family.RnnPool(
                new dev.winnow.runtime.family.FastGrnnCell(16, 8, gaussian(rr, 128, 0.3), null, null, gaussian(rr, 64, 0.3), null, null, gaussian(rr, 8, 0.3), gaussian(rr, 8, 0.3), 1f, 0f),
                new dev.winnow.runtime.family.FastGrnnCell(8, 8, gaussian(rr, 64, 0.3), null, null, gaussian(rr, 64, 0.3), null, null, gaussian(rr, 8, 0.3), gaussian(rr, 8, 0.3), 1f, 0f), 4, 4);
        dev.winnow.runtime.family.Int8RnnPoolLayer rnnPool = new dev.winnow.runtime.family.Int8RnnPoolLayer(
                new dev.winnow.runtime.family.RnnPoolLayer(pool, 20, 24, 4, false), 20, 24, 4, false, q, q);
        byte[] rx = new byte[20 * 24 * 16], ry = new byte[rnnPool.outH() * rnnPool.outW() * rnnPool.outC()];
        short[] pss = new short[rnnPool.scratchShorts()];
        int[] psi = new int[rnnPool.scratchInts()];
        dev.winnow.runtime.family.FastGrnnCell floatCell = new dev.winnow.runtime.family.FastGrnnCell(3, 16, gaussian(rr, 48, 0.3), null, null,
                gaussian(rr, 256, 0.3), null, null, gaussian(rr, 16, 0.3), gaussian(rr, 16, 0.3), 1f, 0f,
                VectorSupport.available(), VectorSupport.available());   // the path each JDK takes by default
        float[] fcx = gaussian(rr, 3, 1), fch = new float[16], fcs = new float[floatCell.scratchSize()];
        Conv2d.Float32 stemF = new Conv2d.Float32(sg, gaussian(rr, 4 * 9, 1), null, Activation.RELU6, VectorSupport.fixedRegisterKernels());
        float[] sfx = gaussian(rr, sg.inputSize(), 1), sfy = new float[sg.outputSize()], sfs = new float[Math.max(1, stemF.scratchFloats())];
        Runnable[] kernels = {
            () -> convV.run(x, 0, y, 0, convVs, 0),
            () -> convS.run(x, 0, y, 0),
            () -> pointwise.run(px, 0, py, 0, ps, 0),
            () -> narrow.run(px, 0, py, 0, ps, 0),
            () -> dw.run(x, 0, y, 0),
            () -> dw5.run(dx, 0, dy, 0),
            () -> dw3.run(dx, 0, dy, 0),
            () -> dense.run(x, 0, y, 0),
            () -> convRef.run(xq, 0, yq, 0),
            () -> bin.run(bits, 0, BinaryPacking.pack(x, 0, 256, bits, 0), y, 0),
            () -> Softmax.float32(1, 10, y, 0, y, 10),
            () -> Elementwise.float32(Elementwise.Function.SIGMOID, 100, x, 0, y, 0),
            () -> bonsaiV.predict(x, 0, y, 0, bonsaiScratch, 0),
            () -> bonsaiQ.predict(x, 0, y, 0, bonsaiQf, 0, bonsaiQs, 0),
            () -> convQ.run(xq, 0, yq, 0, convQs, 0),
            () -> conv32.run(x, 0, y32, 0, conv32s, 0),
            () -> stem.run(sx, 0, sy, 0, stemS, 0),
            () -> dwQ.run(dqx, 0, dqy, 0, dqs, 0),
            () -> rnnPool.run(rx, 0, ry, 0, pss, 0, psi, 0),
            () -> floatCell.step(fcx, 0, fch, 0, fcs, 0),
            () -> stemF.run(sfx, 0, sfy, 0, sfs, 0),
            () -> cell.step(cx, 0, ch, 0, cs, 0),
            () -> head.run(hx, 0, hy, 0, hs, 0),
            () -> Quantize.floats(qx, 0, qx.length, 0.7f, -3, qy, 0, qs, 0),
            () -> bands.run(xq, 0, yq, 0, convQs, 0, bandPlanes),
            () -> stemBands.run(sx, 0, sy, 0, stemS, 0, stemPlanes),
            () -> dwBands.run(dqx, 0, dqy, 0, dqs, 0, dwPlanes),
            () -> {
                cell.projectInput(cx, 0, cwx, 0, cs, 0);
                cell.stepProjected(cwx, 0, ch, 0, cs, 0);
            },
        };
        StringBuilder report = new StringBuilder();
        for (int k = 0; k < kernels.length; k++) {
            long bytes = allocationAfterWarmUp(kernels[k], 200);
            if (bytes != 0 && VectorGuard.observe(bytes, "kernel " + k)) {
                // as an interpreter's probe would: C2 boxed the vector requantization in this JVM, and the
                // guard sends the default kernels to scalar requantization, which must then allocate nothing
                System.out.println("kernel " + k + " allocated " + bytes + " B in 200 calls with vector requantization; the guard turned it off");
                bytes = allocationAfterWarmUp(kernels[k], 200);
            }
            if (bytes != 0) report.append("kernel ").append(k).append(": ").append(bytes).append(" B; ");
        }
        assertEquals("", report.toString(), "bytes allocated by 200 calls after warm-up (and after the requantization guard)");
    }
}
