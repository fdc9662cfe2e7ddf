package dev.winnow.tools.imports.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.cli.WinnowCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TfjsImporterTest {
    @TempDir Path tmp;

    static final int H = 5, W = 5, C = 2, O = 3, K = 3;

    /** Input → conv 3x3 stride 2 SAME (filter stored uint8-affine, BiasAdd fused) → hard swish → channel mean (keep dims) → mul. */
    static TinyTfjs convHardSwish(float[] filterQ, float[] bias, double scale, double min) {
        TinyTfjs t = new TinyTfjs().placeholder("x", 1, H, W, C);
        int[] q = new int[filterQ.length];
        for (int i = 0; i < q.length; i++) q[i] = (int) filterQ[i];
        t.constU8("conv/w", new int[] {K, K, C, O}, scale, min, q).constF("conv/b", new int[] {O}, bias);
        t.node("conv", "_FusedConv2D", List.of("x", "conv/w", "conv/b"), Map.of("strides", TinyTfjs.ints(1, 2, 2, 1), "padding", TinyTfjs.s("SAME"),
                "data_format", TinyTfjs.s("NHWC"), "fused_ops", TinyTfjs.strs("BiasAdd"), "num_args", Map.of("i", "1"), "dilations", TinyTfjs.ints(1, 1, 1, 1)));
        t.constF("hs/sixth", new int[0], 0.16666667f).constF("hs/three", new int[0], 3f);
        t.node("hs/mul", "Mul", List.of("hs/sixth", "conv"), null);
        t.node("hs/add", "AddV2", List.of("conv", "hs/three"), null);
        t.node("hs/relu6", "Relu6", List.of("hs/add"), null);
        t.node("hs/out", "Mul", List.of("hs/mul", "hs/relu6"), null);
        t.constI("mean/axes", new int[] {2}, 1, 2);
        t.node("mean", "Mean", List.of("hs/out", "mean/axes"), Map.of("keep_dims", TinyTfjs.b(true)));
        t.node("se", "Mul", List.of("hs/out", "mean"), null);
        t.node("y", "Identity", List.of("se"), null);
        return t.output("y");
    }

    /** The same computation in double precision, written from TF's definitions. */
    static double[] reference(float[] x, float[] filterQ, float[] bias, double scale, double min) {
        int oh = 3, ow = 3, padTop = 1, padLeft = 1; // SAME, stride 2: pad_total = (3-1)*2 + 3 - 5 = 2, before = 1
        double[] conv = new double[oh * ow * O];
        for (int y = 0; y < oh; y++) for (int xo = 0; xo < ow; xo++) for (int o = 0; o < O; o++) {
            double s = bias[o];
            for (int ky = 0; ky < K; ky++) for (int kx = 0; kx < K; kx++) for (int c = 0; c < C; c++) {
                int iy = y * 2 - padTop + ky, ix = xo * 2 - padLeft + kx;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                double w = (float) (filterQ[((ky * K + kx) * C + c) * O + o] * scale + min);
                s += x[(iy * W + ix) * C + c] * w;
            }
            double hs = s * Math.min(Math.max(s + 3, 0), 6) * 0.16666667f;
            conv[(y * ow + xo) * O + o] = hs;
        }
        double[] mean = new double[O];
        for (int p = 0; p < oh * ow; p++) for (int o = 0; o < O; o++) mean[o] += conv[p * O + o] / (oh * ow);
        double[] out = new double[conv.length];
        for (int p = 0; p < oh * ow; p++) for (int o = 0; o < O; o++) out[p * O + o] = conv[p * O + o] * mean[o];
        return out;
    }

    @Test
    void translatesConvHardSwishAndSqueezeAsTensorFlowDefinesThem() throws Exception {
        Random r = new Random(7);
        float[] q = new float[K * K * C * O];
        for (int i = 0; i < q.length; i++) q[i] = r.nextInt(256);
        float[] bias = {0.5f, -1f, 2f};
        double scale = 0.01, min = -1.2;
        Path dir = convHardSwish(q, bias, scale, min).write(tmp.resolve("m"));
        TfjsImporter.Result res = TfjsImporter.translate(TfjsModel.read(dir), new TfjsImporter.Options().name("tiny"));
        assertEquals(Map.of("conv2d", 1, "hard_swish", 1, "mean", 1, "mul", 1), res.winnowOps(), "hard swish fused, the rest one for one");
        Model m = Model.load(res.artifact());
        float[] x = new float[H * W * C];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 3;
        float[] y = m.newInterpreter().predict(x, new float[27]);
        double[] want = reference(x, q, bias, scale, min);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], y[i], 1e-4 * Math.max(1, Math.abs(want[i])), "element " + i);

        // unfused, op for op, the same numbers
        Model plain = Model.load(TfjsImporter.translate(TfjsModel.read(dir), new TfjsImporter.Options().fuse(false)).artifact());
        float[] y2 = plain.newInterpreter().predict(x, new float[27]);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], y2[i], 1e-4 * Math.max(1, Math.abs(want[i])), "unfused element " + i);
    }

    @Test
    void namesEveryUnsupportedOpAndItsNodesAndWritesNothing() throws Exception {
        TinyTfjs t = new TinyTfjs().placeholder("x", 1, 4, 4, 1);
        t.node("a", "Softplus", List.of("x"), null).node("b", "Erf", List.of("a"), null).node("c", "Softplus", List.of("b"), null).output("c");
        Path dir = t.write(tmp.resolve("bad"));
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TfjsImporter.translate(TfjsModel.read(dir), new TfjsImporter.Options()));
        assertTrue(e.getMessage().contains("Erf used by b"), e.getMessage());
        assertTrue(e.getMessage().contains("Softplus used by a, c"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");

        Path out = tmp.resolve("bad.wnm");
        StringWriter err = new StringWriter();
        int code = new CommandLine(new WinnowCli()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
                .execute("import", "tfjs", dir.toString(), "-o", out.toString());
        assertTrue(code != 0, "exit code");
        assertFalse(Files.exists(out), "no artifact written");
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial file left");
        }
    }

    static TinyTfjs oneConst() {
        return new TinyTfjs().placeholder("x", 1, 2, 2, 1).constF("k", new int[] {1}, 2f)
                .node("y", "Mul", List.of("x", "k"), null).output("y");
    }

    /** oneConst()'s node "k" as model.json spells it, for the tests that edit it. */
    static final String K_NODE = "\"name\":\"k\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"}}";

    /** oneConst() written to {@code name} in the temporary directory, its model.json passed through {@code edit}. */
    Path editedOneConst(String name, UnaryOperator<String> edit) throws IOException {
        Path dir = oneConst().write(tmp.resolve(name));
        Path json = dir.resolve("model.json");
        Files.writeString(json, edit.apply(Files.readString(json)));
        return dir;
    }

    /** The message of the format error reading the model in {@code dir} gives. */
    static String readError(Path dir) {
        return assertThrows(TfjsFormatException.class, () -> TfjsModel.read(dir)).getMessage();
    }

    @Test
    void aShortShardNamesTheTensor() throws Exception {
        TinyTfjs t = new TinyTfjs().placeholder("x", 1, 2, 2, 1).constF("first", new int[] {2}, 1f, 2f).constF("second", new int[] {3}, 1f, 2f, 3f)
                .node("y", "Mul", List.of("x", "first"), null).output("y");
        Path dir = t.write(tmp.resolve("short"));
        Path shard = dir.resolve("group1-shard1of1.bin");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length - 4));
        String shortShard = readError(dir);
        assertTrue(shortShard.contains("'second'"), shortShard);
        Files.delete(shard);
        String noShard = readError(dir);
        assertTrue(noShard.contains("missing") && noShard.contains("group1-shard1of1.bin"), noShard);
    }

    @Test
    void aDtypeOrShapeDisagreeingWithTheManifestNamesTheTensor() throws Exception {
        String dtype = readError(editedOneConst("dtype", t -> t.replace(K_NODE, K_NODE.replace("DT_FLOAT", "DT_INT32"))));
        assertTrue(dtype.startsWith("tensor 'k'") && dtype.contains("DT_INT32"), dtype);

        String shape = readError(editedOneConst("shape", t -> t.replace(K_NODE,
                "\"name\":\"k\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},\"value\":{\"tensor\":{\"dtype\":\"DT_FLOAT\",\"tensorShape\":{\"dim\":[{\"size\":\"2\"}]}}}}")));
        assertTrue(shape.startsWith("tensor 'k'") && shape.contains("[2]"), shape);
    }

    @Test
    void aShardPathMayNotLeaveTheModelDirectory() throws Exception {
        String escape = readError(editedOneConst("escape", t -> t.replace("group1-shard1of1.bin", "../../etc/passwd")));
        assertTrue(escape.contains("leaves the model's directory"), escape);
    }

    @Test
    void constantOperandsBroadcastAndSubtractInTheirOrder() throws Exception {
        TinyTfjs t = new TinyTfjs().placeholder("x", 1, 2, 2, 2).constF("k", new int[] {1, 1, 1, 2}, 10f, 20f)
                .node("y", "Sub", List.of("k", "x"), null).output("y");
        Model m = Model.load(TfjsImporter.translate(TfjsModel.read(t.write(tmp.resolve("sub"))), new TfjsImporter.Options()).artifact());
        float[] y = m.newInterpreter().predict(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new float[8]);
        assertEquals(List.of(9f, 18f, 7f, 16f, 5f, 14f, 3f, 12f), List.of(y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7]));
    }
}
