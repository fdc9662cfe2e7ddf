package dev.winnow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.base.Requantizer;
import dev.winnow.runtime.kernel.simd.RequantizePixelsSimd;
import dev.winnow.runtime.kernel.simd.RequantizeSimd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector requantizations ({@link RequantizeSimd}, {@link RequantizePixelsSimd} per channel and uniform) against {@link Requantizer#apply} (itself checked against TFLite's two
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

    private static final double[] MAGNITUDES = {1 << 10, 3.7, 1.0, 0.37, 1e-4, 3e-10};
    private static final int[] SPECIALS = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30), 12345, -12345};
    private static final int[][] CLAMPS = {{-128, 127}, {-5, 127}, {-128, -100}};

    private static int accumulator(Random r, int trial) {
        return switch (trial % 4) {
            case 0 -> SPECIALS[r.nextInt(SPECIALS.length)];
            case 1 -> r.nextInt();
            case 2 -> r.nextInt(1 << 16) - (1 << 15);
            default -> r.nextInt(512) - 256;
        };
    }

    @Test
    void oneChannelsRunEqualsTheScalarOneBitForBit() {
        assertTrue(RequantizePixelsSimd.fits(RequantizePixelsSimd.lanes()), "the tests run with the Vector API module on a JVM whose long and int vectors share a shape");
        Random r = new Random(6);
        int checked = 0;
        for (double magnitude : MAGNITUDES) {
            for (int zp : new int[] {-128, 0, 17, 127}) {
                for (int[] clamp : CLAMPS) {
                    Requantizer scalar = new Requantizer(1, 1f, new float[] {(float) (magnitude * (0.5 + r.nextDouble()))}, 1f, zp, clamp[0], clamp[1]);
                    for (int trial = 0; trial < 20; trial++) {
                        int off = trial % 3, n = 5 * RequantizePixelsSimd.lanes() + trial;   // whole vectors and a tail the caller keeps
                        int[] acc = new int[off + n];
                        for (int k = 0; k < acc.length; k++) acc[k] = accumulator(r, trial);
                        int[] original = acc.clone();
                        int done = RequantizePixelsSimd.uniform(scalar.multiplier(0), scalar.shift(0), zp, clamp[0], clamp[1]).applyRun(acc, off, n);
                        assertTrue(done == n - n % RequantizePixelsSimd.lanes(), done + " of " + n);
                        for (int k = 0; k < done; k++) {
                            assertTrue(acc[off + k] == scalar.apply(original[off + k], 0),
                                    "accumulator " + original[off + k] + ", scale near " + magnitude + ", zero point " + zp + ": " + acc[off + k] + " against " + scalar.apply(original[off + k], 0));
                        }
                        for (int k = done; k < n; k++) assertTrue(acc[off + k] == original[off + k], "past the whole vectors nothing changes");
                        checked += done;
                    }
                }
            }
        }
        assertTrue(checked > 30_000, checked + " values compared");
    }

    @Test
    void wholePixelsEqualTheScalarOneBitForBit() {
        int lanes = RequantizePixelsSimd.lanes();
        assertTrue(RequantizePixelsSimd.fits(2 * lanes), "the tests run with the Vector API module");
        Random r = new Random(7);
        int checked = 0;
        for (int channels : new int[] {lanes, 2 * lanes, 4 * lanes}) {
            for (double magnitude : MAGNITUDES) {
                for (int zp : new int[] {-128, 0, 17, 127}) {
                    for (int[] clamp : CLAMPS) {
                        float[] ws = new float[channels];
                        for (int c = 0; c < channels; c++) ws[c] = (float) (magnitude * (0.5 + r.nextDouble()) * (c % 5 == 0 ? 64 : 1));   // shifts differ across lanes
                        Requantizer scalar = new Requantizer(channels, 1f, ws, 1f, zp, clamp[0], clamp[1]);
                        RequantizePixelsSimd vector = new RequantizePixelsSimd(scalar);
                        for (int trial = 0; trial < 8; trial++) {
                            int off = trial % 3, pixels = 1 + trial % 4;
                            int[] acc = new int[off + pixels * channels + 2];
                            for (int k = 0; k < acc.length; k++) acc[k] = accumulator(r, trial);
                            int[] original = acc.clone();
                            vector.apply(acc, off, pixels);
                            for (int k = 0; k < pixels * channels; k++) {
                                int expected = scalar.apply(original[off + k], k % channels);
                                assertTrue(acc[off + k] == expected, "channel " + k % channels + " of " + channels + ", accumulator " + original[off + k] + ": " + acc[off + k] + " against " + expected);
                            }
                            assertTrue(acc[off + pixels * channels] == original[off + pixels * channels], "nothing past the pixels changes");
                            checked += pixels * channels;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 30_000, checked + " values compared");
    }
}
