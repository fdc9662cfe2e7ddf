package dev.winnow.tools.compress;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.DType;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.model.TensorEncoding;
import dev.winnow.tools.train.BonsaiModel;
import dev.winnow.tools.train.ModelExport;
import dev.winnow.tools.train.ProtoNnModel;
import dev.winnow.tools.train.Synthetic;
import dev.winnow.tools.train.TrainableModel;
import dev.winnow.tools.train.Trainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quantization-aware fine-tuning recovers what post-training quantization loses; binarization; the RAM budget. */
class QuantizationAwareTest {
    static final Dataset TRAIN = Synthetic.clusters(1500, 16, 8, 11), TEST = Synthetic.clusters(500, 16, 8, 12);
    static final ModelExport.Info INFO = new ModelExport.Info("q", "synthetic", TRAIN.classNames(), null, null);
    static ProtoNnModel protoNn;
    static BonsaiModel bonsai;

    @BeforeAll
    static void train() {
        protoNn = SmallModels.protoNn(TRAIN, 21, 10);
        bonsai = SmallModels.bonsai(TRAIN, 22, 10);
    }

    static Trainer.Options qat(long seed) {
        return Trainer.Options.defaults(seed).epochs(6).learningRate(0.001);
    }

    static double acc(TrainableModel m, Map<String, TensorEncoding> enc) throws Exception {
        return Compressor.accuracy(ModelExport.toArtifact(m, enc, INFO), TEST);
    }

    @Test
    void threeBitProtoNnLosesPointsAfterTrainingAndQatWinsThemBack() throws Exception {
        double base = acc(protoNn, FamilyArtifacts.encodings());
        Compressor.Quantized q = Compressor.quantize(protoNn, Compressor.intBits(protoNn, 3), TRAIN, TRAIN.sample(500, 1), TRAIN.sample(500, 2),
                Compressor.Qat.AUTO, 0.01, qat(23), INFO, null);
        double ptq = acc(q.ptqModel(), q.encodings()), after = acc(q.model(), q.encodings());
        System.out.printf("ProtoNN 3-bit: float %.2f%%, post-training %.2f%%, quantization-aware %.2f%%%n", 100 * base, 100 * ptq, 100 * after);
        assertTrue(q.qatRan(), "post-training lost " + (q.floatAccuracy() - q.ptqAccuracy()) + " > 1 point, so AUTO fine-tunes");
        assertTrue(base - ptq > 0.03, "3-bit post-training should lose points here: " + base + " -> " + ptq);
        assertTrue(after - ptq > 0.01, "QAT wins points back: " + ptq + " -> " + after + " (float " + base + ")");
        // the artifact stores exactly what QAT trained with, and runs the integer kernel
        Artifact a = ArtifactReader.read(ModelExport.toArtifact(q.model(), q.encodings(), INFO));
        assertEquals(DType.INT8, a.tensor("B").dtype());
        for (float v : a.tensor("B").toFloatArray()) assertEquals(0, Math.abs(v / a.tensor("B").quantization().scale(0)) % 1, 1e-3);
        assertEquals("quantize", Model.fromArtifact(a).report().ops().get(0).type());
    }

    @Test
    void threeBitBonsaiRecoversToo() throws Exception {
        double base = acc(bonsai, FamilyArtifacts.encodings());
        Compressor.Quantized q = Compressor.quantize(bonsai, Compressor.intBits(bonsai, 3), TRAIN, TRAIN.sample(500, 1), TRAIN.sample(500, 2),
                Compressor.Qat.ALWAYS, 0.01, qat(24), INFO, null);
        double ptq = acc(q.ptqModel(), q.encodings()), after = acc(q.model(), q.encodings());
        System.out.printf("Bonsai 3-bit: float %.2f%%, post-training %.2f%%, quantization-aware %.2f%%%n", 100 * base, 100 * ptq, 100 * after);
        assertTrue(q.qatRan());
        assertTrue(after > ptq, "QAT recovers: " + ptq + " -> " + after);
        assertTrue(after > base - 0.05, "3-bit Bonsai after QAT within 5 points of float: " + after + " vs " + base);
    }

