package dev.winnow.tools.imports;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.tools.model.FamilyArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the parameters Microsoft's EdgeML saves (.npy, PyTorch layout) into `.wnm` artifacts whose
 * graph is one family node. PyTorch keeps matrices as [in][out] (x @ W); the runtime wants [out][in],
 * so they are transposed here. ζ and ν stay raw (the runtime applies the sigmoid).
 */
public final class EdgeMlImporter {
    private EdgeMlImporter() {}

    private static NpyArray npy(Path dir, String name) throws IOException {
        Path f = dir.resolve(name + ".npy");
        if (!Files.isRegularFile(f)) throw new NpyFormatException("missing " + f);
        return NpyReader.read(f);
    }

    private static boolean has(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name + ".npy"));
    }

    private static NpyArray matrix(Path dir, String name) throws IOException {
        NpyArray a = npy(dir, name);
        if (a.rank() != 2) throw new NpyFormatException(name + ".npy must be a matrix, has shape " + java.util.Arrays.toString(a.shape()));
        return a;
    }

    private static Metadata.Builder metadata(String name, String family, int[] inputShape, String layout, Path dir) {
        return Metadata.builder(name, family)
                .input("x", inputShape, "float32", layout, null)
                .provenance("importedFrom", "EdgeML .npy")
                .provenance("source", dir.toAbsolutePath().toString());
    }

    /** Bonsai: W, V [L·nodes, D̂], T [internal, D̂], Z [D̂, D+1], mean and std [D+1]; σ is not in the .npy files (hyperParam is a pickle). */
    public static byte[] bonsai(Path dir, String name, float sigma) throws IOException {
        NpyArray z = matrix(dir, "Z"), w = matrix(dir, "W"), v = matrix(dir, "V"), tt = matrix(dir, "T");
        int proj = z.dim(0), dim = z.dim(1), d = dim - 1;
        int internal = tt.dim(0), depth = Integer.numberOfTrailingZeros(internal + 1);
        if ((1 << depth) - 1 != internal) throw new NpyFormatException("T has " + internal + " rows, not 2^depth - 1");
        int nodes = 2 * internal + 1;
        if (w.dim(0) % nodes != 0 || w.dim(1) != proj || v.dim(0) != w.dim(0) || v.dim(1) != proj || tt.dim(1) != proj) {
            throw new NpyFormatException("W, V [L·" + nodes + ", " + proj + "] and T [" + internal + ", " + proj + "] do not fit Z [" + proj + ", " + dim + "]");
        }
        int classes = w.dim(0) / nodes;
        float[] mean = npy(dir, "mean").toFloats(), std = npy(dir, "std").toFloats();
        if (mean.length != dim || std.length != dim) throw new NpyFormatException("mean and std must have " + dim + " values (features + bias)");
        FamilyArtifacts.BonsaiTensors t = new FamilyArtifacts.BonsaiTensors(d, proj, classes, depth, sigma, mean, std,
                z.toFloats(), w.toFloats(), v.toFloats(), tt.toFloats());
        return FamilyArtifacts.bonsai(t, FamilyArtifacts.encodings(), metadata(name, "bonsai", new int[] {d}, "features", dir));
    }

    /** ProtoNN: W [D, d̂], B [d̂, m], Z [L, m], gamma. */
    public static byte[] protoNn(Path dir, String name) throws IOException {
        NpyArray w = matrix(dir, "W"), b = matrix(dir, "B"), z = matrix(dir, "Z");
        int d = w.dim(0), proj = w.dim(1), m = b.dim(1), classes = z.dim(0);
        if (b.dim(0) != proj || z.dim(1) != m) throw new NpyFormatException("W [D, d̂], B [d̂, m], Z [L, m] do not fit together");
        double gamma = npy(dir, "gamma").scalar();
        FamilyArtifacts.ProtoNnTensors t = new FamilyArtifacts.ProtoNnTensors(d, proj, m, classes, w.transposed(), b.transposed(), z.transposed(), gamma);
        return FamilyArtifacts.protoNn(t, FamilyArtifacts.encodings(), metadata(name, "protonn", new int[] {d}, "features", dir));
    }

    /**
     * FastGRNN: W [D, H] or W1 [D, rw] and W2 [rw, H]; U likewise; Bg, Bh; zeta, nu; optional FC
     * [H, L] and FCbias; optional mean and std. The sequence length is not in the files.
     */
    public static byte[] fastGrnn(Path dir, String name, int steps) throws IOException {
        boolean lowW = !has(dir, "W"), lowU = !has(dir, "U");
        int d, hidden;
        GraphBuilder g = new GraphBuilder();
        Map<String, String> weights = new LinkedHashMap<>();
        if (lowW) {
            NpyArray w1 = matrix(dir, "W1"), w2 = matrix(dir, "W2");
            d = w1.dim(0);
            hidden = w2.dim(1);
            if (w2.dim(0) != w1.dim(1)) throw new NpyFormatException("W1 and W2 ranks differ");
            g.weightFloat("W1", new int[] {w1.dim(1), d}, w1.transposed()).weightFloat("W2", new int[] {hidden, w1.dim(1)}, w2.transposed());
            weights.put("W1", "W1");
            weights.put("W2", "W2");
        } else {
            NpyArray w = matrix(dir, "W");
            d = w.dim(0);
            hidden = w.dim(1);
            g.weightFloat("W", new int[] {hidden, d}, w.transposed());
            weights.put("W", "W");
        }
        if (lowU) {
            NpyArray u1 = matrix(dir, "U1"), u2 = matrix(dir, "U2");
            if (u1.dim(0) != hidden || u2.dim(1) != hidden || u2.dim(0) != u1.dim(1)) throw new NpyFormatException("U1 [H, r], U2 [r, H] do not fit H = " + hidden);
            g.weightFloat("U1", new int[] {u1.dim(1), hidden}, u1.transposed()).weightFloat("U2", new int[] {hidden, u1.dim(1)}, u2.transposed());
            weights.put("U1", "U1");
            weights.put("U2", "U2");
        } else {
            NpyArray u = matrix(dir, "U");
            g.weightFloat("U", new int[] {hidden, hidden}, u.transposed());
            weights.put("U", "U");
        }
        for (String[] p : new String[][] {{"bg", "Bg"}, {"bh", "Bh"}, {"zeta", "zeta"}, {"nu", "nu"}}) {
            float[] v = npy(dir, p[1]).toFloats();
            g.weightFloat(p[0], new int[] {v.length}, v);
            weights.put(p[0], p[0]);
        }
        int classes = hidden;
        if (has(dir, "FC")) {
            NpyArray fc = matrix(dir, "FC");
            if (fc.dim(0) != hidden) throw new NpyFormatException("FC must be [" + hidden + ", classes]");
            classes = fc.dim(1);
            g.weightFloat("fc", new int[] {classes, hidden}, fc.transposed());
            weights.put("fc", "fc");
            if (has(dir, "FCbias")) {
                g.weightFloat("fc_bias", new int[] {classes}, npy(dir, "FCbias").toFloats());
                weights.put("fc_bias", "fc_bias");
            }
        }
        for (String p : new String[] {"mean", "std"}) {
            if (!has(dir, p)) continue;
            float[] v = npy(dir, p).toFloats();
            float[] full = v.length == d ? tile(v, steps) : v;
            if (full.length != steps * d) throw new NpyFormatException(p + " must have " + d + " or " + steps * d + " values");
            g.weightFloat(p, new int[] {full.length}, full);
            weights.put(p, p);
        }
        g.tensor("x", new int[] {steps, d}).tensor("scores", new int[] {classes}).input("x").output("scores")
                .node("fastgrnn", "fastgrnn", List.of("x"), List.of("scores"), weights, Map.of("hidden", (long) hidden));
        return g.toBytes(metadata(name, "fastgrnn", new int[] {steps, d}, "sequence", dir));
    }

    private static float[] tile(float[] v, int times) {
        float[] out = new float[v.length * times];
        for (int t = 0; t < times; t++) System.arraycopy(v, 0, out, t * v.length, v.length);
        return out;
    }
}
