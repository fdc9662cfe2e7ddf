package dev.winnow.runtime.ops;

import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.KernelDispatch;
import dev.winnow.runtime.kernel.base.ConvGeometry;

/**
 * What the {@code conv2d} and {@code depthwise_conv2d} nodes share: one input, one output, a window
 * geometry, the parameters reported, and how their kernel variant was chosen (null for a kernel with
 * one form).
 */
abstract class WindowOp extends Op {
    final ConvGeometry g;
    private final KernelDispatch.Choice choice;
    private final long params;

    WindowOp(NodeContext n, TensorSpec in, TensorSpec out, ConvGeometry g, KernelDispatch.Choice choice, long params) {
        super(n.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.g = g;
        this.choice = choice;
        this.params = params;
    }

    @Override public final String kernel() { return choice == null ? super.kernel() : choice.toString(); }
    @Override public final long parameterCount() { return params; }
}