    @Test
    void autoSkipsFineTuningWhenPostTrainingIsGoodEnough() throws Exception {
        Compressor.Quantized q = Compressor.quantize(protoNn, Compressor.int8(protoNn), TRAIN, TRAIN.sample(500, 1), TRAIN.sample(500, 2),
                Compressor.Qat.AUTO, 0.01, qat(25), INFO, null);
        assertFalse(q.qatRan(), "int8 loses " + (q.floatAccuracy() - q.ptqAccuracy()));
        assertSame(q.model(), q.ptqModel());
    }

    @Test
    void binarizedProjectionIsStoredAsBitsAndFineTuningHelps() throws Exception {
        double base = acc(protoNn, FamilyArtifacts.encodings());
        Compressor.Binarized raw = Compressor.binarize(protoNn, List.of("W"), TRAIN, null);
        Compressor.Binarized tuned = Compressor.binarize(protoNn, List.of("W"), TRAIN, qat(26));
        double a0 = acc(raw.model(), raw.encodings()), a1 = acc(tuned.model(), tuned.encodings());
        System.out.printf("ProtoNN binary W: float %.2f%%, binarized %.2f%%, binarized + fine-tuning %.2f%%%n", 100 * base, 100 * a0, 100 * a1);
        Artifact a = ArtifactReader.read(ModelExport.toArtifact(tuned.model(), tuned.encodings(), INFO));
        assertEquals(DType.BINARY, a.tensor("W").dtype());
        assertEquals(8 * 8, a.tensor("W").storedBytes(), "8 rows of 16 signs: one 64-bit word each");
        float[] w = a.tensor("W").toFloatArray();
        for (int r = 0; r < 8; r++) for (int c = 1; c < 16; c++) assertEquals(Math.abs(w[r * 16]), Math.abs(w[r * 16 + c]), 0f, "one |α| per row");
        assertTrue(a1 > a0 + 0.05, "fine-tuning with the binarized forward pass helps: " + a0 + " -> " + a1);
        // binary W with int8 B and Z still runs the integer kernel (±1 rows are exact int8)
        Map<String, TensorEncoding> enc = new java.util.LinkedHashMap<>(Compressor.int8(tuned.model()));
        enc.putAll(tuned.encodings());
        TrainableModel cal = tuned.model().copy();
        enc = Compressor.calibrate(cal, enc, TRAIN.sample(300, 4), INFO, null);
        Model m = Model.load(ModelExport.toArtifact(cal, enc, INFO));
        assertEquals("quantize", m.report().ops().get(0).type());
        assertTrue(Compressor.accuracy(m.artifact().bytes(), TEST) > a1 - 0.03);
    }

    @Test
    void ramBudgetPicksAnArtifactWithinThePeakArena() throws Exception {
        Compressor.BudgetResult all = Compressor.budget(protoNn, TRAIN, TEST, TRAIN.sample(200, 3), Integer.MAX_VALUE, Long.MAX_VALUE,
                new double[] {0}, new int[] {8, 4}, List.of("Z"), null, INFO, null);
        long intRam = all.tried().get(0).ramBytes(), cbRam = all.tried().get(1).ramBytes();
        assertTrue(intRam < cbRam, "int8 arithmetic needs less arena than the float path: " + intRam + " vs " + cbRam);
        Compressor.BudgetResult r = Compressor.budget(protoNn, TRAIN, TEST, TRAIN.sample(200, 3), Integer.MAX_VALUE, intRam,
                new double[] {0}, new int[] {4, 8}, List.of("Z"), null, INFO, null);
        assertEquals("int8+huffman", r.best().encoding());
        assertTrue(r.best().ramBytes() <= intRam && r.table().contains("peak RAM"));
        assertNull(Compressor.budget(protoNn, TRAIN, TEST, null, Integer.MAX_VALUE, 16, new double[] {0}, new int[] {8}, List.of("Z"), null, INFO, null).best());
    }
}
