package dev.winnow.runtime.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedPointTest {

    @Test
    void quantizedMultipliersRepresentTheRealMultiplier() {
        Random r = new Random(41);
        for (int i = 0; i < 100_000; i++) {
            double m = Math.exp(r.nextDouble() * 40 - 30); // 1e-13 .. 2e4
            FixedPoint.Multiplier q = FixedPoint.quantizeMultiplier(m);
            assertTrue(q.multiplier() >= (1 << 30) || q.multiplier() == 0, "normalised to [0.5, 1) in Q31");
            if (q.multiplier() != 0) assertEquals(m, q.value(), m * Math.pow(2, -30));
        }
        assertEquals(new FixedPoint.Multiplier(1 << 30, 0), FixedPoint.quantizeMultiplier(0.5));
        assertEquals(new FixedPoint.Multiplier(1 << 30, 1), FixedPoint.quantizeMultiplier(1.0));
        assertEquals(new FixedPoint.Multiplier(1 << 30, -1), FixedPoint.quantizeMultiplier(0.25));
        assertEquals(new FixedPoint.Multiplier(0, 0), FixedPoint.quantizeMultiplier(0));
    }

    @Test
    void roundingDivideByPowerOfTwoRoundsHalfAwayFromZero() {
        Random r = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            int x = r.nextInt();
            int e = r.nextInt(31);
            long expected = new BigDecimal(x).divide(BigDecimal.valueOf(1L << e)).setScale(0, RoundingMode.HALF_UP).longValueExact();
            assertEquals(expected, FixedPoint.roundingDivideByPot(x, e), x + " / 2^" + e);
        }
        assertEquals(2, FixedPoint.roundingDivideByPot(3, 1));
        assertEquals(-2, FixedPoint.roundingDivideByPot(-3, 1));
    }

    @Test
    void requantizationMatchesExactArithmetic() {
        Random r = new Random(43);
        for (int i = 0; i < 200_000; i++) {
            int acc = r.nextInt(1 << 24) - (1 << 23);
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(Math.exp(r.nextDouble() * 12 - 14));
            BigDecimal exact = new BigDecimal(acc).multiply(new BigDecimal(m.multiplier())).multiply(new BigDecimal(Math.pow(2, m.shift() - 31)));
            int got = FixedPoint.multiplyByQuantizedMultiplier(acc, m.multiplier(), m.shift());
            double frac = exact.abs().remainder(BigDecimal.ONE).doubleValue();
            long rounded = exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
            // two roundings (the doubling high multiply, then the shift) may differ from one only on near-ties
            // the first rounding moves the value by at most half a unit of 2^-right of the result
            double window = Math.pow(2, -(Math.max(0, -m.shift()) + 1)) + 1e-9;
            if (Math.abs(frac - 0.5) > window) assertEquals(rounded, got, acc + " * " + m);
            else assertTrue(Math.abs(rounded - got) <= 1);
        }
        assertEquals(Integer.MAX_VALUE, FixedPoint.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        assertEquals(50, FixedPoint.multiplyByQuantizedMultiplier(100, 1 << 30, 0));
        assertEquals(400, FixedPoint.multiplyByQuantizedMultiplier(100, 1 << 30, 3));
    }

    @Test
    void quantParamsCoverTheRangeAndZero() {
        QuantParams p = QuantParams.forRange(-1, 3);
        assertEquals(4 / 255.0, p.scale(), 1e-7);
        assertEquals(0f, p.dequantize(p.zeroPoint()));
        assertEquals(-1, p.dequantize(-128), p.scale());
        assertEquals(3, p.dequantize(127), p.scale());
        assertEquals(p.quantize(0.5f), p.quantize(p.dequantize(p.quantize(0.5f))), "round trip is stable");
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(1f, 200));
    }

    @Test
    void branchFreeRequantizationEqualsTheTfliteSteps() {
        java.util.Random r = new java.util.Random(11);
        int[] edges = {0, 1, -1, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30), 12345, -12345};
        for (int k = 0; k < 2_000_000; k++) {
            int x = k < edges.length * 40 ? edges[k % edges.length] : (k % 3 == 0 ? r.nextInt() : r.nextInt(1 << 20) - (1 << 19));
            // any multiplier (quantizeMultiplier's are in [2^30, 2^31)), any shift in [-31, 30]
            int m = k % 7 == 0 ? Integer.MIN_VALUE : (k % 3 == 0 ? r.nextInt() : (1 << 30) + r.nextInt(1 << 30));
            int shift = r.nextInt(62) - 31;
            if (k % 5 == 0) shift = Math.min(shift, 0);
            int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
            int expected = FixedPoint.roundingDivideByPot(FixedPoint.saturatingRoundingDoublingHighMul(x * (1 << left), m), right);
            assertEquals(expected, FixedPoint.multiplyByQuantizedMultiplier(x, m, shift), x + " * " + m + " shift " + shift);
        }
    }
}
