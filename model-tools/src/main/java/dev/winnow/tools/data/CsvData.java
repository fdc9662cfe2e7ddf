package dev.winnow.tools.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A team's own labelled data: CSV rows of numeric features with the class label in the last
 * column; a first line that does not parse as numbers is a header; {@code #} lines are comments.
 * Class names are the distinct labels, sorted. With one file, every fifth row (rows 4, 9, 14, …)
 * is held out for testing, so the split does not depend on how the file is ordered by time or class
 * blocks more than necessary and is the same on every run.
 */
public final class CsvData {
    private CsvData() {}

    public static Dataset.Split load(Path train, Path test) throws IOException {
        List<Row> a = read(train);
        if (test != null) {
            List<Row> b = read(test);
            if (b.get(0).x.length != a.get(0).x.length) {
                throw new DataFormatException(test + ": " + b.get(0).x.length + " features, " + train + " has " + a.get(0).x.length);
            }
            List<String> classes = classes(a, b);
            return new Dataset.Split(dataset(train, a, classes), dataset(test, b, classes));
        }
        List<Row> tr = new ArrayList<>(), te = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) (i % 5 == 4 ? te : tr).add(a.get(i));
        if (te.isEmpty()) throw new DataFormatException(train + ": " + a.size() + " rows are too few to hold out a test fifth");
        List<String> classes = classes(a, List.of());
        return new Dataset.Split(dataset(train, tr, classes), dataset(train, te, classes));
    }

    private record Row(float[] x, String label) {}

    private static List<Row> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file + ": no such file");
        List<Row> rows = new ArrayList<>();
        int width = -1, n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] f = t.split(",", -1);
                if (f.length < 2) throw new DataFormatException(file + " line " + n + ": need at least one feature and a label, got '" + t + "'");
                float[] x = new float[f.length - 1];
                try {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = Float.parseFloat(f[i].strip());
                        if (!Float.isFinite(x[i])) throw new NumberFormatException("not finite");
                    }
                } catch (NumberFormatException e) {
                    if (rows.isEmpty() && width < 0) {
                        width = 0; // a header line
                        continue;
                    }
                    throw new DataFormatException(file + " line " + n + ": feature values must be finite numbers: '" + t + "'");
                }
                if (width > 0 && x.length != width) {
                    throw new DataFormatException(file + " line " + n + ": " + x.length + " features, earlier rows have " + width);
                }
                width = x.length;
                String label = f[f.length - 1].strip();
                if (label.isEmpty()) throw new DataFormatException(file + " line " + n + ": empty label");
                rows.add(new Row(x, label));
            }
        }
        if (rows.isEmpty()) throw new DataFormatException(file + ": no data rows");
        return rows;
    }

    private static List<String> classes(List<Row> a, List<Row> b) throws DataFormatException {
        TreeSet<String> names = new TreeSet<>();
        for (Row r : a) names.add(r.label);
        for (Row r : b) names.add(r.label);
        if (names.size() < 2) throw new DataFormatException("a classifier needs at least two classes, the data has " + names);
        return List.copyOf(names);
    }

    private static Dataset dataset(Path file, List<Row> rows, List<String> classes) {
        int d = rows.get(0).x.length;
        float[] x = new float[rows.size() * d];
        int[] y = new int[rows.size()];
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).x, 0, x, i * d, d);
            y[i] = index.get(rows.get(i).label);
        }
        return new Dataset(file.getFileName().toString(), d, x, y, classes);
    }
}
