package dev.winnow.runtime.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Float16Test {
    /** binary16 by its definition: sign · 2^(e−15) · (1 + m/1024), subnormals sign · 2^−14 · m/1024. */
    static double reference(int bits) {
        int s = bits >>> 15, e = (bits >>> 10) & 31, m = bits & 1023;
        double v = e == 0 ? Math.scalb(m / 1024.0, -14) : e == 31 ? (m == 0 ? Double.POSITIVE_INFINITY : Double.NaN) : Math.scalb(1 + m / 1024.0, e - 15);
        return s == 1 ? -v : v;
    }

    @Test
    void everyBitPatternDecodesExactly() {
        for (int bits = 0; bits < 65536; bits++) {
            double want = reference(bits);
            float got = Float16.toFloat((short) bits);
            if (Double.isNaN(want)) assertTrue(Float.isNaN(got), "NaN " + bits);
            else assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), "bits " + Integer.toHexString(bits));
            assertEquals(!Double.isNaN(want) && !Double.isInfinite(want), Float16.isFinite((short) bits));
            // and back: every finite value round-trips
            if (!Double.isNaN(want)) assertEquals((short) bits, Float16.fromFloat(got), "round trip " + Integer.toHexString(bits));
        }
    }

    @Test
    void encodingRoundsToTheNearestEven() {
        Random r = new Random(1);
        for (int t = 0; t < 200_000; t++) {
            float f = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 25));
            short h = Float16.fromFloat(f);
            double got = reference(h & 0xffff);
            if (Math.abs(f) >= 65520) { assertTrue(Double.isInfinite(got)); continue; }
            // no other binary16 value is nearer; at a tie the even mantissa wins
            for (int nb : new int[] {(h & 0xffff) - 1, (h & 0xffff) + 1}) {
                if (nb < 0 || nb > 0xffff || ((nb >>> 10) & 31) == 31) continue;
                double other = reference(nb);
                if (Math.signum(other) != Math.signum(got) && got != 0) continue;
                double dg = Math.abs(got - f), dn = Math.abs(other - f);
                assertTrue(dg < dn || (dg == dn && (h & 1) == 0), f + " → " + got + ", but " + other + " is nearer");
            }
        }
        assertEquals(0x3c00, Float16.fromFloat(1f));
        assertEquals((short) 0xfc00, Float16.fromFloat(Float.NEGATIVE_INFINITY));
        assertFalse(Float16.isFinite(Float16.fromFloat(Float.NaN)));
    }

    @Test
    void artifactsKeepFloat16AndRefuseNonFiniteValues() throws Exception {
        short[] h = {Float16.fromFloat(0.1666f), Float16.fromFloat(-3f), Float16.fromFloat(65504f)};
        ArtifactWriter w = new ArtifactWriter(Metadata.builder("half", "test").input("x", new int[] {1}, "float32", "features", null).build());
        w.addFloat16("w", new int[] {3}, h);
        Artifact a = ArtifactReader.read(w.toBytes());
        TensorData t = a.tensor("w");
        assertEquals(DType.FLOAT16, t.dtype());
        assertEquals(6, t.storedBytes());
        float[] f = t.toFloatArray();
        for (int i = 0; i < 3; i++) assertEquals(Float16.toFloat(h[i]), f[i]);
        assertThrows(IllegalArgumentException.class, () -> w.addFloat16("bad", new int[] {1}, new short[] {(short) 0x7c00}));
    }
}
