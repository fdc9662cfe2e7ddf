package dev.winnow.runtime.testing;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.family.Bonsai;
import dev.winnow.runtime.format.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A Bonsai tree with random parameters and a sparse Z, as a family object and as a graph artifact
 * with the same numbers: for tests that compare the two, and for benchmarks, where speed does not
 * depend on the weights.
 */
public final class RandomBonsai {
    public final int features, projection, classes, depth;
    public final float sigma;
    public final float[] mean, std, z, w, v, theta;
    private final int[] zIndex;
    private final float[] zValues;

    /** @param zDensity share of Z's entries that are non-zero */
    public RandomBonsai(long seed, int features, int projection, int classes, int depth, float sigma, double zDensity) {
        Random r = new Random(seed);
        this.features = features;
        this.projection = projection;
        this.classes = classes;
        this.depth = depth;
        this.sigma = sigma;
        int nodes = (1 << (depth + 1)) - 1, internal = (1 << depth) - 1;
        mean = Tensors.gaussian(r, features + 1, 1);
        std = Tensors.uniform(r, features + 1, 0.5, 2);
        mean[features] = 0;
        std[features] = 1;
        z = Tensors.gaussian(r, projection * (features + 1), 1);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            if (r.nextDouble() >= zDensity) z[i] = 0;
            else idx.add(i);
        }
        zIndex = idx.stream().mapToInt(Integer::intValue).toArray();
        zValues = new float[zIndex.length];
        for (int i = 0; i < zIndex.length; i++) zValues[i] = z[zIndex[i]];
        w = Tensors.gaussian(r, classes * nodes * projection, 1);
        v = Tensors.gaussian(r, classes * nodes * projection, 1);
        theta = Tensors.gaussian(r, Math.max(1, internal) * projection, 1);
    }

    public Bonsai family() {
        return new Bonsai(features, projection, classes, depth, sigma, mean, std, z, w, v, theta);
    }

    /** The same tree as a float32 graph artifact, Z stored sparse. */
    public byte[] artifact(String name, List<String> labels) {
        int nodes = (1 << (depth + 1)) - 1, internal = (1 << depth) - 1;
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {features}).tensor("scores", new int[] {classes}).input("x").output("scores")
                .node("bonsai", "tree", List.of("x"), List.of("scores"),
                        Map.of("mean", "mean", "std", "std", "Z", "Z", "W", "W", "V", "V", "theta", "T"),
                        Map.of("depth", (long) depth, "projection", (long) projection, "classes", (long) classes, "sigma", (double) sigma))
                .weightFloat("mean", new int[] {features + 1}, mean).weightFloat("std", new int[] {features + 1}, std)
                .weight(wr -> wr.addSparse("Z", new int[] {projection, features + 1}, zIndex, zValues, false))
                .weightFloat("W", new int[] {classes * nodes, projection}, w).weightFloat("V", new int[] {classes * nodes, projection}, v)
                .weightFloat("T", new int[] {Math.max(1, internal), projection}, theta);
        Metadata.Builder md = Metadata.builder(name, "bonsai").input("x", new int[] {features}, "float32", "features", null);
        return g.toBytes(labels == null ? md : md.labels(labels));
    }
}
