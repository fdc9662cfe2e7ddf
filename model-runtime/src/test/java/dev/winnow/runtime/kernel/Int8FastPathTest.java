package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.simd.ConvInt8Simd;
import dev.winnow.runtime.quant.QuantParams;
import java.util.Random;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast int8 conv paths (packed longs, Vector API) and the channel-vector int8 depthwise give the reference loops' bytes exactly. */
class Int8FastPathTest {
    private static final Random R = new Random(11);

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        R.nextBytes(b);
        return b;
    }

    static float[] scales(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = 0.001f + 0.02f * R.nextFloat();
        return s;
    }

    static int[] bias(int n) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) b[i] = R.nextInt(4001) - 2000;
        return b;
    }

    /** Prepare picks one kernel class per path from the geometry, the bias and the JVM, and refuses weights that do not fit. */
    @Test
    void prepareChoosesTheKernelForTheConvolution() {
        QuantParams q = new QuantParams(0.02f, 0);
        ConvGeometry stem = ConvGeometry.of("same", 64, 64, 1, 8, 3, 3, 2, 2);
        // without vector kernels: the float bands wherever floats hold the sums exactly, else the packed loops
        assertEquals(Conv2dInt8Bands.class, Conv2dInt8.prepare(stem, bytes(8 * 9), scales(8), null, q, q, Activation.NONE, false).getClass());
        if (VectorSupport.modulepresent()) {
            assertEquals(Conv2dInt8ByRows.class, Conv2dInt8.prepare(stem, bytes(8 * 9), scales(8), null, q, q, Activation.NONE, true).getClass());
        }
        ConvGeometry g = ConvGeometry.of("same", 8, 8, 16, 32, 3, 3, 1, 1);
        byte[] filter = bytes(32 * 9 * 16);
        assertEquals(Conv2dInt8Bands.class, Conv2dInt8.prepare(g, filter, scales(32), bias(32), q, q, Activation.NONE, false).getClass());
        ConvGeometry wide = ConvGeometry.of("same", 8, 8, 64, 32, 3, 3, 1, 1); // fan-in 576: float sums could round
        assertEquals(Conv2dInt8Packed.class, Conv2dInt8.prepare(wide, bytes(32 * 9 * 64), scales(32), bias(32), q, q, Activation.NONE, false).getClass());
        if (VectorSupport.modulepresent() && ConvInt8Simd.fits(32)) {
            assertEquals(Conv2dInt8Interior4.class, Conv2dInt8.prepare(g, filter, scales(32), bias(32), q, q, Activation.NONE, true).getClass());
        }
        ConvGeometry score = ConvGeometry.of("same", 15, 20, 32, 4, 3, 3, 1, 1);   // a detection head: few output channels
        assertEquals(VectorSupport.modulepresent() ? Conv2dInt8Planes.class : Conv2dInt8Bands.class,
                Conv2dInt8.prepare(score, bytes(4 * 9 * 32), scales(4), bias(4), q, q, Activation.NONE, true).getClass());
        int[] huge = new int[32];
        huge[5] = Integer.MAX_VALUE - 1000; // a packed lane could overflow: only the reference is exact
        assertEquals(Conv2dInt8Reference.class, Conv2dInt8.prepare(g, filter, scales(32), huge, q, q, Activation.NONE, true).getClass());
        assertEquals(0, Conv2dInt8.reference(g, filter, scales(32), null, q, q, Activation.NONE).scratchInts());
        assertThrows(IllegalArgumentException.class, () -> Conv2dInt8.prepare(g, bytes(10), scales(32), null, q, q, Activation.NONE));
        assertThrows(IllegalArgumentException.class, () -> Conv2dInt8.prepare(g, filter, scales(31), null, q, q, Activation.NONE));
        assertThrows(IllegalArgumentException.class, () -> Conv2dInt8.prepare(g, filter, scales(32), new int[3], q, q, Activation.NONE));
    }

    /** The packed-long im2col path and, when the module is loaded, the Vector API path, against the reference loops. */
    @Test
    void convFastPathsMatchReference() {
        int[][] cases = {{240, 320, 1, 4, 3, 2}, {120, 160, 4, 16, 3, 2}, {15, 20, 32, 64, 1, 1}, {15, 20, 32, 1, 3, 1}, {7, 9, 3, 5, 5, 1},
            {8, 8, 2, 3, 3, 3}, {9, 13, 5, 17, 3, 1}, {6, 11, 3, 33, 3, 2}, {5, 6, 2, 16, 5, 1},
            {33, 41, 1, 5, 3, 1}, {30, 37, 1, 8, 5, 2}, {12, 70, 1, 3, 3, 3},
            {15, 20, 32, 4, 3, 1}, {10, 9, 6, 3, 4, 1}, {3, 40, 7, 15, 3, 1}};   // the planes kernel: stride 1, few output channels
        for (String pad : new String[] {"same", "valid"}) {
            for (int[] c : cases) {
                ConvGeometry g = ConvGeometry.of(pad, c[0], c[1], c[2], c[3], c[4], c[4], c[5], c[5]);
                byte[] filter = bytes(c[3] * c[4] * c[4] * c[2]);
                float[] scales = scales(c[3]);
                int[] bias = bias(c[3]);
                byte[] in = bytes(g.inputSize() + 5), a = new byte[g.outputSize() + 2];
                Conv2dInt8.reference(g, filter, scales, bias, new QuantParams(0.02f, -7), new QuantParams(0.05f, 3), Activation.RELU6).run(in, 5, a, 2);
                // the vector kernels with plain and with vector requantization (RequantizePixelsSimd: uniform by rows, per channel by pixels)
                QuantParams inQ = new QuantParams(0.02f, -7), outQ = new QuantParams(0.05f, 3);
                List<Conv2dInt8> kernels = new ArrayList<>();
                for (int mode = 0; mode < (VectorSupport.modulepresent() ? 3 : 1); mode++) {
                    kernels.add(Conv2dInt8.prepare(g, filter, scales, bias, inQ, outQ, Activation.RELU6, mode > 0, mode == 2));
                }
                // the scalar kernels the float bands displace where they fit: still the fallback, and timed dispatch's candidates
                kernels.add(new Conv2dInt8Packed(g, filter, scales, bias, inQ, outQ, Activation.RELU6));
                if (Conv2dInt8ByRows.fits(g)) kernels.add(new Conv2dInt8ByRows(g, filter, scales, bias, inQ, outQ, Activation.RELU6, false));
                for (Conv2dInt8 k : kernels) {
                    byte[] b = new byte[g.outputSize() + 2];
                    k.run(in, 5, b, 2, new int[k.scratchInts() + 3], 3, new float[k.planes()][k.planeFloats()]);
                    assertArrayEquals(a, b, pad + " " + java.util.Arrays.toString(c) + " " + k.name());
                }
            }
        }
    }

    /**
     * The packed lanes at their limits, on a pointwise conv over 64 channels. Even output channels (the
     * low lanes) read input channels 1–63, all at 255 from the zero point, through weights of −128, with
     * a bias that brings their sums to within one tap of −2^31 (inside the packed path's bound) or past
     * it (where only the reference loops are exact: a packed sum would carry into the next lane). Odd
     * channels (the high lanes) read only input channel 0, random, through a weight of ±1 and a
     * multiplier of 1, so every unit of their sums, a carry included, shows in the output.
     */
    @Test
    void convPackedLanesAreExactAtTheirBound() {
        int inC = 64, outC = 32, zp = -128;
        ConvGeometry g = ConvGeometry.same(5, 8, inC, outC, 1, 1, 1, 1);
        long room = Integer.MAX_VALUE - (long) inC * 255 * 128;
        for (int trial = 0; trial < 6; trial++) {
            byte[] in = new byte[g.inputSize()], filter = new byte[outC * inC];
            for (int i = 0; i < in.length; i++) in[i] = (byte) (i % inC == 0 ? R.nextInt(256) - 128 : 127);
            int[] bias = new int[outC];
            float[] scales = new float[outC];
            for (int oc = 0; oc < outC; oc++) {
                if (oc % 2 == 0) {
                    for (int ic = 1; ic < inC; ic++) filter[oc * inC + ic] = -128;
                    bias[oc] = (int) -(trial < 3 ? room - 1 : room + 32_700 + R.nextInt(5000));
                    scales[oc] = 1e-9f;
                } else {
                    int w = R.nextBoolean() ? 1 : -1;
                    filter[oc * inC] = (byte) w;
                    bias[oc] = w > 0 ? -128 + R.nextInt(9) : 127 - R.nextInt(9);
                    scales[oc] = 1f;
                }
            }
            QuantParams inQ = new QuantParams(1f, zp), outQ = new QuantParams(1f, 0);
            byte[] expected = new byte[g.outputSize()];
            Conv2dInt8.reference(g, filter, scales, bias, inQ, outQ, Activation.NONE).run(in, 0, expected, 0);
            java.util.Set<Byte> odd = new java.util.HashSet<>();
            for (int i = 1; i < expected.length; i += 2) odd.add(expected[i]);
            assertTrue(odd.size() > 50, "the high lanes' sums reach the output: " + odd.size() + " distinct bytes");
            List<Conv2dInt8> kernels = new ArrayList<>();
            for (boolean vector : VectorSupport.modulepresent() ? new boolean[] {false, true} : new boolean[] {false}) {
                kernels.add(Conv2dInt8.prepare(g, filter, scales, bias, inQ, outQ, Activation.NONE, vector));
            }
            assertEquals(trial < 3, Conv2dInt8Packed.fits(g, bias));
            if (trial < 3) kernels.add(new Conv2dInt8Packed(g, filter, scales, bias, inQ, outQ, Activation.NONE));   // the lanes at their bound
            for (Conv2dInt8 k : kernels) {
                byte[] got = new byte[g.outputSize()];
                k.run(in, 0, got, 0, new int[k.scratchInts()], 0, new float[k.planes()][k.planeFloats()]);
                assertArrayEquals(expected, got, "trial " + trial + (trial < 3 ? " (inside the bound)" : " (past it)") + " " + k.name());
            }
        }
    }

    /**
     * The float bands at the fan-in where floats stop holding the sums exactly: 514 input channels all 255
     * from the zero point, through weights of −128, sum to −16,776,960, just inside 2^24; random inputs
     * beside them. A fan-in of 515 is refused. Multipliers of 1 and a wide output range show every unit
     * of the sum's low bits.
     */
    @Test
    void floatBandsAreExactAtTheirFanInLimit() {
        int inC = Conv2dInt8Bands.MAX_FAN_IN, outC = 6;
        assertEquals(514, inC);
        assertFalse(Conv2dInt8Bands.fits(ConvGeometry.same(3, 4, inC + 1, outC, 1, 1, 1, 1)));
        ConvGeometry g = ConvGeometry.same(3, 4, inC, outC, 1, 1, 1, 1);
        byte[] in = new byte[g.inputSize()], filter = new byte[outC * inC];
        for (int i = 0; i < in.length; i++) in[i] = (byte) (i < inC ? 127 : R.nextInt(256) - 128);
        for (int i = 0; i < filter.length; i++) filter[i] = (byte) (i < inC ? -128 : R.nextInt(256) - 128);
        float[] scales = new float[outC];
        java.util.Arrays.fill(scales, 1e-6f);
        int[] bias = new int[outC];
        bias[0] = 16_776_960 + 5; // channel 0 at pixel 0: the extreme sum, brought back to 5
        scales[0] = 1f;
        QuantParams inQ = new QuantParams(1f, -128), outQ = new QuantParams(1f, 0);
        byte[] expected = new byte[g.outputSize()], got = new byte[g.outputSize()];
        Conv2dInt8.reference(g, filter, scales, bias, inQ, outQ, Activation.NONE).run(in, 0, expected, 0);
        assertEquals(5, expected[0]);
        Conv2dInt8Bands k = new Conv2dInt8Bands(g, filter, scales, bias, inQ, outQ, Activation.NONE);
        k.run(in, 0, got, 0, new int[0], 0, new float[k.planes()][k.planeFloats()]);
        assertArrayEquals(expected, got);
        assertThrows(IllegalStateException.class, () -> k.run(in, 0, got, 0, new int[0], 0), "the form without planes is refused");
    }

    /**
     * The float bands' requantization against {@link dev.winnow.runtime.kernel.base.Requantizer#apply}: random sums and
     * biases over every shift a multiplier can take (left shifts to 30, right shifts to 31), a multiplier of 0 (a scale
     * below 2^-32), and clamps at both ends.
     */
    @Test
    void floatBandsRequantizeAsTheReference() {
        ConvGeometry g = ConvGeometry.same(3, 40, 1, 1, 1, 1, 1, 1);
        FloatBands bands = new FloatBands(g, 3, 1);
        float[] acc = new float[bands.planeFloats];
        byte[] got = new byte[g.outputSize()];
        int checked = 0;
        for (int e = -40; e <= 29; e++) {
            float scale = (float) Math.scalb(0.75 + R.nextDouble() * 0.2, e);
            for (int[] clamp : new int[][] {{-128, 127}, {-20, 90}}) {
                dev.winnow.runtime.kernel.base.Requantizer rq = new dev.winnow.runtime.kernel.base.Requantizer(1, 1f, new float[] {scale}, 1f, R.nextInt(21) - 10,
                        clamp[0], clamp[1]);
                int bias = R.nextInt(2_000_001) - 1_000_000;
                for (int i = 0; i < acc.length; i++) acc[i] = R.nextInt(1 << 24) - (1 << 23);
                bands.requantize(acc, bias, rq, 0, got, 0, 0, g.outH());
                for (int r = 0; r < g.outH(); r++) {
                    for (int c = 0; c < g.outW(); c++) {
                        assertEquals(rq.apply((int) acc[r * bands.wp + c] + bias, 0), got[r * g.outW() + c], "scale 2^" + e + " row " + r + " col " + c);
                        checked++;
                    }
                }
            }
        }
        assertEquals(0, new dev.winnow.runtime.kernel.base.Requantizer(1, 1f, new float[] {1e-12f}, 1f, 0, -128, 127).multiplier(0), "a multiplier of 0 was tried");
        assertTrue(checked > 10_000);
    }

    /** Bands of a few rows each (the last one short in most of these), over every stride and padding of a 5x5 filter. */
    @Test
    void floatBandsSplitTheOutputIntoBands() {
        for (int stride = 1; stride <= 3; stride++) {
            for (String pad : new String[] {"same", "valid"}) {
                ConvGeometry g = ConvGeometry.of(pad, 151, 190, 3, 7, 5, 5, stride, stride);
                byte[] filter = bytes(7 * 25 * 3), in = bytes(g.inputSize());
                float[] scales = scales(7);
                int[] bias = bias(7);
                QuantParams inQ = new QuantParams(0.02f, 9), outQ = new QuantParams(0.04f, -3);
                Conv2dInt8Bands k = new Conv2dInt8Bands(g, filter, scales, bias, inQ, outQ, Activation.RELU6);
                assertTrue(k.bandRows() < g.outH(), "several bands: " + k.bandRows() + " rows of " + g.outH());
                assertTrue((long) k.planes() * k.planeFloats() <= FloatBands.PLANE_BUDGET, "planes within the budget");
                byte[] expected = new byte[g.outputSize()], got = new byte[g.outputSize()];
                Conv2dInt8.reference(g, filter, scales, bias, inQ, outQ, Activation.RELU6).run(in, 0, expected, 0);
                k.run(in, 0, got, 0, new int[0], 0, new float[k.planes()][k.planeFloats()]);
                assertArrayEquals(expected, got, pad + " stride " + stride);
            }
        }
    }

    @Test
    void everyDepthwiseVariantMatchesTheReferenceBitForBit() {
        // h, w, channels, stride, kernel: the detector's shapes, channel counts that are no multiple of a
        // vector, fewer channels than a vector, stride 2 and a 5x5 filter whose windows overhang two sides
        // and for the float bands: several bands with a short last one, stride 3
        int[][] cases = {{15, 20, 64, 1, 3}, {60, 80, 16, 2, 3}, {5, 7, 3, 1, 3}, {9, 11, 20, 1, 3}, {8, 13, 72, 2, 3}, {11, 13, 24, 2, 5}, {1, 1, 32, 1, 3},
            {61, 83, 5, 1, 3}, {40, 50, 7, 3, 5}};
        QuantParams[][] params = {{new QuantParams(0.03f, 12), new QuantParams(0.04f, -20)},
                                  {new QuantParams(0.5f, -128), new QuantParams(0.001f, 5)},      // multipliers above 1: left shifts, saturation
                                  {new QuantParams(0.0001f, 0), new QuantParams(0.9f, 0)}};      // tiny multipliers: long right shifts
        for (int[] c : cases) {
            for (QuantParams[] q : params) {
                ConvGeometry g = ConvGeometry.of(c[0] > 30 && q == params[1] ? "valid" : "same", c[0], c[1], c[2], c[2], c[4], c[4], c[3], c[3]);
                byte[] filter = bytes(c[4] * c[4] * c[2]), in = bytes(g.inputSize());
                float[] sc = scales(c[2]);
                int[] b = bias(c[2]);
                byte[] expected = new byte[g.outputSize()];
                DepthwiseConv2dInt8.reference(g, filter, sc, b, q[0], q[1], Activation.NONE).run(in, 0, expected, 0);
                List<DepthwiseConv2dInt8> variants = new ArrayList<>(List.of(new DepthwiseInt8Channels(g, filter, sc, b, q[0], q[1], Activation.NONE),
                        new DepthwiseInt8Bands(g, filter, sc, b, q[0], q[1], Activation.NONE)));
                if (VectorSupport.modulepresent() && c[2] >= dev.winnow.runtime.kernel.simd.DepthwiseInt8Simd.lanes()) {
                    variants.add(new DepthwiseInt8Vector(g, filter, sc, b, q[0], q[1], Activation.NONE, false));
                    variants.add(new DepthwiseInt8Vector(g, filter, sc, b, q[0], q[1], Activation.NONE, true));
                }
                for (DepthwiseConv2dInt8 k : variants) {
                    byte[] got = new byte[g.outputSize() + 5];
                    java.util.Arrays.fill(got, (byte) 77);
                    int[] s = new int[k.scratchInts() + 3];
                    k.run(in, 0, got, 5, s, 3, new float[k.planes()][k.planeFloats()]);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, 5, got.length), k.name() + " " + java.util.Arrays.toString(c) + " " + q[0] + " " + q[1]);
                }
            }
        }
    }

    @Test
    void depthwiseDispatchNamesItsKernelAndFallsBackToTheReferenceForMultipliers() {
        ConvGeometry g = ConvGeometry.same(15, 20, 64, 64, 3, 3, 1, 1);
        QuantParams q = new QuantParams(0.03f, 12);
        var chosen = DepthwiseConv2dInt8.dispatch("dw", KernelDispatch.Mode.SHAPE, g, bytes(9 * 64), scales(64), bias(64), q, q, Activation.RELU6);
        assertEquals(!VectorSupport.fixedRegisterKernels() ? "int8-dw-float-bands" : VectorGuard.armed() ? "int8-dw-vector-rq" : "int8-dw-vector",
                chosen.choice().variant());
        ConvGeometry m2 = ConvGeometry.same(6, 7, 8, 16, 3, 3, 1, 1);
        assertEquals("int8-dw-reference", DepthwiseConv2dInt8.dispatch("dw2", KernelDispatch.Mode.TIMED, m2, bytes(9 * 16), scales(16), bias(16), q, q,
                Activation.NONE).choice().variant());
    }
}
