package dev.winnow.tools.data;

import java.io.IOException;
import java.nio.file.Path;

/** Data sets by name, for the command line: {@code letter} and {@code fashion-mnist}. */
public final class Datasets {
    private Datasets() {}

    /**
     * Loads the named set's customary split, from {@code path} when given (a file for letter, a
     * directory for fashion-mnist), else from where the Debian packages install it.
     */
    public static Dataset.Split load(String name, Path path) throws IOException {
        switch (name) {
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
                throw new DataFormatException("unknown data set '" + name + "' (letter, fashion-mnist)");
        }
    }
}
