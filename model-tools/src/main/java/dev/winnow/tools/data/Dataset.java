package dev.winnow.tools.data;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A labelled classification set in memory: {@code size} rows of {@code features} floats (row-major,
 * one flat array), one class index per row, and the class names. Immutable.
 */
public final class Dataset {
    private final String name;
    private final int features;
    private final float[] x;
    private final int[] y;
    private final List<String> classNames;

    public Dataset(String name, int features, float[] x, int[] y, List<String> classNames) {
        if (features < 1) throw new IllegalArgumentException("features must be >= 1");
        if (x.length != (long) y.length * features) {
            throw new IllegalArgumentException(name + ": " + x.length + " feature values for " + y.length + " rows of " + features);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": row " + i + " has label " + y[i] + ", outside the " + classNames.size() + " classes");
            }
        }
        this.name = name;
        this.features = features;
        this.x = x;
        this.y = y;
        this.classNames = List.copyOf(classNames);
    }

    public String name() { return name; }
    public int size() { return y.length; }
    public int features() { return features; }
    public int classes() { return classNames.size(); }
    public List<String> classNames() { return classNames; }

    /** The flat feature array (shared, do not modify). */
    public float[] x() { return x; }
    /** The labels (shared, do not modify). */
    public int[] y() { return y; }

    public int label(int row) { return y[row]; }

    /** Offset of row {@code row} in {@link #x()}. */
    public int offset(int row) { return row * features; }

    public float[] row(int row) {
        return Arrays.copyOfRange(x, row * features, (row + 1) * features);
    }

    /** Rows [from, to). */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + size() + " rows");
        return new Dataset(name, features, Arrays.copyOfRange(x, from * features, to * features), Arrays.copyOfRange(y, from, to), classNames);
    }

    /** The rows at {@code rows}, in that order. */
    public Dataset select(int[] rows) {
        float[] nx = new float[rows.length * features];
        int[] ny = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * features, nx, i * features, features);
            ny[i] = y[rows[i]];
        }
        return new Dataset(name, features, nx, ny, classNames);
    }

    /** A seeded random subset of {@code n} rows (all rows when n >= size). */
    public Dataset sample(int n, long seed) {
        if (n >= size()) return this;
        int[] idx = permutation(size(), new Random(seed));
        return select(Arrays.copyOf(idx, n));
    }

    public static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Rows per class. */
    public int[] classCounts() {
        int[] c = new int[classes()];
        for (int l : y) c[l]++;
        return c;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " rows, " + features + " features, " + classes() + " classes)";
    }

    /** The customary train/test split of a data set. */
    public record Split(Dataset train, Dataset test) {}
}
