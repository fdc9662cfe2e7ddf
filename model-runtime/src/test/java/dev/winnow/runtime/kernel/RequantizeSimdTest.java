package dev.winnow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.base.Requantizer;
import dev.winnow.runtime.kernel.simd.RequantizeSimd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector requantization against {@link Requantizer#apply} (itself checked against TFLite's two
 * calls in FixedPointTest), bit for bit: every accumulator extreme, multipliers from 2^10 down to
 * 2^-31 (left shifts, no shift, right shifts up to 31), zero points at both ends and clamps.
 */
class RequantizeSimdTest {
    @Test
    void vectorRequantizationEqualsTheScalarOneBitForBit() {
        assertTrue(VectorSupport.modulepresent(), "the tests run with the Vector API module");
        Random r = new Random(5);
        int channels = 3 * RequantizeSimd.lanes() + 5;   // whole vectors and a scalar tail
        float[][] weightScales = new float[6][channels];
        double[] magnitudes = {1 << 10, 3.7, 1.0, 0.37, 1e-4, 3e-10};
        for (int m = 0; m < magnitudes.length; m++) {
            for (int c = 0; c < channels; c++) weightScales[m][c] = (float) (magnitudes[m] * (0.5 + r.nextDouble()));
        }
        int[] specials = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30), 12345, -12345};
        int[][] clamps = {{-128, 127}, {-5, 127}, {-128, -100}};
        int checked = 0;
        for (float[] ws : weightScales) {
            for (int zp : new int[] {-128, 0, 17, 127}) {
                for (int[] clamp : clamps) {
                    Requantizer scalar = new Requantizer(channels, 1f, ws, 1f, zp, clamp[0], clamp[1]);
                    RequantizeSimd vector = new RequantizeSimd(scalar);
                    for (int trial = 0; trial < 20; trial++) {
                        int[] acc = new int[channels + 4];
                        for (int k = 0; k < acc.length; k++) {
                            acc[k] = switch (trial % 4) {
                                case 0 -> specials[r.nextInt(specials.length)];
                                case 1 -> r.nextInt();
                                case 2 -> r.nextInt(1 << 16) - (1 << 15);
                                default -> r.nextInt(512) - 256;
                            };
                        }
                        int off = trial % 4, c0 = trial % 3, n = channels - c0;
                        byte[] expected = new byte[n], got = new byte[n + 2];
                        for (int k = 0; k < n; k++) expected[k] = scalar.apply(acc[off + k], c0 + k);
                        vector.apply(acc, off, c0, n, got, 2);
                        assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, 2, got.length),
                                "scales near " + ws[0] + ", zero point " + zp + ", clamp " + clamp[0] + ".." + clamp[1] + ", trial " + trial);
                        checked += n;
                    }
                }
            }
        }
        assertTrue(checked > 30_000, checked + " values compared");
    }
}
