package dev.winnow.runtime.family;

import static dev.winnow.runtime.testing.Tensors.gaussian;

import dev.winnow.runtime.kernel.VectorSupport;
import java.util.Random;

/**
 * Nanoseconds per step of the float FastGRNN cell, full rank, on the plain loops and (when the module
 * is present) the two Vector API paths (products only; products and gates, JDK 21+'s default), one thread; the streaming operator's shape by default (3 channels,
 * hidden 16). Not a test: timings only, best of 8 rounds of 2 M steps each, and the final states of the
 * paths are compared so a path that diverged cannot pass as fast.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp model-runtime/target/test-classes:model-runtime/target/classes \
 *     dev.winnow.runtime.family.FastGrnnStepTiming [input] [hidden]</pre>
 */
public final class FastGrnnStepTiming {
    public static void main(String[] args) {
        int input = args.length > 0 ? Integer.parseInt(args[0]) : 3, hidden = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Random r = new Random(7);
        float[] w = gaussian(r, hidden * input, 0.5), u = gaussian(r, hidden * hidden, 0.5);
        float[] bg = gaussian(r, hidden, 0.5), bh = gaussian(r, hidden, 0.5), x = gaussian(r, 1000 * input, 1);
        FastGrnnCell plain = new FastGrnnCell(input, hidden, w, null, null, u, null, null, bg, bh, 0.3f, 0.05f, false, false);
        FastGrnnCell products = new FastGrnnCell(input, hidden, w, null, null, u, null, null, bg, bh, 0.3f, 0.05f, true, false);
        FastGrnnCell vector = new FastGrnnCell(input, hidden, w, null, null, u, null, null, bg, bh, 0.3f, 0.05f, true, true);
        float[] hp = time("plain loops                     ", plain, x, input);
        if (!VectorSupport.modulepresent() || !vector.vectorProducts()) {
            System.out.println("vector path: not taken (module absent or hidden not a multiple of the lanes)");
            return;
        }
        float[] hpv = time("vector products, plain gates    ", products, x, input);
        float[] hv = time("vector products and gates (21+)  ", vector, x, input);
        if (!java.util.Arrays.equals(hp, hv) || !java.util.Arrays.equals(hp, hpv)) throw new IllegalStateException("the paths' states differ");
    }

    private static float[] time(String what, FastGrnnCell cell, float[] x, int input) {
        float[] h = new float[cell.hidden()], s = new float[cell.scratchSize()];
        int steps = x.length / input;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            java.util.Arrays.fill(h, 0f);
            long t0 = System.nanoTime();
            for (int k = 0; k < 2000; k++) for (int t = 0; t < steps; t++) cell.step(x, t * input, h, 0, s, 0);
            best = Math.min(best, (System.nanoTime() - t0) / (2000.0 * steps));
        }
        System.out.printf("%s: %.1f ns a step (input %d, hidden %d, best of 8 rounds of %,d steps)%n", what, best, input, cell.hidden(), 2000 * steps);
        return h;
    }
}
