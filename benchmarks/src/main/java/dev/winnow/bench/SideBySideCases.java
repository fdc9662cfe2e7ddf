package dev.winnow.bench;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.tools.onnx.GraphSlice;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The cases of the side-by-side suite (issue 21): each a Winnow model whose ONNX export ONNX Runtime
 * runs on identical weights. The layers are single nodes of the shipped person detector: conv3x3 is
 * its second conv (120x160x4 → 60x80x16, 3x3, stride 2), pointwise mb0.expand (15x20x32 → 64),
 * depthwise mb0.dw (15x20x64, 3x3), stem its first conv (240x320x1 → 4, 3x3, stride 2). The detectors
 * are the shipped graphs without their last op, detect (score threshold and NMS over 300 anchors),
 * which has no ONNX form; the teacher likewise without centernet_decode.
 */
final class SideBySideCases {
    static final List<String> NAMES = List.of("conv3x3-fp32", "pointwise-fp32", "depthwise-fp32", "stem-fp32",
            "conv3x3-int8", "pointwise-int8", "depthwise-int8", "stem-int8", "rnnpool", "fastgrnn", "bonsai",
            "detector-int8", "detector-fp32", "teacher-fp32");

    /** A case: the model, its input (HWC; int8 inputs as codes), how its speed is reported and the twins' agreement bound. */
    record Case(String name, Model model, float[] input, String unit, double floatTol, int int8Codes, double floatAbs) {
        Case(String name, Model model, float[] input, String unit, double floatTol, int int8Codes) {
            this(name, model, input, unit, floatTol, int8Codes, 0);
        }

        /** Work of one call in the unit's numerator: MACs for GMAC/s, one frame or prediction otherwise. */
        double perCall() {
            return unit.equals("GMAC/s") ? model.report().macs() / 1e9 : 1;
        }
    }

    private SideBySideCases() {}

    static Case build(String name) throws Exception {
        Path root = Path.of(System.getProperty("winnow.root", "."));
        switch (name) {
            case "conv3x3-fp32": return layer(root, name, "float", "down");
            case "pointwise-fp32": return layer(root, name, "float", "mb0.expand");
            case "depthwise-fp32": return layer(root, name, "float", "mb0.dw");
            case "stem-fp32": return layer(root, name, "float", "stem");
            case "conv3x3-int8": return layer(root, name, "int8", "down");
            case "pointwise-int8": return layer(root, name, "int8", "mb0.expand");
            case "depthwise-int8": return layer(root, name, "int8", "mb0.dw");
            case "stem-int8": return layer(root, name, "int8", "stem");
            case "detector-int8": return detector(root, name, "int8");
            case "detector-fp32": return detector(root, name, "float");
            default: return FamilyCases.build(root, name);
        }
    }

    private static Artifact shipped(Path root, String kind) throws Exception {
        return ArtifactReader.read(root.resolve("model-tools/detector/person-detector-" + kind + ".wnm"));
    }

    /** One node of the shipped detector; float layers agree within the fan-in's rounding, int8 ones within one code. */
    private static Case layer(Path root, String name, String kind, String node) throws Exception {
        Model m = Model.load(GraphSlice.of(shipped(root, kind), name, Set.of(node)::contains));
        long fanIn = m.report().macs() / m.output(0).elementCount();
        return new Case(name, m, random(m.input(0), 1), "GMAC/s", 4 * fanIn * Math.ulp(1f), 1);
    }

    /**
     * The detector up to its head's outputs, on a frame of the bundled clip (or the fixed pattern).
     * Float agreement: RNNPool's sigmoid and tanh are Winnow's own approximations, so 1e-4 relative;
     * int8: twelve requantizing ops lie between the image and the score head, each within a code of
     * ONNX Runtime's (RNNPool: Q15 cells in Winnow, float ones in the twin), and the differences add up
     * through the 1x1 convs' sums: on the bundled frame the heads differ by up to 4 codes of the score
     * head's scale (the coarser of the two), so 6 codes is the bound.
     */
    private static Case detector(Path root, String name, String kind) throws Exception {
        Model m = Model.load(GraphSlice.of(shipped(root, kind), name, n -> !n.equals("detect")));
        float[] frame = DetectorBenchmarks.loadFrame(root.resolve("data/detector/vtest/native/0700.png"));
        TensorSpec in = m.input(0);
        if (in.type() == ElementType.INT8) {
            for (int i = 0; i < frame.length; i++) frame[i] = Math.max(-128, Math.min(127, Math.round(frame[i] / in.scale()) + in.zeroPoint()));
        }
        if (in.type() != ElementType.INT8) return new Case(name, m, frame, "frames/s", 1e-4, 0);
        return new Case(name, m, frame, "frames/s", 0, 0, 6 * scale(shipped(root, kind), "score"));
    }

    @SuppressWarnings("unchecked")
    private static double scale(Artifact a, String tensor) {
        for (Object o : (List<Object>) a.metadata().graph().get().get("tensors")) {
            java.util.Map<String, Object> t = (java.util.Map<String, Object>) o;
            if (tensor.equals(t.get("name"))) return ((Number) t.get("scale")).doubleValue();
        }
        throw new IllegalArgumentException("no tensor " + tensor);
    }

    static float[] random(TensorSpec t, long seed) {
        Random r = new Random(seed);
        float[] x = new float[t.elementCount()];
        for (int i = 0; i < x.length; i++) x[i] = t.type() == ElementType.INT8 ? r.nextInt(256) - 128 : r.nextFloat() * 2 - 1;
        return x;
    }
}
