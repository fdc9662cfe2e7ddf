package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.kernel.PresenceGate;
import dev.winnow.tools.detect.DetectorTrainer.Sample;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses a presence head's gate ({@link PresenceGate}: the head's threshold, and the veto under which it
 * drops the anchors' detections) on validation frames against the teacher's frame-level labels (someone
 * boxed or not): the fewest frames decided against the teacher, among the gates that keep no more of any
 * people-free clip than the anchors alone do or 2 % of it, whichever is more (the goal for
 * people-free video), and lose no person frame of vtest (the plaza's recall is 1.000). Ties go to the gate
 * nearest "no gate" (the highest threshold, then the lowest veto).
 */
final class PresenceSelection {
    private PresenceSelection() {}

    /** Per frame the best anchor's probability and the head's. */
    record Scores(String clip, boolean teacher, float anchor, float head) {}

    /**
     * {threshold, veto} for {@code net}'s head at the anchors' {@code decode}; scored on the int8 graph with these
     * activation {@code ranges}, or on the float network when they are null. Prints the table per clip.
     */
    static float[] choose(DetectorNet net, List<Sample> frames, float[][] ranges, Map<String, float[]> correction,
                          DetectorExport.Decode decode, float[] fixed) throws Exception {
        List<Scores> scores = scores(net, frames, ranges, correction);
        float tau = decode.scoreThreshold();
        // the trade each gate makes, per clip, so a refused head shows why
        StringBuilder sweep = new StringBuilder("presence gates tried (frames against the teacher per clip):");
        for (float[] g : new float[][] {{1f, 0f}, {0.5f, 0f}, {0.7f, 0f}, {0.9f, 0f}, {1f, 0.1f}, {1f, 0.3f}, {1f, 0.5f}}) {
            Map<String, int[]> per = new LinkedHashMap<>();
            double c = cost(scores, new PresenceGate(tau, g[0], g[1]), per);
            sweep.append(String.format(Locale.ROOT, "%n  head >= %.1f, veto %.1f: %d;", g[0], g[1], (int) c));
            per.forEach((clip, e) -> sweep.append(' ').append(clip).append(' ').append(e[0]));
        }
        System.out.println(sweep);
        float[] best = fixed != null ? fixed : pick(scores, tau);
        Map<String, int[]> before = new LinkedHashMap<>(), after = new LinkedHashMap<>();
        cost(scores, new PresenceGate(tau, 1f, 0f), before);
        cost(scores, new PresenceGate(tau, best[0], best[1]), after);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "presence gate (%s head, %d validation frames): head >= %.3f, veto under %.3f; frames decided against the teacher, anchors alone -> gated:",
                ranges != null ? "int8" : "float", scores.size(), best[0], best[1]));
        before.forEach((clip, e) -> b.append(String.format(Locale.ROOT, " %s %d->%d of %d (%d with people);", clip, e[0], after.get(clip)[0], e[1], e[2])));
        System.out.println(b);
        return best;
    }

    /** The gate for these scores at anchor threshold {@code tau}: {threshold, veto} (see the class comment). */
    static float[] pick(List<Scores> scores, float tau) {
        float[] best = {1f, 0f};
        Map<String, int[]> alone = new LinkedHashMap<>();
        double bestCost = cost(scores, new PresenceGate(tau, 1f, 0f), alone);
        for (int pi = 40; pi >= 4; pi--) { // head thresholds 1.000 down to 0.100
            float present = pi / 40f;
            for (int vi = 0; vi <= 20 && vi / 40f <= present; vi++) {
                float veto = vi / 40f;
                Map<String, int[]> per = new LinkedHashMap<>();
                double c = cost(scores, new PresenceGate(tau, present, veto), per);
                if (!allowed(per, alone)) continue;
                if (c < bestCost - 1e-9) {
                    bestCost = c;
                    best = new float[] {present, veto};
                }
            }
        }
        return best;
    }

    /**
     * Whether a gate's per-clip errors keep every people-free clip at or under max(the anchors' errors there, 2 %
     * of its frames), and vtest without a lost frame.
     */
    static boolean allowed(Map<String, int[]> gated, Map<String, int[]> alone) {
        for (Map.Entry<String, int[]> e : gated.entrySet()) {
            int[] g = e.getValue(), a = alone.get(e.getKey());
            if (g[2] == 0 && g[0] > Math.max(a[0], Math.floor(0.02 * g[1]))) return false;
            if (e.getKey().equals("vtest") && g[0] > a[0]) return false;
        }
        return true;
    }

    /** Frames the gate decides against the teacher, over all clips; per clip {errors, frames, teacher positives} into {@code perClip}. */
    static double cost(List<Scores> scores, PresenceGate gate, Map<String, int[]> perClip) {
        Map<String, int[]> m = perClip != null ? perClip : new LinkedHashMap<>();
        for (Scores s : scores) {
            int[] e = m.computeIfAbsent(s.clip(), k -> new int[3]);
            if (gate.present(s.anchor(), s.head()) != s.teacher()) e[0]++;
            e[1]++;
            if (s.teacher()) e[2]++;
        }
        double c = 0;
        for (int[] e : m.values()) c += e[0];
        return c;
    }

    private static List<Scores> scores(DetectorNet net, List<Sample> frames, float[][] ranges, Map<String, float[]> correction) throws Exception {
        List<Scores> out = new ArrayList<>();
        int cells = net.cfg.gridH() * net.cfg.gridW() * net.cfg.anchors();
        Interpreter it = ranges == null ? null : Model.load(DetectorExport.export(net, new DetectorExport.Decode(0.5f, 0.3f), ranges, correction,
                null, null, List.of("score_f", "presence_f"))).newInterpreter();
        float[] sc = new float[cells], pr = new float[1];
        for (Sample s : frames) {
            float[] img = DetectorTrainer.floats(s.pixels());
            if (it != null) {
                it.setInput(0, img, 0);
                it.invoke();
                it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, sc, 0);
                it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT + 1, pr, 0);
            } else {
                DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, img));
                System.arraycopy(o.scores().data, 0, sc, 0, cells);
                pr[0] = o.presence().data[0];
            }
            float m = Float.NEGATIVE_INFINITY;
            for (float v : sc) m = Math.max(m, v);
            out.add(new Scores(s.clip(), !s.boxes().isEmpty(), DetectionLoss.sigmoid(m), DetectionLoss.sigmoid(pr[0])));
        }
        return out;
    }
}
