package dev.winnow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.simd.QuantizeSimd;
import dev.winnow.runtime.quant.QuantParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Floats to int8 on vectors give QuantParams.quantize's bits: ties, their neighbours, NaN, infinities and random values. */
class QuantizeTest {

    /** Every tie k + 0.5 over the int8 range and past it, the floats on either side, and the special values. */
    private static float[] hardValues() {
        List<Float> v = new ArrayList<>();
        for (int k = -400; k <= 400; k++) {
            float tie = k + 0.5f;
            v.add(tie);
            v.add(Math.nextUp(tie));
            v.add(Math.nextDown(tie));
            v.add((float) k);
        }
        for (float f : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
                0.49999997f, -0.49999997f, 1e-30f, 4194303.5f, -4194303.5f, 8388607f, 1e9f, -1e9f, Float.MAX_VALUE, -Float.MAX_VALUE}) {
            v.add(f);
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    /** {@link Quantize#floats} (the path this JVM takes) and, where the module is, {@link QuantizeSimd} itself, against the scalar. */
    private static void check(float[] x, float inv, int zp, int off, String what) {
        int n = x.length - off;
        byte[] got = new byte[n + 3];
        Quantize.floats(x, off, n, inv, zp, got, 3, new int[Quantize.scratchInts() + 2], 2);
        for (int k = 0; k < n; k++) {
            assertEquals(QuantParams.quantize(x[off + k], inv, zp), got[3 + k], what + ": value " + x[off + k] + " x " + inv + " + " + zp);
        }
        if (!VectorSupport.modulepresent() || !QuantizeSimd.fits()) return;
        byte[] vec = new byte[n + 3];
        int done = QuantizeSimd.quantize(x, off, n, inv, zp, vec, 3, new int[QuantizeSimd.scratchInts() + 2], 2);
        for (int k = 0; k < done; k++) {
            assertEquals(QuantParams.quantize(x[off + k], inv, zp), vec[3 + k], what + ", vectors: value " + x[off + k] + " x " + inv + " + " + zp);
        }
    }

    @Test
    void tiesNeighboursAndSpecialValuesGiveTheScalarBits() {
        float[] hard = hardValues();
        for (int zp : new int[] {-128, -7, 0, 3, 127}) {
            for (int off = 0; off < 3; off++) {
                check(hard, 1f, zp, off, "scale 1");
                check(hard, 0.5f, zp, off, "scale 2");
                check(hard, 1f / 0.0039215689f, zp, off, "scale 1/255");
            }
        }
    }

    @Test
    void valuesPastTheIntRangeSaturateWhateverTheZeroPoint() {
        // Math.round saturates at the int range; the zero point must not wrap the sum around to the other end
        assertEquals(-128, QuantParams.quantize(Float.NEGATIVE_INFINITY, 1f, -128));
        assertEquals(-128, QuantParams.quantize(-1e10f, 1f, -5));
        assertEquals(127, QuantParams.quantize(Float.POSITIVE_INFINITY, 1f, 127));
        assertEquals(127, QuantParams.quantize(1e10f, 1f, 5));
        assertEquals(-128, new QuantParams(0.5f, -3).quantize(-1e30f));
    }

    @Test
    void randomValuesAndScalesGiveTheScalarBits() {
        Random r = new Random(17);
        for (int trial = 0; trial < 300; trial++) {
            float[] x = new float[1 + r.nextInt(200)];
            float spread = (float) Math.pow(10, r.nextInt(6) - 2);
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * spread);
            check(x, 1f / (float) Math.pow(10, r.nextInt(5) - 3) * (0.5f + r.nextFloat()), r.nextInt(256) - 128, r.nextInt(Math.min(3, x.length)), "trial " + trial);
        }
    }

    @Test
    void theVectorPathRunsOnJdk21AndLater() {
        // JDK 17's C2 boxed it in some JVMs, outside what VectorGuard's probes measure (Quantize's comment)
        assertEquals(VectorSupport.available() && QuantizeSimd.fits(), Quantize.scratchInts() > 0);
        if (!VectorSupport.modulepresent() || !QuantizeSimd.fits()) return;
        float[] x = new float[5 * QuantizeSimd.scratchInts() + 3];
        byte[] b = new byte[x.length];
        assertEquals(5 * QuantizeSimd.scratchInts(), QuantizeSimd.quantize(x, 0, x.length, 1f, 0, b, 0, new int[QuantizeSimd.scratchInts()], 0));
    }
}
