package dev.winnow.tools.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.model.FamilyArtifacts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training learns, is reproducible from its seed whatever the thread count, and the runtime computes what the trainer computes. */
class TrainAndExportTest {
    static final Dataset TRAIN = Synthetic.clusters(1200, 16, 6, 1), TEST = Synthetic.clusters(300, 16, 6, 2);

    static ModelExport.Info info() {
        return new ModelExport.Info("t", "synthetic", TRAIN.classNames(), null, null);
    }

    static void sameAsRuntime(TrainableModel m, byte[] artifact, double tol) throws Exception {
        Model model = Model.load(artifact);
        Interpreter it = model.newInterpreter();
        Object s = m.newScratch();
        double[] expect = new double[m.classes()];
        float[] got = new float[m.classes()];
        int samePrediction = 0;
        for (int i = 0; i < TEST.size(); i++) {
            it.setInput(0, TEST.x(), TEST.offset(i));
            it.invoke();
            it.getOutput(0, got, 0);
            m.scores(TEST.x(), TEST.offset(i), expect, s);
            for (int l = 0; l < expect.length; l++) assertEquals(expect[l], got[l], tol * Math.max(1, Math.abs(expect[l])), "row " + i + " class " + l);
            int a = 0, b = 0;
            for (int l = 1; l < expect.length; l++) {
                if (expect[l] > expect[a]) a = l;
                if (got[l] > got[b]) b = l;
            }
            if (a == b) samePrediction++;
        }
        assertEquals(TEST.size(), samePrediction);
    }

    @Test
    void bonsaiLearnsAndTheArtifactMatches() throws Exception {
        List<String> lines = new ArrayList<>();
        BonsaiModel m = BonsaiModel.init(TRAIN, BonsaiModel.Config.defaults(8, 2).sparsity(0.5, 1, 1, 0.5), 3);
        Trainer.History h = Trainer.train(m, TRAIN, Trainer.Options.defaults(3).epochs(9).threads(2).validation(TEST).progress(lines::add));
        assertEquals(9, lines.size());
        assertTrue(lines.get(8).contains("epoch   9/9") && lines.get(8).contains("ETA") && lines.get(8).contains("val acc"), lines.get(8));
        assertTrue(h.last().loss() < h.epochs().get(0).loss());
        double acc = m.accuracy(TEST);
        assertTrue(acc > 0.85, "accuracy " + acc);
        assertEquals(Sparsity.keepCount(m.z().length, 0.5), m.nonZeros(0), "IHT keeps half of Z");
        assertEquals(Sparsity.keepCount(m.theta().length, 0.5), m.nonZeros(3));
        byte[] a = ModelExport.toArtifact(m, FamilyArtifacts.encodings(), info());
        sameAsRuntime(m, a, 1e-4);
        // and back: the trainable form of the artifact computes the same
        sameAsRuntime(ModelExport.fromArtifact(a), a, 1e-4);
    }

    @Test
    void protoNnLearnsAndTheArtifactMatches() throws Exception {
        ProtoNnModel m = ProtoNnModel.init(TRAIN, ProtoNnModel.Config.defaults(8, 18).sparsity(1, 1, 0.5), 4);
        Trainer.train(m, TRAIN, Trainer.Options.defaults(4).epochs(9).threads(2));
        assertTrue(m.accuracy(TEST) > 0.85, "accuracy " + m.accuracy(TEST));
        assertEquals(Sparsity.keepCount(m.z().length, 0.5), Sparsity.nonZeros(m.z()));
        byte[] a = ModelExport.toArtifact(m, FamilyArtifacts.encodings(), info());
        sameAsRuntime(m, a, 1e-3);
        sameAsRuntime(ModelExport.fromArtifact(a), a, 1e-3);
    }

    @Test
    void reproducibleFromTheSeedWithAnyThreadCount() {
        byte[][] out = new byte[3][];
        int[] threads = {1, 2, 2};
        for (int k = 0; k < 3; k++) {
            BonsaiModel m = BonsaiModel.init(TRAIN, BonsaiModel.Config.defaults(6, 1), 11);
            Trainer.train(m, TRAIN, Trainer.Options.defaults(12).epochs(2).threads(threads[k]));
            out[k] = ModelExport.toArtifact(m, FamilyArtifacts.encodings(), info());
        }
        assertArrayEquals(out[0], out[1]);
        assertArrayEquals(out[1], out[2]);
        BonsaiModel other = BonsaiModel.init(TRAIN, BonsaiModel.Config.defaults(6, 1), 12);
        Trainer.train(other, TRAIN, Trainer.Options.defaults(13).epochs(2).threads(2));
        assertFalse(Arrays.equals(out[0], ModelExport.toArtifact(other, FamilyArtifacts.encodings(), info())));
    }
}
