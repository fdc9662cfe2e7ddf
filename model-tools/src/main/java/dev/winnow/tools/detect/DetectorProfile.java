package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.graph.Op;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Time per op of a detector artifact on one thread: {@code DetectorProfile <artifact.wnm> [frames]}. */
public final class DetectorProfile {
    public static void main(String[] args) throws Exception {
        Model m = Model.load(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Interpreter it = m.newInterpreter();
        float[] frame = new float[DetectorNet.IN_H * DetectorNet.IN_W];
        for (int i = 0; i < frame.length; i++) frame[i] = ((i * 7 + i / 320 * 13) % 256) / 255f;
        List<Op> ops = it.graph().ops();
        long[] ns = new long[ops.size()];
        Arena a = it.arena();
        for (int rep = 0; rep < 2; rep++) {
            java.util.Arrays.fill(ns, 0);
            for (int k = 0; k < n; k++) {
                it.setInput(0, frame, 0);
                for (int i = 0; i < ops.size(); i++) {
                    long t = System.nanoTime();
                    ops.get(i).invoke(a);
                    ns[i] += System.nanoTime() - t;
                }
            }
        }
        long total = 0;
        for (long v : ns) total += v;
        System.out.print(m.report().toTable());
        System.out.printf(Locale.ROOT, "%-20s %-18s %10s %8s%n", "op", "type", "µs", "GMAC/s");
        for (int i = 0; i < ops.size(); i++) {
            double us = ns[i] / 1e3 / n;
            System.out.printf(Locale.ROOT, "%-20s %-18s %10.1f %8.2f%n", ops.get(i).name(), ops.get(i).type(), us, ops.get(i).macs() / us / 1e3);
        }
        System.out.printf(Locale.ROOT, "total %.2f ms per frame, %.1f frames/s (ops only)%n", total / 1e6 / n, n / (total / 1e9));
    }
}
