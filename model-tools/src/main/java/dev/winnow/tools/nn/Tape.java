package dev.winnow.tools.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode automatic differentiation: every operation run through {@link Ops} appends the
 * closure that propagates its output's gradient to its inputs and parameters; {@link #backward}
 * runs them in reverse order. One tape per worker thread and per example; parameter gradients go
 * to that worker's buffers ({@link Param#grad(int)}).
 */
public final class Tape {
    private final List<Runnable> steps = new ArrayList<>();
    final int worker;
    final boolean training;

    public Tape(int worker, boolean training) {
        this.worker = worker;
        this.training = training;
    }

    /** A tape that records nothing: forward passes only. */
    public static Tape inference() {
        return new Tape(0, false);
    }

    void record(Runnable backward) {
        if (training) steps.add(backward);
    }

    /** Runs the recorded backward steps, last first. Output gradients must have been set. */
    public void backward() {
        for (int i = steps.size() - 1; i >= 0; i--) steps.get(i).run();
        steps.clear();
    }
}
