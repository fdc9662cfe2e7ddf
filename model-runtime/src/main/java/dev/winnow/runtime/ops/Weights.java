package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.DType;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.QuantizationInfo;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.quant.QuantParams;

/** Reads weight tensors in the form an op's kernel wants. */
final class Weights {
    private Weights() {}

    static QuantParams params(TensorSpec t) {
        return new QuantParams(t.scale(), t.zeroPoint());
    }

    /** int8 weights with one scale per output channel ({@code channels}); per-tensor scales are spread. */
    static float[] channelScales(NodeContext node, TensorData w, int channels) throws ModelFormatException {
        if (w.dtype() != DType.INT8) throw node.error("int8 op needs int8 weights, '" + w.name() + "' is " + w.dtype());
        QuantizationInfo q = w.quantization();
        float[] s = new float[channels];
        switch (q.kind()) {
            case PER_TENSOR:
                java.util.Arrays.fill(s, q.scale(0));
                break;
            case PER_AXIS:
                if (q.count() != channels) throw node.error("weights '" + w.name() + "' have " + q.count() + " scales for " + channels + " channels");
                s = q.scales();
                break;
            default:
                throw node.error("int8 weights '" + w.name() + "' carry no quantization");
        }
        for (int i = 0; i < q.count(); i++) {
            if (q.zeroPoint(i) != 0) throw node.error("int8 weights must be symmetric (zero point 0): '" + w.name() + "'");
        }
        return s;
    }

    static float[] floatBias(NodeContext node, int n) throws ModelFormatException {
        return node.hasWeight("bias") ? node.weight("bias", n).toFloatArray() : null;
    }

    /** int32 bias as stored, or a float bias quantized with scale s_in * s_w[c]. */
    static int[] int32Bias(NodeContext node, int n, float inputScale, float[] weightScales) throws ModelFormatException {
        if (!node.hasWeight("bias")) return null;
        TensorData b = node.weight("bias", n);
        if (b.dtype() == DType.INT32) return b.toInt32Array();
        return QuantParams.quantizeBias(b.toFloatArray(), inputScale, weightScales);
    }
}
