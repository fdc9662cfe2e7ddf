package dev.winnow.runtime.kernel;

/**
 * Whether the Vector API kernels are used: the JVM must have been started with
 * {@code --add-modules jdk.incubator.vector}, and run on JDK 21 or later. On JDK 17 the incubator's
 * C2 support boxes the vector accumulators of the convolution loop (measured here: 3 MB allocated
 * and 1.9 GMAC/s per call of a 60x80x16→32 conv, against 0 B and 30 GMAC/s on JDK 25), so there the
 * plain loops are faster. {@code -Dwinnow.kernels.vector=true|false} overrides the choice.
 * Classes in {@code kernel.simd} are only touched when this says yes, so a JVM without the module
 * never loads them.
 */
public final class VectorSupport {
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean AVAILABLE = decide();

    private VectorSupport() {}

    private static boolean decide() {
        String forced = System.getProperty("winnow.kernels.vector");
        if (forced != null) return MODULE && Boolean.parseBoolean(forced);
        return MODULE && Runtime.version().feature() >= 21;
    }

    /** True when the vector kernels are chosen by default. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * True when kernels whose vector accumulators are a fixed handful of registers (Bonsai's path
     * step, {@code BonsaiSimd}) use the Vector API: whenever the module is present, JDK 17 included,
     * where C2 keeps those in registers (measured: no allocation, 77 ns against 1 µs for the plain
     * loop over one 28 x 64 node). The same property overrides it.
     */
    public static boolean fixedRegisterKernels() {
        String forced = System.getProperty("winnow.kernels.vector");
        return MODULE && (forced == null || Boolean.parseBoolean(forced));
    }

    /** True when the vector kernels can be loaded at all (the module is present). */
    public static boolean modulepresent() {
        return MODULE;
    }
}
