package dev.winnow.tools.train;

import dev.winnow.tools.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small separable data sets for fast training tests: Gaussian clusters, a few per class, integer-valued like Letter. */
public final class Synthetic {
    private Synthetic() {}

    public static Dataset clusters(int n, int features, int classes, long seed) {
        Random r = new Random(seed);
        Random centres = new Random(1234); // the same clusters for every seed, so train and test match
        int perClass = 2;
        float[][] c = new float[classes * perClass][features];
        for (float[] row : c) for (int j = 0; j < features; j++) row[j] = 2 + centres.nextInt(12);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(classes), k = label * perClass + r.nextInt(perClass);
            y[i] = label;
            for (int j = 0; j < features; j++) x[i * features + j] = Math.max(0, Math.min(15, Math.round(c[k][j] + (float) r.nextGaussian() * 1.2f)));
        }
        List<String> names = new ArrayList<>();
        for (int l = 0; l < classes; l++) names.add(String.valueOf((char) ('A' + l)));
        return new Dataset("synthetic", features, x, y, names);
    }

    /** Letter-format CSV text of such data (label letter, then the features). */
    public static String letterCsv(Dataset d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            sb.append((char) ('A' + d.label(i)));
            for (int j = 0; j < d.features(); j++) sb.append(',').append((int) d.x()[i * d.features() + j]);
            sb.append('\n');
        }
        return sb.toString();
    }
}
