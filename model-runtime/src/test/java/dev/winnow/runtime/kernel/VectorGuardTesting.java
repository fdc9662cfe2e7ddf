package dev.winnow.runtime.kernel;

/** For tests in other packages that trip {@link VectorGuard} on purpose and must leave the JVM as they found it. */
public final class VectorGuardTesting {
    private VectorGuardTesting() {}

    public static void reset() {
        VectorGuard.resetForTests();
    }
}
