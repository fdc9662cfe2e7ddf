package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses, once per op when a model loads, which variant of a kernel runs it, as oneDNN dispatches
 * per machine: each kernel lists the variants that fit its shape on this JVM, best guess first, and
 * the reference (the plain loops the variants must equal). The system property
 * {@code winnow.kernels} sets how:
 * <ul>
 *   <li>{@code shape} (the default): the first variant, by the rules each kernel states for its
 *       shape and the JVM (no timing, so a load costs the same on every machine);</li>
 *   <li>{@code timed}: every variant runs on a pseudo-random input of the op's shape and the fastest
 *       (the least of {@value #TIMED_RUNS} runs after {@value #WARMUP_RUNS} warm-up runs) is kept;</li>
 *   <li>{@code reference}: the reference alone, to rule the fast paths out when in doubt.</li>
 * </ul>
 * A variant other than the reference runs first beside the reference on that input; one whose
 * output disagrees (int8: any bit; float: beyond the rounding that reordered sums allow) is dropped
 * with a warning, and the reference serves. The choice is fixed for the op's life.
 *
 * <p>Stateless; any thread (loads run on whichever thread builds the model).
 */
public final class KernelDispatch {
    static final int WARMUP_RUNS = 3;
    static final int TIMED_RUNS = 5;
    private static final System.Logger LOG = System.getLogger(KernelDispatch.class.getName());

    /** How variants are chosen; see the class comment. */
    public enum Mode { SHAPE, TIMED, REFERENCE }

    /** One variant of a kernel, as a dispatch sees it. */
    public interface Variant<O> {
        /** Its name in reports, e.g. {@code int8-packed}. */
        String name();

        /** Runs it on {@code in} into {@code out} (scratch of its own; only at load). */
        void runOnce(O in, O out);

        /**
         * Writes output rows [from, to) of {@code in} into {@code out} (the rest may be left as it
         * is). A reference overrides it with loops over those rows alone, so a self-check costs a few
         * rows of the plain loops, not a whole run of them.
         */
        default void runRows(O in, O out, int from, int to) {
            runOnce(in, out);
        }
    }

    /** What was chosen for one op, and how; shown by {@code winnow inspect --bench}. */
    public record Choice(String variant, String how) {
        @Override public String toString() { return variant + " (" + how + ")"; }
    }

    /** The chosen variant and the record of the choice. */
    public record Chosen<V>(V variant, Choice choice) {}

    private KernelDispatch() {}

    /** The mode of this JVM: {@code -Dwinnow.kernels=shape|timed|reference}; an unknown value fails the load. */
    public static Mode mode() {
        String v = System.getProperty("winnow.kernels", "shape").trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "shape": return Mode.SHAPE;
            case "timed": return Mode.TIMED;
            case "reference": return Mode.REFERENCE;
            default: throw new IllegalArgumentException("winnow.kernels must be shape, timed or reference, not '" + v + "'");
        }
    }

    /** Compares elements [from, to) of two outputs of one op; null when they agree, else what differs (one line). */
    @FunctionalInterface
    public interface Agreement<O> {
        String disagreement(O expected, O actual, int from, int to);
    }

    /**
     * Chooses among {@code variants} (best guess first; the reference may be among them) for op
     * {@code op}. {@code input} is a pseudo-random input of the op's shape and {@code output} makes a
     * fresh output buffer of its shape: {@code rows} rows of {@code rowLength} elements. The self-check
     * compares the first two rows, two in the middle and the last two (the top edge, the interior and
     * the bottom edge, every column), which the reference computes alone.
     */
    public static <V extends Variant<O>, O> Chosen<V> choose(String op, Mode mode, List<V> variants, V reference, O input,
                                                           java.util.function.Supplier<O> output, int rows, int rowLength, Agreement<O> agreement) {
        if (mode == Mode.REFERENCE || variants.isEmpty()) return new Chosen<>(reference, new Choice(reference.name(), "reference"));
        O expected = output.get();
        int[][] bands = checkBands(rows);
        for (int[] band : bands) reference.runRows(input, expected, band[0], band[1]);
        List<V> agreeing = new ArrayList<>();
        for (V v : mode == Mode.SHAPE ? variants.subList(0, 1) : variants) {
            if (v == reference) {
                agreeing.add(v);
                continue;
            }
            O actual = output.get();
            v.runOnce(input, actual);
            String why = null;
            for (int b = 0; b < bands.length && why == null; b++) why = agreement.disagreement(expected, actual, bands[b][0] * rowLength, bands[b][1] * rowLength);
            if (why == null) {
                agreeing.add(v);
            } else {
                LOG.log(System.Logger.Level.WARNING, "{0}: kernel {1} disagrees with the reference on its self-check ({2}); the reference runs this op",
                        op, v.name(), why);
            }
        }
        if (agreeing.isEmpty()) return new Chosen<>(reference, new Choice(reference.name(), "reference: " + variants.get(0).name() + " failed its self-check"));
        if (mode == Mode.SHAPE) return new Chosen<>(agreeing.get(0), new Choice(agreeing.get(0).name(), "by shape, self-checked"));
        V best = null;
        long bestNanos = Long.MAX_VALUE;
        O scratchOut = output.get();
        for (V v : agreeing) {
            long t = fastest(v, input, scratchOut);
            if (t < bestNanos) {
                bestNanos = t;
                best = v;
            }
        }
        return new Chosen<>(best, new Choice(best.name(), String.format(Locale.ROOT, "timed %.1f us, fastest of %d", bestNanos / 1e3, agreeing.size())));
    }

    /**
     * {@link #choose} for an int8 convolution of geometry {@code g}: its variants are {@code byShape}
     * (the reference when that is what the shape rules chose) and, when timed, every one of
     * {@code candidates} by a name not already listed; the self-check input is pseudo-random bytes
     * from {@code seed}, and the outputs are compared bit for bit.
     */
    public static <V extends Variant<byte[]>> Chosen<V> chooseInt8(String op, Mode mode, V byShape, V reference, List<V> candidates,
                                                                  ConvGeometry g, long seed) {
        List<V> variants = new ArrayList<>();
        variants.add(byShape.name().equals(reference.name()) ? reference : byShape);
        if (mode == Mode.TIMED) {
            for (V v : candidates) {
                if (variants.stream().noneMatch(c -> c.name().equals(v.name()))) variants.add(v);
            }
        }
        byte[] input = pseudoRandomBytes(g.inH() * g.inW() * g.inC(), seed);
        int outputs = g.outH() * g.outW() * g.outC();
        return choose(op, mode, variants, reference, input, () -> new byte[outputs], g.outH(), g.outW() * g.outC(), KernelDispatch::bitsDiffer);
    }

    /** Row bands [from, to) of the self-check: the first two rows, two in the middle, the last two. */
    static int[][] checkBands(int rows) {
        if (rows <= 6) return new int[][] {{0, rows}};
        int mid = rows / 2 - 1;
        return new int[][] {{0, 2}, {mid, mid + 2}, {rows - 2, rows}};
    }

    private static <O> long fastest(Variant<O> v, O in, O out) {
        for (int i = 0; i < WARMUP_RUNS; i++) v.runOnce(in, out);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < TIMED_RUNS; i++) {
            long t0 = System.nanoTime();
            v.runOnce(in, out);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }

    /** Bytes in [-128, 127] from a fixed seed: the same self-check input on every load. */
    public static byte[] pseudoRandomBytes(int n, long seed) {
        long[] s = pseudoRandomLongs(n, seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (s[i] >>> 56);
        return b;
    }

    /** Floats in [-1, 1) from a fixed seed. */
    public static float[] pseudoRandomFloats(int n, long seed) {
        long[] s = pseudoRandomLongs(n, seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (s[i] >>> 40) / (float) (1L << 23) - 1f;
        return f;
    }

    /** The successive states of a 64-bit linear congruential generator (Knuth's MMIX constants) seeded from {@code seed}. */
    private static long[] pseudoRandomLongs(int n, long seed) {
        long[] out = new long[n];
        long s = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            out[i] = s;
        }
        return out;
    }

    /** Int8 outputs must be identical: integer sums do not depend on their order. */
    public static String bitsDiffer(byte[] expected, byte[] actual, int from, int to) {
        int differ = 0, first = -1;
        for (int i = from; i < to; i++) {
            if (expected[i] != actual[i]) {
                if (first < 0) first = i;
                differ++;
            }
        }
        return differ == 0 ? null : differ + " of " + (to - from) + " outputs compared differ, the first at " + first
                + ": " + actual[first] + " for " + expected[first];
    }

    /**
     * Float outputs may differ by reordered sums: each within {@code 4 · fanIn · ε · (max|y| + 1)},
     * the bound the kernel tests use.
     */
    public static Agreement<float[]> floatsWithin(int fanIn) {
        return (expected, actual, from, to) -> {
            double max = 0;
            for (int i = from; i < to; i++) max = Math.max(max, Math.abs(expected[i]));
            double tol = 4.0 * fanIn * Math.ulp(1f) * (max + 1);
            int differ = 0, first = -1;
            for (int i = from; i < to; i++) {
                if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                    if (first < 0) first = i;
                    differ++;
                }
            }
            return differ == 0 ? null : differ + " of " + (to - from) + " outputs compared beyond " + (float) tol + ", the first at " + first
                    + ": " + actual[first] + " for " + expected[first];
        };
    }
}
