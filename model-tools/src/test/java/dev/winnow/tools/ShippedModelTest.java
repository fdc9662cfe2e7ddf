package dev.winnow.tools;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.Model;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.data.LetterData;
import dev.winnow.tools.eval.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The committed Letter-26 artifact keeps its promises: at most 16 KB, int8 weights, and (when the data is installed) at least 95%. */
class ShippedModelTest {
    static final Path MODEL = Path.of("models/letter26-int8.wnm");

    @Test
    void letter26() throws Exception {
        assertTrue(Files.isRegularFile(MODEL), MODEL.toAbsolutePath() + " missing");
        assertTrue(Files.size(MODEL) <= 16 * 1024, Files.size(MODEL) + " B");
        Model m = Model.load(MODEL);
        assertEquals(26, m.metadata().labels().size());
        m.artifact().tensors().forEach(t -> assertEquals(dev.winnow.runtime.format.DType.INT8, t.dtype(), t.name()));
        // int8 arithmetic, not only int8 storage: the protonn op takes the quantized input
        var ops = m.report().ops();
        assertEquals(List.of("quantize", "protonn"), ops.stream().map(o -> o.type()).toList());
        assertTrue(ops.get(1).output().startsWith("scores"), ops.get(1).output());
        assertTrue(m.input(0).elementCount() == 16 && m.report().arenaBytes() <= 256, "peak arena " + m.report().arenaBytes() + " B");
        Path data = LetterData.locate();
        Assertions.assertTrue(data != null, "opencv-doc is not installed (scripts/install-deps.sh installs it)");
        Dataset test = LetterData.load(data).test();
        double acc = Evaluator.evaluate(m, test, 2).accuracy();
        assertTrue(acc >= 0.95, "accuracy " + acc);
        assertEquals(m.metadata().metrics().get("accuracy"), acc, 1e-9, "the artifact states its own test accuracy");
    }
}
