package dev.winnow.runtime.ops;

import dev.winnow.runtime.family.FamilyOps;
import dev.winnow.runtime.graph.OpFactory;
import dev.winnow.runtime.graph.OpRegistry;
import java.util.HashMap;
import java.util.Map;

/** The operators every Winnow runtime knows (docs/graph-ops.md). */
public final class BuiltinOps {
    public static final OpRegistry REGISTRY = OpRegistry.of(factories());

    private BuiltinOps() {}

    private static Map<String, OpFactory> factories() {
        Map<String, OpFactory> m = new HashMap<>();
        m.put("conv2d", ConvOp::create);
        m.put("depthwise_conv2d", DepthwiseOp::create);
        m.put("dense", DenseOp::create);
        m.put("max_pool2d", n -> PoolOp.create(n, PoolOp.Kind.MAX));
        m.put("avg_pool2d", n -> PoolOp.create(n, PoolOp.Kind.AVG));
        m.put("global_avg_pool", n -> PoolOp.create(n, PoolOp.Kind.GLOBAL_AVG));
        for (String a : new String[] {"add", "sub", "mul"}) m.put(a, ArithmeticOp::create);
        for (String a : new String[] {"hard_swish", "hard_sigmoid"}) m.put(a, HardSwishOp::create);
        m.put("mean", MeanOp::create);
        m.put("resize_bilinear", ResizeBilinearOp::create);
        m.put("centernet_decode", CenterNetDecodeOp::create);
        m.put("concat", ConcatOp::create);
        for (String a : new String[] {"relu", "relu6", "sigmoid", "tanh", "softmax"}) m.put(a, ActivationOp::create);
        m.put("quantize", n -> QuantizeOp.create(n, true));
        m.put("dequantize", n -> QuantizeOp.create(n, false));
        m.put("binary_dense", BinaryOps.DenseNode::create);
        m.put("binary_conv2d", BinaryOps.ConvNode::create);
        m.put("detect", DetectOp::create);
        m.put("gru", FamilyOps::gru);
        m.put("bonsai", FamilyOps::bonsai);
        m.put("protonn", FamilyOps::protoNn);
        m.put("fastgrnn", FamilyOps::fastGrnn);
        m.put("rnnpool", FamilyOps::rnnPool);
        return m;
    }
}
