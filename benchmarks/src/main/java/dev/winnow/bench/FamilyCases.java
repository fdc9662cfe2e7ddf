package dev.winnow.bench;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.tools.onnx.GraphSlice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The side-by-side cases that are not detector layers, at the sizes {@link FamilyBenchmarks} uses:
 * the RNNPool block 6x6x8 (h1 = h2 = 8), a USPS-sized FastGRNN (16 steps of 16, hidden 32, full
 * rank), a Letter-26 Bonsai (16 features, projection 28, depth 3, 26 classes) with seeded Gaussian
 * weights; and the CenterNet teacher (models/teacher/centernet.wnm) without its decode op.
 */
final class FamilyCases {
    private FamilyCases() {}

    static SideBySideCases.Case build(Path root, String name) throws Exception {
        switch (name) {
            case "rnnpool": return new SideBySideCases.Case(name, rnnPoolBlock(), gaussian(new Random(2), 288, 1), "calls/s", 1e-4, 0);
            case "fastgrnn": return new SideBySideCases.Case(name, fastGrnn(), gaussian(new Random(3), 256, 1), "calls/s", 1e-4, 0);
            case "bonsai": return new SideBySideCases.Case(name, bonsai(), gaussian(new Random(4), 16, 1), "calls/s", 1e-4, 0);
            case "teacher-fp32": return teacher(root);
            default: throw new IllegalArgumentException("unknown case '" + name + "' (cases: " + SideBySideCases.NAMES + ")");
        }
    }

    static float[] gaussian(Random r, int n, double s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * s);
        return a;
    }

    private static void cell(GraphBuilder g, Map<String, String> w, String prefix, String role, int in, int h, Random r) {
        float[][] v = {gaussian(r, h * in, 0.3), gaussian(r, h * h, 0.3), gaussian(r, h, 0.1), gaussian(r, h, 0.1), {2.2f}, {-4f}};
        int[][] shapes = {{h, in}, {h, h}, {h}, {h}, {1}, {1}};
        String[] names = {"W", "U", "bg", "bh", "zeta", "nu"};
        for (int k = 0; k < names.length; k++) {
            g.weightFloat(prefix + names[k], shapes[k], v[k]);
            w.put(role + names[k], prefix + names[k]);
        }
    }

    private static Model rnnPoolBlock() throws Exception {
        Random r = new Random(1);
        GraphBuilder g = new GraphBuilder().tensor("patch", new int[] {6, 6, 8}).tensor("pooled", new int[] {1, 1, 32}).input("patch").output("pooled");
        Map<String, String> w = new java.util.LinkedHashMap<>();
        cell(g, w, "rnn1.", "rnn1.", 8, 8, r);
        cell(g, w, "rnn2.", "rnn2.", 8, 8, r);
        g.node("rnnpool", "pool", List.of("patch"), List.of("pooled"), w, Map.of("patch", 6L, "stride", 6L, "hidden1", 8L, "hidden2", 8L));
        return Model.load(g.toBytes(Metadata.builder("rnnpool-6x6x8", "rnnpool").input("patch", new int[] {6, 6, 8}, "float32", "HWC", null)));
    }

    private static Model fastGrnn() throws Exception {
        Random r = new Random(1);
        GraphBuilder g = new GraphBuilder().tensor("seq", new int[] {16, 16}).tensor("h", new int[] {32}).input("seq").output("h");
        Map<String, String> w = new java.util.LinkedHashMap<>();
        cell(g, w, "", "", 16, 32, r);
        g.node("fastgrnn", "cell", List.of("seq"), List.of("h"), w, Map.of("hidden", 32L));
        return Model.load(g.toBytes(Metadata.builder("fastgrnn-usps", "fastgrnn").input("seq", new int[] {16, 16}, "float32", "flat", null)));
    }

    private static Model bonsai() throws Exception {
        Random r = new Random(1);
        int d = 16, proj = 28, classes = 26, depth = 3, nodes = 15;
        float[] std = new float[d + 1];
        java.util.Arrays.fill(std, 1f);
        float[] z = gaussian(r, proj * (d + 1), 1);
        for (int i = 0; i < z.length; i++) if (r.nextDouble() < 0.7) z[i] = 0;
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {d}).tensor("scores", new int[] {classes}).input("x").output("scores")
                .weightFloat("mean", new int[] {d + 1}, new float[d + 1]).weightFloat("std", new int[] {d + 1}, std)
                .weightFloat("Z", new int[] {proj, d + 1}, z).weightFloat("W", new int[] {classes * nodes, proj}, gaussian(r, classes * nodes * proj, 1))
                .weightFloat("V", new int[] {classes * nodes, proj}, gaussian(r, classes * nodes * proj, 1))
                .weightFloat("theta", new int[] {7, proj}, gaussian(r, 7 * proj, 1));
        g.node("bonsai", "tree", List.of("x"), List.of("scores"), Map.of("mean", "mean", "std", "std", "Z", "Z", "W", "W", "V", "V", "theta", "theta"),
                Map.of("depth", (long) depth, "projection", (long) proj, "classes", (long) classes, "sigma", 1.0));
        return Model.load(g.toBytes(Metadata.builder("bonsai-letter", "bonsai").input("x", new int[] {d}, "float32", "flat", null)));
    }

    /** The teacher up to its heads (without centernet_decode) on a seeded image in [0, 1]. */
    private static SideBySideCases.Case teacher(Path root) throws Exception {
        var a = ArtifactReader.read(root.resolve("models/teacher/centernet.wnm"));
        Model m = Model.load(GraphSlice.of(a, "teacher", n -> !n.contains("centernet_decode") && !isDecode(a, n)));
        float[] x = SideBySideCases.random(m.input(0), 5);
        for (int i = 0; i < x.length; i++) x[i] = (x[i] + 1) / 2;
        return new SideBySideCases.Case("teacher-fp32", m, x, "frames/s", 1e-4, 0);
    }

    @SuppressWarnings("unchecked")
    private static boolean isDecode(dev.winnow.runtime.format.Artifact a, String node) {
        for (Object o : (List<Object>) a.metadata().graph().get().get("nodes")) {
            Map<String, Object> n = (Map<String, Object>) o;
            if (node.equals(n.get("name"))) return "centernet_decode".equals(n.get("op"));
        }
        return false;
    }
}
