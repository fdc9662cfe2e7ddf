package dev.winnow.tools.data;

import java.io.IOException;
import java.nio.file.Path;

/** Data sets by name, for the command line: {@code letter}, {@code fashion-mnist}, or a team's own {@code csv}. */
public final class Datasets {
    private Datasets() {}

    /**
     * Loads the named set's customary split, from {@code path} when given (a file for letter, a
     * directory for fashion-mnist), else from where the Debian packages install it.
     */
    public static Dataset.Split load(String name, Path path) throws IOException {
        return load(name, path, null);
    }

    /** As {@link #load(String, Path)}; {@code csv} reads {@code path} (and {@code testPath} when given, else holds out every fifth row). */
    public static Dataset.Split load(String name, Path path, Path testPath) throws IOException {
        switch (name) {
            case "csv": {
                if (path == null) throw new DataFormatException("csv: pass the file with --data-path (features…,label per line)");
                return CsvData.load(path, testPath);
            }
            case "letter": {
                Path f = path != null ? path : LetterData.locate();
                if (f == null) throw new DataFormatException("letter: " + LetterData.DEBIAN + "[.gz] not found; apt-get install opencv-doc, or pass --data-path");
                return LetterData.load(f);
            }
            case "fashion-mnist": {
                Path d = path != null ? path : FashionMnist.locate();
                if (d == null) throw new DataFormatException("fashion-mnist: " + FashionMnist.DEBIAN + " not found; apt-get install dataset-fashion-mnist, or pass --data-path");
                return FashionMnist.load(d);
            }
            default:
                throw new DataFormatException("unknown data set '" + name + "' (letter, fashion-mnist, csv)");
        }
    }
}
