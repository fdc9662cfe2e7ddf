package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.simd.QuantizeSimd;
import dev.winnow.runtime.quant.QuantParams;

/**
 * Floats to int8 with one tensor's scale and zero point, {@link QuantParams#quantize(float, float, int)}
 * element by element: on the Vector API on JDK 21+ ({@link QuantizeSimd}, the same bits; a model's float
 * input, 76,800 values a 320x240 frame, takes 180 µs on the scalar loop on JDK 25, 49 on vectors), else
 * the scalar loop. On JDK 17 with the module C2 compiled it to allocating code in some JVMs (49 kB a call
 * of a 768-value quantize op in the test JVM that runs every kernel; none in the detector's JMH JVM), and
 * setInput runs outside the invokes an interpreter's probes measure, so {@link VectorGuard} could not
 * catch it there. Stateless; any thread may call it with scratch of its own.
 */
public final class Quantize {
    private static final boolean VECTOR = VectorSupport.available() && QuantizeSimd.fits();

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
