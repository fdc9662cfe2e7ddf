package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.kernel.simd.ElementwiseSimd;

/**
 * MobileNetV3's activations on float32: {@code hard_sigmoid(x) = min(max(x + 3, 0), 6) · scale} and
 * {@code hard_swish(x) = x · hard_sigmoid(x)}. {@code scale} is 1/6 by default; an imported graph
 * passes its own constant (1/6 rounded to float16 is 0.16662598) so the fused op gives its numbers.
 * On the Vector API whenever the module is present ({@link ElementwiseSimd#hardSwish}: the same
 * arithmetic, nothing carried between iterations, so no boxing on JDK 17).
 */
final class HardSwishOp extends Op {
    private final boolean swish;
    private final float scale;
    private final int n;
    private final boolean vector = VectorSupport.fixedRegisterKernels();

    private HardSwishOp(NodeContext node, TensorSpec in, TensorSpec out, boolean swish, float scale) {
        super(node.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
        this.swish = swish;
        this.scale = scale;
        this.n = in.elementCount();
    }

    static Op create(NodeContext node) throws ModelFormatException {
        TensorSpec in = node.floatInput(), out = node.floatOutput();
        node.expectShape(out, in.shape());
        float scale = node.number("scale", 1f / 6);
        if (!(scale > 0)) throw node.error("scale must be positive");
        return new HardSwishOp(node, in, out, node.op().equals("hard_swish"), scale);
    }

    @Override public String type() { return swish ? "hard_swish" : "hard_sigmoid"; }
    @Override public long macs() { return n; }
    @Override public long parameterCount() { return 0; }

    @Override
    public void invoke(Arena a) {
        float[] f = a.f;
        int i0 = in[0], o0 = out[0];
        if (vector) {
            ElementwiseSimd.hardSwish(swish, scale, f, i0, f, o0, n);
        } else if (swish) {
            for (int i = 0; i < n; i++) {
                float x = f[i0 + i];
                f[o0 + i] = x * scale * Math.min(Math.max(x + 3f, 0f), 6f);
            }
        } else {
            for (int i = 0; i < n; i++) f[o0 + i] = scale * Math.min(Math.max(f[i0 + i] + 3f, 0f), 6f);
        }
    }
}
