package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The int8 export's refinements: the score floor and empirical bias correction. */
class Int8ExportOptionsTest {
    private static final DetectorExport.Decode DECODE = new DetectorExport.Decode(0.5f, 0.3f);

    private static DetectorNet net() {
        DetectorNet net = new DetectorNet(DetectorNet.Config.standard(), 1, 5);
        java.util.Arrays.fill(net.scoreB.w, -1f);
        for (int i = 0; i < net.scoreW.w.length; i++) net.scoreW.w[i] *= 30f; // logits spread over several units, as a trained head's
        return net;
    }

    private static List<float[]> frames(long from, int n) {
        List<float[]> f = new ArrayList<>();
        for (long s = from; s < from + n; s++) f.add(Scenes.blobs(s));
        return f;
    }

    private static float[][] ranges(DetectorNet net, List<float[]> frames) {
        List<DetectorTrainer.Sample> samples = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) samples.add(new DetectorTrainer.Sample("x", i, DetectorTrainer.bytes(frames.get(i)), List.of()));
        return DetectorTrainer.calibrate(net, samples, samples.size(), 1);
    }

    /** Mean absolute and mean signed (int8 − float) score logit over the cells whose float logit is above {@code above}. */
    private static double[] meanErrorAbove(DetectorNet net, float[][] ranges, Map<String, float[]> correction, List<float[]> frames, float above) throws Exception {
        Interpreter it = Model.load(DetectorExport.export(net, DECODE, ranges, correction, null, null, List.of("score_f"))).newInterpreter();
        double abs = 0, signed = 0;
        long n = 0;
        for (float[] f : frames) {
            DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, f.clone()));
            float[] q = new float[o.scores().size()];
            it.setInput(0, f, 0);
            it.invoke();
            it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, q, 0);
            for (int k = 0; k < q.length; k++) {
                if (o.scores().data[k] <= above) continue;
                abs += Math.abs(q[k] - o.scores().data[k]);
                signed += q[k] - o.scores().data[k];
                n++;
            }
        }
        assertTrue(n > 50, "enough logits above " + above + ": " + n);
        return new double[] {abs / n, signed / n};
    }

    @Test
    void scoreFloorNarrowsTheGridOnlyWhereItMatters() throws Exception {
        DetectorNet net = net();
        List<float[]> calib = frames(20, 4);
        float[][] full = ranges(net, calib), floored = ranges(net, calib);
        int score = DetectorExport.activationNames(net).indexOf("score");
        float floor = (full[score][0] + full[score][1]) / 2;
        assertEquals(full[score][0], DetectorExport.floorScoreRange(net, floored, floor));
        assertEquals(floor, floored[score][0]);
        for (int i = 0; i < full.length; i++) if (i != score) assertArrayEquals(full[i], floored[i], "only the score range moves");
        // logits above the floor: a finer grid, so closer to the float ones
        List<float[]> test = frames(40, 3);
        double coarse = meanErrorAbove(net, full, Map.of(), test, floor)[0];
        double fine = meanErrorAbove(net, floored, Map.of(), test, floor)[0];
        assertTrue(fine < coarse, "error above the floor " + fine + " vs " + coarse + " without it");
        // a floor above the range is refused; one below it changes nothing
        assertThrows(IllegalArgumentException.class, () -> DetectorExport.floorScoreRange(net, ranges(net, calib), full[score][1] + 1));
        float[][] again = ranges(net, calib);
        DetectorExport.floorScoreRange(net, again, full[score][0] - 5);
        assertEquals(full[score][0], again[score][0]);
    }

    @Test
    void biasCorrectionRemovesTheMeanShiftOfEveryLayer() throws Exception {
        DetectorNet net = net();
        List<float[]> calib = frames(60, 4);
        float[][] ranges = ranges(net, calib);
        Map<String, float[]> correction = BiasCorrection.estimate(net, ranges, calib);
        assertEquals(BiasCorrection.layers(net).keySet(), correction.keySet(), "every layer with a bias, in graph order");
        assertEquals(net.cfg.anchors(), correction.get("score").length);
        assertEquals(4 * net.cfg.anchors(), correction.get("box").length);
        assertEquals(net.cfg.c1(), correction.get("stem").length);
        // on the frames it was estimated from, the mean (signed) score error shrinks
        double before = meanErrorAbove(net, ranges, Map.of(), calib, -3f)[1];
        double after = meanErrorAbove(net, ranges, correction, calib, -3f)[1];
        assertTrue(Math.abs(after) < Math.abs(before), "mean signed score error " + after + " vs " + before + " uncorrected");
        // the float export ignores corrections
        assertArrayEquals(DetectorExport.export(net, DECODE, null, Map.of(), null, null, List.of()),
                DetectorExport.export(net, DECODE, null, correction, null, null, List.of()));
    }
}
