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

    /** Quantizes {@code m} to {@code encodings}: calibrated, validated and (as {@code mode} says) fine-tuned on samples of the training set. */
    static Compressor.Quantized quantize(TrainableModel m, Map<String, TensorEncoding> encodings, Compressor.Qat mode, long seed) throws Exception {
        return Compressor.quantize(m, encodings, TRAIN, TRAIN.sample(500, 1), TRAIN.sample(500, 2), mode, 0.01, qat(seed), INFO, null);
    }

    /** Test accuracy of the float model, after post-training quantization, and after quantization-aware fine-tuning. */
    record Accuracies(double base, double ptq, double after) {
        static Accuracies of(String what, TrainableModel m, Compressor.Quantized q) throws Exception {
            Accuracies a = new Accuracies(acc(m, FamilyArtifacts.encodings()), acc(q.ptqModel(), q.encodings()), acc(q.model(), q.encodings()));
            System.out.printf("%s: float %.2f%%, post-training %.2f%%, quantization-aware %.2f%%%n", what, 100 * a.base, 100 * a.ptq, 100 * a.after);
            return a;
        }
    }

    @Test
    void threeBitProtoNnLosesPointsAfterTrainingAndQatWinsThemBack() throws Exception {
        Compressor.Quantized q = quantize(protoNn, Compressor.intBits(protoNn, 3), Compressor.Qat.AUTO, 23);
        Accuracies a = Accuracies.of("ProtoNN 3-bit", protoNn, q);
        assertTrue(q.qatRan(), "post-training lost " + (q.floatAccuracy() - q.ptqAccuracy()) + " > 1 point, so AUTO fine-tunes");
        assertTrue(a.base - a.ptq > 0.03, "3-bit post-training should lose points here: " + a.base + " -> " + a.ptq);
        assertTrue(a.after - a.ptq > 0.01, "QAT wins points back: " + a.ptq + " -> " + a.after + " (float " + a.base + ")");
        // the artifact stores exactly what QAT trained with, and runs the integer kernel
        Artifact art = ArtifactReader.read(ModelExport.toArtifact(q.model(), q.encodings(), INFO));
        assertEquals(DType.INT8, art.tensor("B").dtype());
        for (float v : art.tensor("B").toFloatArray()) assertEquals(0, Math.abs(v / art.tensor("B").quantization().scale(0)) % 1, 1e-3);
        assertEquals("quantize", Model.fromArtifact(art).report().ops().get(0).type());
    }

    @Test
    void threeBitBonsaiRecoversToo() throws Exception {
        Compressor.Quantized q = quantize(bonsai, Compressor.intBits(bonsai, 3), Compressor.Qat.ALWAYS, 24);
        Accuracies a = Accuracies.of("Bonsai 3-bit", bonsai, q);
        assertTrue(q.qatRan());
        assertTrue(a.after > a.ptq, "QAT recovers: " + a.ptq + " -> " + a.after);
        assertTrue(a.after > a.base - 0.05, "3-bit Bonsai after QAT within 5 points of float: " + a.after + " vs " + a.base);
    }

    @Test
    void autoSkipsFineTuningWhenPostTrainingIsGoodEnough() throws Exception {
        Compressor.Quantized q = quantize(protoNn, Compressor.int8(protoNn), Compressor.Qat.AUTO, 25);
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
