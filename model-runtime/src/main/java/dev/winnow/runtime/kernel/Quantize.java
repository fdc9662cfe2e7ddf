package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.simd.QuantizeSimd;
import dev.winnow.runtime.quant.QuantParams;

/**
 * Floats to int8 with one tensor's scale and zero point, {@link QuantParams#quantize(float, float, int)}
 * element by element: on the Vector API where the module is ({@link QuantizeSimd}, the same bits; a
 * model's float input, 76,800 values a 320x240 frame, took 150 µs a frame on the scalar loop), else the
 * scalar loop. No vector is carried across its loop, so it runs on JDK 17 too
 * ({@link VectorSupport#fixedRegisterKernels()}). Stateless; any thread may call it with scratch of its own.
 */
public final class Quantize {
    private static final boolean VECTOR = VectorSupport.fixedRegisterKernels() && QuantizeSimd.fits();

    private Quantize() {}

    /** Ints of scratch {@link #floats} needs. */
    public static int scratchInts() {
        return VECTOR ? QuantizeSimd.scratchInts() : 0;
    }

    /** {@code dst[dstOff + k] = QuantParams.quantize(src[srcOff + k], invScale, zeroPoint)} for k < n. */
    public static void floats(float[] src, int srcOff, int n, float invScale, int zeroPoint, byte[] dst, int dstOff, int[] scratch, int scratchOff) {
        int done = VECTOR ? QuantizeSimd.quantize(src, srcOff, n, invScale, zeroPoint, dst, dstOff, scratch, scratchOff) : 0;
        for (int k = done; k < n; k++) dst[dstOff + k] = QuantParams.quantize(src[srcOff + k], invScale, zeroPoint);
    }
}
