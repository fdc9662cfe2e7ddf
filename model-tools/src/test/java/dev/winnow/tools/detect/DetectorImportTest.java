package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ModelFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shipped artifacts read back into a trainable network: the warm start of {@code detector adapt}. */
class DetectorImportTest {
    static final Path FLOAT = Path.of("detector/person-detector-float.wnm"), INT8 = Path.of("detector/person-detector-int8.wnm");

    static float[] frame(long seed) {
        Random r = new Random(seed);
        float[] x = new float[DetectorNet.IN_W * DetectorNet.IN_H];
        // smooth blobs rather than white noise, so the heads see something like a scene
        for (int y = 0; y < DetectorNet.IN_H; y++)
            for (int i = 0; i < DetectorNet.IN_W; i++) x[y * DetectorNet.IN_W + i] = (float) (0.5 + 0.3 * Math.sin(i / 17.0 + seed) * Math.cos(y / 11.0) + 0.05 * r.nextGaussian());
        for (int i = 0; i < x.length; i++) x[i] = Math.min(1f, Math.max(0f, x[i]));
        return x;
    }

    @Test
    void theFloatTwinReadsBackToTheSameNetwork() throws Exception {
        Model f = Model.load(FLOAT);
        DetectorImport.Imported im = DetectorImport.read(f.artifact(), 1);
        assertEquals(false, im.int8());
        assertEquals(4, im.net().cfg.anchors(), "the shipped head has 2x2 anchors per cell");
        assertEquals(f.report().parameters(), im.net().parameterCount() + 4, "every parameter, plus the runtime's fixed zeta and nu per cell");
        // the graph written again from the imported network detects exactly as the original
        Model re = Model.load(DetectorExport.export(im.net(), im.decode(), null, Map.of(), null, null, List.of()));
        PersonDetector a = new PersonDetector(f), b = new PersonDetector(re);
        // a frame of vtest's plaza (people in every frame) gives boxes to compare; two made-up scenes beside it
        float[] plaza = new float[DetectorNet.IN_W * DetectorNet.IN_H];
        GreyInput.fill(dev.winnow.tools.teacher.FrameFiles.read(Path.of("../data/detector/vtest/native/0700.png")), DetectorNet.IN_W, DetectorNet.IN_H, plaza);
        int found = 0;
        for (float[] y : List.of(plaza, frame(1), frame(2))) {
            a.run(y);
            b.run(y);
            assertEquals(a.count(), b.count());
            for (int k = 0; k < a.count(); k++) assertArrayEquals(a.boxes().get(k), b.boxes().get(k), 1e-4f);
            found += a.count();
        }
        assertTrue(found > 0, "some detections to compare");
    }

    @Test
    void aContextBranchReadsBack() throws Exception {
        DetectorNet net = DetectorExportTest.network(DetectorNet.Config.standard().withAnchors(2, 2).withContext(8), 11);
        DetectorExport.Decode decode = new DetectorExport.Decode(0.4f, 0.3f);
        DetectorImport.Imported im = DetectorImport.read(Model.load(DetectorExport.export(net, decode, null, null, null)).artifact(), 1);
        assertEquals(net.cfg, im.net().cfg);
        for (int p = 0; p < net.params().size(); p++)
            assertArrayEquals(net.params().get(p).w, im.net().params().get(p).w, 0f, net.params().get(p).name);
    }

    @Test
    void theInt8ArtifactReadsBackToItsDequantizedWeights() throws Exception {
        Model q = Model.load(INT8), f = Model.load(FLOAT);
        DetectorImport.Imported iq = DetectorImport.read(q.artifact(), 1), fl = DetectorImport.read(f.artifact(), 1);
        assertTrue(iq.int8());
        assertEquals(fl.decode().scoreThreshold(), iq.decode().scoreThreshold(), 1e-6f);
        // int8 weights are the float ones rounded to 255 steps per output channel: within half a step of them
        for (int p = 0; p < iq.net().params().size(); p++) {
            float[] a = iq.net().params().get(p).w, b = fl.net().params().get(p).w;
            float max = 0;
            for (float v : b) max = Math.max(max, Math.abs(v));
            for (int i = 0; i < a.length; i++)
                assertEquals(b[i], a[i], max / 127f + 1e-4f, iq.net().params().get(p).name + "[" + i + "]");
        }
    }

    @Test
    void aModelThatIsNotAStudentIsRefused() throws Exception {
        Model other = Model.load(Path.of("models/letter26-int8.wnm"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DetectorImport.read(other.artifact(), 1));
        assertTrue(e.getMessage().contains("not an RNNPool person detector"), e.getMessage());
    }
}
