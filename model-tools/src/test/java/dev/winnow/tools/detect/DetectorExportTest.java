package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exported graphs run in the runtime and agree with the trainer's forward pass. */
class DetectorExportTest {
    @Test
    void floatArtifactMatchesTrainerForward() throws Exception {
        matchesTrainerForward(DetectorNet.Config.standard(), new DetectorExport.Decode(0.3f, 0.3f));
    }

    @Test
    void fourAnchorsAndCentreDistanceSuppressionMatchTrainerForward() throws Exception {
        matchesTrainerForward(DetectorNet.Config.standard().withAnchors(2, 2), new DetectorExport.Decode(0.3f, 0.5f, 0.7f));
    }

    @Test
    void aContextBranchMatchesTrainerForward() throws Exception {
        matchesTrainerForward(DetectorNet.Config.standard().withAnchors(2, 2).withContext(8), new DetectorExport.Decode(0.3f, 0.5f, 0.7f));
    }

    /** A network whose context branch (if any) adds something: its lift starts at zero, so it is drawn here. */
    static DetectorNet network(DetectorNet.Config cfg, long seed) {
        DetectorNet net = new DetectorNet(cfg, 1, seed);
        if (net.context != null) net.context.liftW().init(new java.util.Random(seed), cfg.context(), 1.0);
        return net;
    }

    private static void matchesTrainerForward(DetectorNet.Config cfg, DetectorExport.Decode decode) throws Exception {
        DetectorNet net = network(cfg, 3);
        java.util.Arrays.fill(net.scoreB.w, 0f); // make detections likely with random weights
        Model m = Model.load(DetectorExport.export(net, decode, null, null, null, true, true));
        for (long seed = 1; seed <= 3; seed++) {
            float[] img = Scenes.blobs(seed);
            DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, img.clone()));
            List<float[]> expect = StudentDecoder.decode(net.cfg, o.scores().data, o.boxes().data, decode);
            assertTrue(expect.size() > 1, "some detections to compare");
            PersonDetector d = new PersonDetector(m);
            d.run(img);
            assertEquals(expect.size(), d.count(), "count");
            for (int k = 0; k < expect.size(); k++)
                for (int c = 0; c < 5; c++) assertEquals(expect.get(k)[c], d.boxes().get(k)[c], 1e-3 * Math.max(1, Math.abs(expect.get(k)[c])));
            // the raw score map too
            Interpreter it = m.newInterpreter();
            it.setInput(0, img, 0);
            it.invoke();
            float[] sc = new float[o.scores().size()];
            it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, sc, 0);
            for (int k = 0; k < sc.length; k++) assertEquals(o.scores().data[k], sc[k], 1e-4f);
            float[] bx = new float[o.boxes().size()];
            it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT + 1, bx, 0);
            for (int k = 0; k < bx.length; k++) assertEquals(o.boxes().data[k], bx[k], 1e-4f);
        }
    }

    @Test
    void int8ArtifactTracksTheFloatModel() throws Exception {
        int8TracksTheFloatModel(DetectorNet.Config.standard());
    }

    @Test
    void int8ArtifactWithAContextBranchTracksTheFloatModel() throws Exception {
        int8TracksTheFloatModel(DetectorNet.Config.standard().withAnchors(2, 2).withContext(16));
    }

    private static void int8TracksTheFloatModel(DetectorNet.Config cfg) throws Exception {
        DetectorNet net = network(cfg, 5);
        float[][] ranges = DetectorTrainer.calibrate(net, List.of(new DetectorTrainer.Sample("x", 0, DetectorTrainer.bytes(Scenes.blobs(9)), List.of()),
                new DetectorTrainer.Sample("x", 1, DetectorTrainer.bytes(Scenes.blobs(10)), List.of())), 2, 1);
        byte[] q = DetectorExport.export(net, new DetectorExport.Decode(0.5f, 0.3f), ranges, null, null, true);
        assertTrue(q.length < 160 * 1024, "int8 artifact " + q.length + " B");
        Model m = Model.load(q);
        // the issue "Any camera" bounds the general student's peak arena at 320x240 by 256 KB
        assertTrue(m.report().arenaBytes() <= 256 * 1024, "arena " + m.report().arenaBytes());
        Interpreter it = m.newInterpreter();
        float[] img = Scenes.blobs(9);
        it.setInput(0, img, 0);
        it.invoke();
        DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, img));
        float[] sc = new float[o.scores().size()];
        it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, sc, 0);
        double err = 0, mag = 0;
        for (int k = 0; k < sc.length; k++) {
            err += Math.abs(o.scores().data[k] - sc[k]);
            mag += Math.abs(o.scores().data[k]);
        }
        assertTrue(err / mag < 0.1, "int8 score logits differ from float by " + err / mag + " relative");
    }
}
