package dev.winnow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.winnow.runtime.quant.QuantParams;
import java.util.Random;
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

    /** The packed-long im2col path and, when the module is loaded, the Vector API path, against the reference loops. */
    @Test
    void convFastPathsMatchReference() {
        int[][] cases = {{240, 320, 1, 4, 3, 2}, {120, 160, 4, 16, 3, 2}, {15, 20, 32, 64, 1, 1}, {15, 20, 32, 1, 3, 1}, {7, 9, 3, 5, 5, 1},
            {8, 8, 2, 3, 3, 3}, {9, 13, 5, 17, 3, 1}, {6, 11, 3, 33, 3, 2}, {5, 6, 2, 16, 5, 1},
            {33, 41, 1, 5, 3, 1}, {30, 37, 1, 8, 5, 2}, {12, 70, 1, 3, 3, 3}};
        for (String pad : new String[] {"same", "valid"}) {
            for (int[] c : cases) {
                ConvGeometry g = ConvGeometry.of(pad, c[0], c[1], c[2], c[3], c[4], c[4], c[5], c[5]);
                byte[] filter = bytes(c[3] * c[4] * c[4] * c[2]);
                float[] scales = scales(c[3]);
                int[] bias = bias(c[3]);
                byte[] in = bytes(g.inputSize() + 5), a = new byte[g.outputSize() + 2];
                new Conv2d.Int8(g, filter, scales, bias, new QuantParams(0.02f, -7), new QuantParams(0.05f, 3), Activation.RELU6, false).run(in, 5, a, 2);
                for (boolean vector : VectorSupport.modulepresent() ? new boolean[] {false, true} : new boolean[] {false}) {
                    Conv2d.Int8 k = new Conv2d.Int8(g, filter, scales, bias, new QuantParams(0.02f, -7), new QuantParams(0.05f, 3), Activation.RELU6, vector);
                    byte[] b = new byte[g.outputSize() + 2];
                    k.run(in, 5, b, 2, new int[k.scratchInts() + 3], 3);
                    assertArrayEquals(a, b, pad + " " + java.util.Arrays.toString(c) + (vector ? " vector" : " packed"));
                }
            }
        }
    }

    /** Biases near the int range leave the packed path (its lanes could carry): still the reference bytes. */
    @Test
    void convWithExtremeBiasFallsBackExactly() {
        ConvGeometry g = ConvGeometry.same(6, 7, 3, 4, 3, 3, 1, 1);
        int[] bias = {Integer.MAX_VALUE - 5, Integer.MIN_VALUE + 5, 1 << 30, -(1 << 30)};
        Conv2d.Int8 k = new Conv2d.Int8(g, bytes(4 * 27), scales(4), bias, new QuantParams(0.02f, -7), new QuantParams(0.05f, 3), Activation.NONE, false);
        byte[] in = bytes(g.inputSize()), a = new byte[g.outputSize()], b = new byte[g.outputSize()];
        k.run(in, 0, a, 0);
        k.run(in, 0, b, 0, new int[k.scratchInts()], 0);
        assertArrayEquals(a, b);
    }

    @Test
    void depthwiseChannelVectorMatchesReference() {
        int[][] cases = {{15, 20, 64, 1}, {60, 80, 16, 2}, {5, 7, 3, 1}};
        for (int[] c : cases) {
            ConvGeometry g = ConvGeometry.same(c[0], c[1], c[2], c[2], 3, 3, c[3], c[3]);
            DepthwiseConv2d.Int8 k = new DepthwiseConv2d.Int8(g, bytes(9 * c[2]), scales(c[2]), bias(c[2]),
                    new QuantParams(0.03f, 12), new QuantParams(0.04f, -20), Activation.NONE);
            byte[] in = bytes(g.inputSize()), a = new byte[g.outputSize()], b = new byte[g.outputSize()];
            k.run(in, 0, a, 0);
            k.run(in, 0, b, 0, new int[k.scratchInts()], 0);
            assertArrayEquals(a, b, java.util.Arrays.toString(c));
        }
    }
}
