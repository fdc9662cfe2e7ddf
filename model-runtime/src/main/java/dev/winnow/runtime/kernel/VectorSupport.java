package dev.winnow.runtime.kernel;

/**
 * Whether the Vector API kernels are used: the JVM must have been started with
 * {@code --add-modules jdk.incubator.vector}. Kernels whose vector accumulators are a fixed set of
 * registers carried through one counted loop without branches run on it whenever the module is present
 * ({@link #fixedRegisterKernels}); the others only on JDK 21 or later ({@link #available}), because on
 * JDK 17 C2 boxes accumulators carried through deeper loop nests or merged at branches (measured: an
 * earlier convolution loop nest allocated 3 MB and ran at 1.9 GMAC/s per call of a 60x80x16→32 conv on
 * JDK 17, against 0 B and 30 GMAC/s on JDK 25). {@code -Dwinnow.kernels.vector=true|false} overrides the choice.
 * Classes in {@code kernel.simd} are only touched when this says yes, so a JVM without the module
 * never loads them.
 *
 * <p>On JDK 17 a kernel that stays in registers alone can still be boxed in a full JVM: once vectors of
 * a second shape of the same element type have run anywhere in it (say 256-bit ints beside the
 * preferred 512-bit ones), C2 compiled the int kernels of both shapes to the allocating fallback. So
 * the kernels that run on JDK 17 by default keep to {@code SPECIES_PREFERRED} and vectors of its width
 * (benchmarks/README.md, "One vector shape per element type on JDK 17"), and KernelAllocationTest runs
 * them all in one JVM.
 */
public final class VectorSupport {
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final String FORCED = System.getProperty("winnow.kernels.vector");
    private static final boolean AVAILABLE = decide(Runtime.version().feature() >= 21);
    private static final boolean FIXED_REGISTER = decide(true);
    private static final String REQUANTIZE = System.getProperty("winnow.kernels.requantize");
    private static final boolean REQUANTIZATION = MODULE && (REQUANTIZE == null
            ? AVAILABLE || FIXED_REGISTER && VectorGuard.canMeasure()
            : REQUANTIZE.equals("vector"));
    private static final boolean GUARDED_GATES = AVAILABLE || FIXED_REGISTER && VectorGuard.canMeasure();

    private VectorSupport() {}

    /** The module is needed; the property, when set, decides; else the JDK's own default for the kernel kind. */
    private static boolean decide(boolean byDefault) {
        return MODULE && (FORCED == null ? byDefault : Boolean.parseBoolean(FORCED));
    }

    /** True when the vector kernels are chosen by default. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * True when kernels whose vector accumulators are a fixed handful of registers (Bonsai's path
     * step, {@code BonsaiSimd}; the float convolution's matrix product, {@code ConvSimd}) use the Vector
     * API: whenever the module is present, JDK 17 included, where C2 keeps those in registers (measured:
     * no allocation, 77 ns against 1 µs for the plain loop over one 28 x 64 Bonsai node; 68–86 GMAC/s for
     * the 4x2 product block). The same property overrides it.
     */
    public static boolean fixedRegisterKernels() {
        return FIXED_REGISTER;
    }

    /**
     * True when int8 kernels requantize on vectors ({@code RequantizePixelsSimd}) by default: on JDK 21+,
     * and on JDK 17 where {@link VectorGuard} can measure what an invoke allocates. On JDK 17 C2
     * boxed their vectors in some JVMs and not in others (KernelAllocationTest: 2 runs of 6; the
     * detector's own JVM: none of 8), so there the guard watches invokes and turns them off in a JVM
     * where they keep allocating. {@code -Dwinnow.kernels.requantize=vector} turns them on wherever the
     * module is (still guarded), {@code =scalar} off anywhere; {@code -Dwinnow.kernels.vector=false} too.
     */
    public static boolean vectorRequantization() {
        return REQUANTIZATION;
    }

    /**
     * True when the recurrent cells of graph ops and streams run on vectors by default: the int8 RNNPool
     * layer's Q15 cells (their batched gates) and the float FastGRNN cells of {@code fastgrnn} nodes and
     * {@code FastGrnnStream}s. On JDK 21+, and on JDK 17 under {@link VectorGuard}, where C2 boxed them
     * in some JVMs: interpreters probe the graphs' invokes, a stream's stepper its steps. Elsewhere (a
     * cell built by hand) the cells keep {@link #available()}: nothing would probe them.
     */
    public static boolean guardedVectorCells() {
        return GUARDED_GATES;
    }

    /** True when the vector kernels can be loaded at all (the module is present). */
    public static boolean modulepresent() {
        return MODULE;
    }
}
