package dev.winnow.tools.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * UCI Letter Recognition (Frey and Slate, 1991): 20,000 rows of a capital letter A–Z then 16
 * integer features (0–15), comma separated. Split as customary (and as in the ProtoNN paper): the
 * first 16,000 rows train, the last 4,000 test. Reads plain or gzipped files.
 */
public final class LetterData {
    public static final int FEATURES = 16;
    public static final int TRAIN_ROWS = 16_000;
    public static final List<String> CLASSES;

    static {
        List<String> c = new ArrayList<>();
        for (char ch = 'A'; ch <= 'Z'; ch++) c.add(String.valueOf(ch));
        CLASSES = List.copyOf(c);
    }

    /** Where Debian's {@code opencv-doc} puts it (possibly gzipped). */
    public static final Path DEBIAN = Path.of("/usr/share/doc/opencv-doc/examples/data/letter-recognition.data");

    private LetterData() {}

    /** The Debian file, or its .gz, whichever exists; null when neither does. */
    public static Path locate() {
        if (Files.isRegularFile(DEBIAN)) return DEBIAN;
        Path gz = Path.of(DEBIAN + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /** All rows of the file, in file order. */
    public static Dataset read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file + ": no such file (install the Debian package opencv-doc)");
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = Gzip.maybeGunzip(raw);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            return parse(r, file.toString());
        }
    }

    static Dataset parse(BufferedReader r, String where) throws IOException {
        float[] x = new float[20_000 * FEATURES];
        int[] y = new int[20_000];
        int rows = 0, lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            line = line.strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            if (f.length != FEATURES + 1) {
                throw new DataFormatException(where + " line " + lineNo + ": expected a letter and " + FEATURES + " features, found " + f.length + " fields");
            }
            String l = f[0].strip();
            if (l.length() != 1 || l.charAt(0) < 'A' || l.charAt(0) > 'Z') {
                throw new DataFormatException(where + " line " + lineNo + ": label '" + l + "' is not a capital letter A-Z");
            }
            if (rows == y.length) {
                y = java.util.Arrays.copyOf(y, rows * 2);
                x = java.util.Arrays.copyOf(x, rows * 2 * FEATURES);
            }
            y[rows] = l.charAt(0) - 'A';
            for (int i = 0; i < FEATURES; i++) {
                String v = f[i + 1].strip();
                try {
                    float fv = Float.parseFloat(v);
                    if (!Float.isFinite(fv)) throw new NumberFormatException();
                    x[rows * FEATURES + i] = fv;
                } catch (NumberFormatException e) {
                    throw new DataFormatException(where + " line " + lineNo + ", feature " + (i + 1) + ": '" + v + "' is not a number");
                }
            }
            rows++;
        }
        if (rows == 0) throw new DataFormatException(where + ": no rows");
        return new Dataset("letter", FEATURES, java.util.Arrays.copyOf(x, rows * FEATURES), java.util.Arrays.copyOf(y, rows), CLASSES);
    }

    /** The first 16,000 rows train, the rest (4,000 in the real file) test. */
    public static Dataset.Split split(Dataset all) throws DataFormatException {
        if (all.size() <= TRAIN_ROWS) {
            throw new DataFormatException("letter: " + all.size() + " rows, the customary split needs more than " + TRAIN_ROWS + " (20,000 in the UCI file)");
        }
        return new Dataset.Split(all.slice(0, TRAIN_ROWS), all.slice(TRAIN_ROWS, all.size()));
    }

    public static Dataset.Split load(Path file) throws IOException {
        return split(read(file));
    }
}
