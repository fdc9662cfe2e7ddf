package dev.winnow.runtime;

import java.util.List;
import java.util.Map;

/**
 * Building blocks of RNNPool CNNs written as graph nodes, so exporters and tests assemble models the
 * way the papers draw them. Float32 graphs; int8 graphs come from post-training quantization.
 */
public final class CnnBlocks {
    private CnnBlocks() {}

    /** Weights of one MobileNetV2 inverted residual block. */
    public record MbConvWeights(float[] expand, float[] expandBias, float[] depthwise, float[] depthwiseBias,
                                float[] project, float[] projectBias) {}

    /**
     * MobileNetV2 inverted residual (MBConv): 1x1 expand to {@code in·expansion} channels with relu6,
     * 3x3 depthwise (stride 1 or 2) with relu6, 1x1 linear projection to {@code out} channels, and a
     * residual add when stride is 1 and {@code in == out}. Returns the output tensor's name.
     */
    public static String mbConv(GraphBuilder g, String name, String input, int h, int w, int in, int expansion, int out,
                                int stride, MbConvWeights wt) {
        int mid = in * expansion;
        int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
        String e = name + ".expand", d = name + ".dw", p = name + ".project";
        g.tensor(e, new int[] {h, w, mid}).tensor(d, new int[] {oh, ow, mid}).tensor(p, new int[] {oh, ow, out});
        g.node("conv2d", e, List.of(input), List.of(e), Map.of("filter", e + ".filter", "bias", e + ".bias"), Map.of("activation", "relu6"));
        g.node("depthwise_conv2d", d, List.of(e), List.of(d), Map.of("filter", d + ".filter", "bias", d + ".bias"),
                Map.of("stride", (long) stride, "activation", "relu6"));
        g.node("conv2d", p, List.of(d), List.of(p), Map.of("filter", p + ".filter", "bias", p + ".bias"), Map.of());
        g.weightFloat(e + ".filter", new int[] {mid, 1, 1, in}, wt.expand()).weightFloat(e + ".bias", new int[] {mid}, wt.expandBias())
                .weightFloat(d + ".filter", new int[] {3, 3, mid}, wt.depthwise()).weightFloat(d + ".bias", new int[] {mid}, wt.depthwiseBias())
                .weightFloat(p + ".filter", new int[] {out, 1, 1, mid}, wt.project()).weightFloat(p + ".bias", new int[] {out}, wt.projectBias());
        if (stride != 1 || in != out) return p;
        String r = name + ".out";
        g.tensor(r, new int[] {oh, ow, out});
        g.node("add", name + ".residual", List.of(input, p), List.of(r), null, null);
        return r;
    }
}
