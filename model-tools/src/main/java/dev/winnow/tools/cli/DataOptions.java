package dev.winnow.tools.cli;

import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.data.Datasets;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Data set options shared by train, compress and eval. */
final class DataOptions {
    @Option(names = "--data", defaultValue = "letter", description = "data set: letter, fashion-mnist, or csv (your own: features…,label per line) (default: ${DEFAULT-VALUE})") String data;
    @Option(names = "--data-path", description = "file (letter) or directory (fashion-mnist); default: where the Debian packages put them") Path dataPath;
    @Option(names = "--test-path", description = "csv: a separate test file (default: every fifth row of --data-path is held out)") Path testPath;
    @Option(names = "--train-rows", description = "use only the first N training rows (quick runs)") Integer trainRows;
    @Option(names = "--test-rows", description = "use only the first N test rows (quick runs)") Integer testRows;

    Dataset.Split load() throws IOException {
        Dataset.Split s = Datasets.load(data, dataPath, testPath);
        Dataset train = trainRows == null ? s.train() : s.train().slice(0, Math.min(trainRows, s.train().size()));
        Dataset test = testRows == null ? s.test() : s.test().slice(0, Math.min(testRows, s.test().size()));
        return new Dataset.Split(train, test);
    }
}
