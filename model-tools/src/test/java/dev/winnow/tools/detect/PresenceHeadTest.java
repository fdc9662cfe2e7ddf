package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.kernel.PresenceGate;
import dev.winnow.tools.nn.Param;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The frame-level presence head: its gradients, its export (float and int8), the gate in the artifact, and import. */
class PresenceHeadTest {
    private static DetectorNet net(long seed) {
        DetectorNet net = new DetectorNet(DetectorNet.Config.standard().withAnchors(2, 2), 1, seed, 8);
        java.util.Arrays.fill(net.scoreB.w, 0f); // some anchors near the threshold with random weights
        return net;
    }

    /** Loss of the whole network on one image: the presence cross-entropy only. */
    private static double loss(DetectorNet net, float[] img, boolean present) {
        Tape t = new Tape(0, true);
        DetectorNet.Output o = net.forward(t, new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, img.clone()));
        double l = PresenceHead.loss(o.presence(), present, 0.7f);
        t.backward();
        return l;
    }

    @Test
    void gradientsMatchFiniteDifferencesThroughTheHeadAndIntoTheBackbone() {
        DetectorNet net = net(11);
        float[] img = Scenes.blobs(4);
        for (boolean present : new boolean[] {true, false}) {
            for (Param p : net.params()) java.util.Arrays.fill(p.grad(0), 0f);
            loss(net, img, present);
            // the head's two layers, and the last block's projection (reached through both the mean and the max)
            Param proj = net.blocks.get(net.blocks.size() - 1).projectW();
            for (Param p : List.of(net.presence.fc1W, net.presence.fc1B, net.presence.fc2W, proj)) {
                float[] analytic = p.grad(0).clone();
                for (int k = 0; k < Math.min(p.size(), 12); k++) {
                    int i = (k * 7919) % p.size();
                    float keep = p.w[i];
                    double h = 1e-2;
                    p.w[i] = (float) (keep + h);
                    double up = lossOnly(net, img, present);
                    p.w[i] = (float) (keep - h);
                    double down = lossOnly(net, img, present);
                    p.w[i] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, analytic[i], 2e-3 + 0.05 * Math.abs(numeric), p.name + "[" + i + "] present=" + present);
                }
            }
        }
    }

    private static double lossOnly(DetectorNet net, float[] img, boolean present) {
        DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, img.clone()));
        double z = o.presence().data[0];
        double softplus = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        return 0.7 * (softplus - (present ? z : 0));
    }

    @Test
    void aNetworkWithoutTheHeadHasNoPresenceOutputAndTheSameBackboneWeights() {
        DetectorNet with = new DetectorNet(DetectorNet.Config.standard().withAnchors(2, 2), 1, 3, 8);
        DetectorNet without = new DetectorNet(DetectorNet.Config.standard().withAnchors(2, 2), 1, 3);
        assertNull(without.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, Scenes.blobs(1))).presence());
        assertEquals(without.params().size(), with.backboneParams().size());
        for (int k = 0; k < without.params().size(); k++) {
            assertEquals(without.params().get(k).name, with.backboneParams().get(k).name);
            assertArrayEquals(without.params().get(k).w, with.backboneParams().get(k).w, "the head draws its weights last");
        }
        assertEquals(2 * 32 * 8 + 8 + 8 + 1, with.parameterCount() - without.parameterCount());
    }

    @Test
    void floatArtifactGatesTheAnchorsWithTheHeadAsTheTrainerComputesIt() throws Exception {
        DetectorNet net = net(5);
        float tau = 0.5f;
        // three gates: the head always finds people, the head vetoes everything, and the head out of the way
        for (float[] g : new float[][] {{0.01f, 0f}, {1f, 1f}, {1f, 0f}}) {
            DetectorExport.Decode decode = new DetectorExport.Decode(tau, 0.3f).withPresence(g[0], g[1]);
            Model m = Model.load(DetectorExport.export(net, decode, null, Map.of(), null, null, List.of("presence", "score")));
            assertEquals(3 + 2, m.outputCount());
            Interpreter it = m.newInterpreter();
            PersonDetector d = new PersonDetector(m);
            PresenceGate gate = new PresenceGate(tau, g[0], g[1]);
            for (long seed = 1; seed <= 4; seed++) {
                float[] img = Scenes.blobs(seed);
                DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, img.clone()));
                it.setInput(0, img, 0);
                it.invoke();
                float[] logit = new float[1];
                it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, logit, 0);
                assertEquals(o.presence().data[0], logit[0], 1e-4f, "presence logit, graph against trainer");
                float top = Float.NEGATIVE_INFINITY;
                for (float v : o.scores().data) top = Math.max(top, v);
                float anchor = DetectionLoss.sigmoid(top), head = DetectionLoss.sigmoid(o.presence().data[0]);
                d.run(img);
                assertEquals(gate.present(anchor, head), d.count() > 0, "gate " + g[0] + "/" + g[1] + " anchor " + anchor + " head " + head);
                assertEquals(d.count() > 0, d.score() >= tau, "best passes the threshold exactly when something is counted");
                if (g[0] < 0.02f) assertTrue(d.count() >= 1, "a head that always fires keeps every frame");
                if (g[1] == 1f && head < 1f) assertEquals(0, d.count(), "a head that vetoes everything drops every frame");
            }
        }
    }

    @Test
    void int8ArtifactTracksTheFloatPresenceLogitAndStaysSmall() throws Exception {
        DetectorNet net = net(7);
        for (int k = 0; k < net.presence.fc2W.size(); k++) net.presence.fc2W.w[k] *= 20; // logits of a trained head's size, not ~0.001
        List<DetectorTrainer.Sample> cal = List.of(new DetectorTrainer.Sample("x", 0, DetectorTrainer.bytes(Scenes.blobs(9)), List.of()),
                new DetectorTrainer.Sample("x", 1, DetectorTrainer.bytes(Scenes.blobs(10)), List.of()),
                new DetectorTrainer.Sample("x", 2, DetectorTrainer.bytes(Scenes.blobs(11)), List.of()));
        float[][] ranges = DetectorTrainer.calibrate(net, cal, 3, 1);
        assertEquals(DetectorExport.activationNames(net).size(), ranges.length, "a range for the head's hidden layer and logit too");
        byte[] q = DetectorExport.export(net, new DetectorExport.Decode(0.5f, 0.3f).withPresence(0.7f, 0.1f), ranges, Map.of(), null, null, List.of("presence_f"));
        Model m = Model.load(q);
        assertTrue(m.report().arenaBytes() <= 256 * 1024, "arena " + m.report().arenaBytes());
        Interpreter it = m.newInterpreter();
        for (long seed = 9; seed <= 11; seed++) {
            float[] img = Scenes.blobs(seed);
            it.setInput(0, img, 0);
            it.invoke();
            float[] logit = new float[1];
            it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, logit, 0);
            float ref = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, img)).presence().data[0];
            float span = ranges[ranges.length - 1][1] - ranges[ranges.length - 1][0];
            assertEquals(ref, logit[0], 0.05f * span + 0.01f, "int8 presence logit against float (calibrated span " + span + ")");
        }
    }

    @Test
    void artifactsReadBackWithTheHeadAndTheGate() throws Exception {
        DetectorNet net = net(13);
        DetectorExport.Decode decode = new DetectorExport.Decode(0.45f, 0.3f, 0.6f).withPresence(0.8f, 0.15f);
        Model m = Model.load(DetectorExport.export(net, decode, null, Map.of(), null, null, List.of()));
        DetectorImport.Imported im = DetectorImport.read(m.artifact(), 1);
        assertTrue(im.net().hasPresence());
        assertEquals(decode, im.decode());
        for (int k = 0; k < net.params().size(); k++) assertArrayEquals(net.params().get(k).w, im.net().params().get(k).w, 0f, net.params().get(k).name);
        DetectorNet.Output o = im.net().forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, Scenes.blobs(2)));
        assertNotNull(o.presence());
    }

    @Test
    void aHeadWithNoUnitsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PresenceHead(32, 0, 1, new java.util.Random(1)));
    }
}
