package dev.winnow.tools.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.Model;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed Fashion-MNIST artifacts keep the promises: the RNNPool int8 model is at most
 * 64 KB with a peak arena of at most 32 KB, and (when the data is installed) classifies at least 90%
 * of the 10,000 test images through the runtime, the accuracy each artifact states.
 */
class ShippedFashionModelsTest {
    static final Path RNNPOOL = Path.of("models/fashion-rnnpool-int8.wnm"), PLAIN = Path.of("models/fashion-plain-int8.wnm");

    @Test
    void budgetsAndAccuracy() throws Exception {
        Path data = FashionMnist.locate();
        Dataset test = data == null ? null : FashionMnist.load(data, "t10k");
        for (Path p : new Path[] {RNNPOOL, PLAIN}) {
            assertTrue(Files.isRegularFile(p), p.toAbsolutePath() + " missing");
            Model m = Model.load(p);
            assertTrue(Files.size(p) <= 64 * 1024, p + ": " + Files.size(p) + " B");
            assertTrue(m.report().arenaBytes() <= 32 * 1024, p + ": arena " + m.report().arenaBytes() + " B");
            assertEquals(10, m.metadata().labels().size());
            if (test == null) continue;
            FashionEval.Row r = FashionEval.evaluate(p.toString(), m, test);
            assertTrue(r.accuracy() >= 0.90, p + ": accuracy " + r.accuracy());
            assertEquals(m.metadata().metrics().get("test_accuracy"), r.accuracy(), 1e-9, "the artifact states its own test accuracy");
        }
        Assumptions.assumeTrue(test != null, "dataset-fashion-mnist not installed: accuracy not checked");
    }
}
