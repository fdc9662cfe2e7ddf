package dev.winnow.tools.compress;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.Codec;
import dev.winnow.runtime.format.DType;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.model.TensorEncoding;
import dev.winnow.tools.train.BonsaiModel;
import dev.winnow.tools.train.ModelExport;
import dev.winnow.tools.train.ProtoNnModel;
import dev.winnow.tools.train.Sparsity;
import dev.winnow.tools.train.Synthetic;
import dev.winnow.tools.train.TrainableModel;
import dev.winnow.tools.train.Trainer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CompressorTest {
    static final Dataset TRAIN = Synthetic.clusters(1200, 16, 6, 1), TEST = Synthetic.clusters(400, 16, 6, 2);
    static BonsaiModel bonsai;
    static ProtoNnModel protoNn;
    static final ModelExport.Info INFO = new ModelExport.Info("c", "synthetic", TRAIN.classNames(), null, null);

    @BeforeAll
    static void train() {
        bonsai = SmallModels.bonsai(TRAIN, 5, 8);
        protoNn = SmallModels.protoNn(TRAIN, 6, 8);
    }

    static double acc(TrainableModel m, Map<String, TensorEncoding> enc) throws Exception {
        return Compressor.accuracy(ModelExport.toArtifact(m, enc, INFO), TEST);
    }

    @Test
    void pruningKeepsTheSupportWhileFineTuning() throws Exception {
        double before = acc(bonsai, FamilyArtifacts.encodings());
        TrainableModel p = Compressor.prune(bonsai, List.of("Z"), 0.6, TRAIN, Trainer.Options.defaults(7).epochs(3).learningRate(0.003));
        BonsaiModel pb = (BonsaiModel) p;
        assertEquals(Sparsity.keepCount(pb.z().length, 0.4), pb.nonZeros(0), "60% of Z stays zero after fine-tuning");
        assertEquals(Sparsity.nonZeros(bonsai.z()), bonsai.z().length, "the input model is untouched");
        byte[] a = ModelExport.toArtifact(p, FamilyArtifacts.encodings(), INFO);
        assertEquals(Codec.SPARSE, ArtifactReader.read(a).tensor("Z").codec());
        assertTrue(acc(p, FamilyArtifacts.encodings()) > before - 0.05);
        assertThrows(IllegalArgumentException.class, () -> Compressor.prune(bonsai, List.of("Q"), 0.5, TRAIN, null));
    }

    @Test
    void int8BonsaiRunsIntegerArithmeticAndKeepsAccuracy() throws Exception {
        Map<String, TensorEncoding> enc = Compressor.int8(bonsai, TRAIN.sample(300, 1), INFO, null);
        byte[] a = ModelExport.toArtifact(bonsai, enc, INFO);
        Artifact art = ArtifactReader.read(a);
        for (String t : List.of("Z", "W", "V", "T")) assertEquals(DType.INT8, art.tensor(t).dtype(), t);
        assertTrue(art.metadata().toJson().contains("\"arithmetic\":\"int8\""));
        byte[] f = ModelExport.toArtifact(bonsai, FamilyArtifacts.encodings(), INFO);
        assertTrue(weightBytes(a) < weightBytes(f) / 3, weightBytes(a) + " vs " + weightBytes(f));
        assertTrue(Compressor.accuracy(a, TEST) > Compressor.accuracy(f, TEST) - 0.03);
    }

    @Test
    void int8ProtoNnAndCodebooksAndHuffman() throws Exception {
        double base = acc(protoNn, FamilyArtifacts.encodings());
        Map<String, TensorEncoding> q = Compressor.int8(protoNn, TRAIN.sample(300, 2), INFO, null);
        assertTrue(acc(protoNn, q) > base - 0.03);
        Map<String, TensorEncoding> cb = Compressor.share(protoNn, 4);
        byte[] a = ModelExport.toArtifact(protoNn, cb, INFO);
        TensorData b = ArtifactReader.read(a).tensor("B");
        assertEquals(Codec.CODEBOOK, b.codec());
        Set<Float> distinct = new HashSet<>();
        for (float v : b.toFloatArray()) distinct.add(v);
        assertTrue(distinct.size() <= 16);
        assertTrue(acc(protoNn, cb) > base - 0.1);
        byte[] h = ModelExport.toArtifact(protoNn, Compressor.huffman(protoNn, q), INFO);
        byte[] noH = ModelExport.toArtifact(protoNn, q, INFO);
        assertTrue(h.length <= noH.length, "Huffman is only applied where it shrinks a payload");
        assertEquals(Compressor.accuracy(noH, TEST), Compressor.accuracy(h, TEST), "Huffman is lossless");
    }

    @Test
    void huffmanShrinksSkewedPayloadsLosslessly() throws Exception {
        // Letter-sized ProtoNN with one-hot label vectors: int8 Z is mostly zeros and a few values
        java.util.Random r = new java.util.Random(3);
        int m = 300, proj = 16, d = 16, L = 26;
        float[] w = new float[proj * d], b = new float[m * proj], z = new float[m * L];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (int j = 0; j < m; j++) z[j * L + j % L] = 1f + 0.1f * r.nextInt(3);
        var t = new FamilyArtifacts.ProtoNnTensors(d, proj, m, L, w, b, z, 0.5);
        Map<String, TensorEncoding> plain = Map.of("W", TensorEncoding.int8(true), "B", TensorEncoding.int8(false), "Z", TensorEncoding.int8(false));
        Map<String, TensorEncoding> coded = Map.of("W", TensorEncoding.int8(true).withHuffman(true), "B", TensorEncoding.int8(false).withHuffman(true),
                "Z", TensorEncoding.int8(false).withHuffman(true));
        var md = dev.winnow.runtime.format.Metadata.builder("h", "protonn").input("x", new int[] {d}, "float32", "features", null);
        Artifact p = ArtifactReader.read(FamilyArtifacts.protoNn(t, plain, md));
        Artifact h = ArtifactReader.read(FamilyArtifacts.protoNn(t, coded, md));
        assertTrue(h.tensor("Z").huffmanCoded());
        assertTrue(h.tensor("Z").storedBytes() * 5 < p.tensor("Z").storedBytes() * 4, h.tensor("Z") + " vs " + p.tensor("Z"));
        for (String n : List.of("W", "B", "Z")) assertArrayEquals(p.tensor(n).toFloatArray(), h.tensor(n).toFloatArray(), n);
        Model.load(h.bytes());
    }

    static int weightBytes(byte[] artifact) throws Exception {
        int n = 0;
        for (TensorData t : ArtifactReader.read(artifact).tensors()) n += t.storedBytes();
        return n;
    }

    @Test
    void budgetFindsTheMostAccurateArtifactThatFits() throws Exception {
        int budget = ModelExport.toArtifact(protoNn, Compressor.huffman(protoNn, Compressor.share(protoNn, 4)), INFO).length + 16;
        Compressor.BudgetResult r = Compressor.budget(protoNn, TRAIN, TEST, TRAIN.sample(200, 3), budget, new double[] {0, 0.5}, new int[] {8, 4, 2},
                List.of("Z"), Trainer.Options.defaults(8).epochs(1), INFO, null);
        assertEquals(6, r.tried().size());
        assertNotNull(r.best());
        assertTrue(r.best().bytes() <= budget);
        for (Compressor.Candidate c : r.tried()) {
            if (c.bytes() <= budget) assertTrue(c.validationAccuracy() <= r.best().validationAccuracy());
        }
        assertTrue(r.table().contains("<- chosen"));
        assertNull(Compressor.budget(protoNn, TRAIN, TEST, null, 100, new double[] {0}, new int[] {8}, List.of("Z"), null, INFO, null).best());
    }
}
