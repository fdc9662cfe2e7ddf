package dev.winnow.tools.cli;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.KernelDispatch;
import dev.winnow.runtime.kernel.VectorGuard;
import java.util.List;
import java.util.Locale;

/**
 * What {@code winnow inspect --bench} prints: each op's time per call on this machine, with the
 * kernel variant the load chose for it ({@link KernelDispatch}), so a user sees where a model's time
 * goes and which fast paths this JVM runs. Inputs are pseudo-random: kernels take the same time
 * whatever the values (no data-dependent branches).
 */
final class OpTimings {
    private OpTimings() {}

    /** Times every op over {@code runs} calls after as many warm-up invocations of the whole model. */
    static String table(Model model, int runs) {
        Interpreter it = model.newInterpreter();
        for (int i = 0; i < model.inputCount(); i++) {
            TensorSpec spec = it.inputSpec(i);
            int n = 1;
            for (int d : spec.shape()) n *= d;
            it.setInput(i, KernelDispatch.pseudoRandomFloats(n, i + 1), 0);
        }
        for (int r = 0; r < runs; r++) it.invoke();
        long whole = Long.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < Math.max(1, runs / 5); k++) it.invoke();
            whole = Math.min(whole, (System.nanoTime() - t0) / Math.max(1, runs / 5));
        }
        List<Op> ops = it.graph().ops();
        Arena arena = it.arena();
        long[] nanos = new long[ops.size()];
        long sum = 0;
        for (int o = 0; o < ops.size(); o++) {
            Op op = ops.get(o);
            long t0 = System.nanoTime();
            for (int r = 0; r < runs; r++) op.invoke(arena);
            nanos[o] = (System.nanoTime() - t0) / runs;
            sum += nanos[o];
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-28s %-18s %-52s %10s %6s%n", "op", "type", "kernel (how chosen)", "us/call", "share"));
        for (int o = 0; o < ops.size(); o++) {
            Op op = ops.get(o);
            out.append(String.format(Locale.ROOT, "%-28s %-18s %-52s %10.1f %5.1f%%%n", op.name(), op.type(), op.kernel().isEmpty() ? "-" : op.kernel(),
                    nanos[o] / 1e3, 100.0 * nanos[o] / Math.max(1, sum)));
        }
        out.append(String.format(Locale.ROOT, "whole model: %.1f us per invoke (%.0f per second on one core); ops one by one: %.1f us; "
                + "kernels chosen by winnow.kernels=%s, %d runs%n", whole / 1e3, 1e9 / whole, sum / 1e3,
                KernelDispatch.mode().name().toLowerCase(Locale.ROOT), runs));
        out.append("guarded vector paths (int8 requantization, recurrent cells): ").append(VectorGuard.describe()).append(System.lineSeparator());
        return out.toString();
    }
}
