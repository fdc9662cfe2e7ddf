package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses an adapted student's score threshold on its own camera's frames, as NoScope chooses each
 * camera's cascade thresholds on that camera's labelled footage. A threshold chosen on the general
 * training set is the wrong one for a camera whose people look unlike the training set's (a face filling
 * a webcam frame scores 0.2–0.45 where the plaza's pedestrians score above 0.6): fine-tuning moves the
 * scores, and the threshold has to follow them.
 *
 * <p>The rule: of the thresholds that decide the fewest frames against the teacher with a count error
 * within {@link #COUNT_SLACK} of the best, the base's if it is one of them (a camera the base already decides
 * right keeps it), else the middle one (the widest margin to both sides for the frames that come later). Filtering one low-threshold run's detections by a higher threshold gives exactly
 * what the detect node would give at that threshold: greedy suppression lets only higher-scoring boxes
 * suppress a box, so the boxes above any threshold are suppressed the same way at either. Not thread safe.
 */
final class CameraThreshold {
    /** The lowest threshold tried; every candidate is a multiple of {@link #STEP} from here to {@link #HIGHEST}. */
    static final float LOWEST = 0.10f, STEP = 0.025f, HIGHEST = 0.90f;
    /** Count errors (people per frame) closer than this to the best one's are taken as equal: a few frames' noise. */
    static final double COUNT_SLACK = 0.1;

    /** A candidate's figures on the frames it was chosen on. */
    record Choice(float threshold, int disagreements, double countMae, int frames) {}

    private CameraThreshold() {}

    /**
     * @param probe  the adapted student exported with its score threshold at or below {@link #LOWEST}
     * @param base   the base's threshold, always a candidate
     * @param frames the fine-tuning frames with the teacher's boxes
     */
    static Choice choose(Model probe, float base, List<CameraFootage.Frame> frames) {
        List<float[]> scores = new ArrayList<>(frames.size());
        PersonDetector det = new PersonDetector(probe);
        for (CameraFootage.Frame f : frames) {
            det.run(f.grey());
            List<float[]> boxes = det.boxes();
            float[] s = new float[boxes.size()];
            for (int k = 0; k < s.length; k++) s[k] = boxes.get(k)[4];
            scores.add(s);
        }
        int[] teacher = new int[frames.size()];
        for (int i = 0; i < teacher.length; i++) teacher[i] = frames.get(i).teacher().size();
        return choose(scores, teacher, base);
    }

    /**
     * The rule on given detections: {@code scores[i]} the scores of frame i's detections at the lowest
     * threshold, {@code teacher[i]} the people the teacher boxed in it.
     */
    static Choice choose(List<float[]> scores, int[] teacher, float base) {
        List<Float> candidates = new ArrayList<>();
        candidates.add(base);
        for (int k = 0; LOWEST + k * STEP <= HIGHEST + 1e-6f; k++) candidates.add(LOWEST + k * STEP);
        List<Choice> all = new ArrayList<>();
        for (float t : candidates) all.add(evaluate(t, scores, teacher));
        int fewest = all.stream().mapToInt(Choice::disagreements).min().orElseThrow();
        double lowestMae = all.stream().filter(c -> c.disagreements() == fewest).mapToDouble(Choice::countMae).min().orElseThrow();
        // the candidates as good as the best, a count error within COUNT_SLACK of the best's counting as good
        List<Choice> good = all.stream().filter(c -> c.disagreements() == fewest && c.countMae() <= lowestMae + COUNT_SLACK)
                .sorted(java.util.Comparator.comparingDouble(Choice::threshold)).toList();
        for (Choice c : good) if (c.threshold() == base) return c;
        // the middle one: the threshold farthest from both ends of the range that fits these frames, the
        // margin a few minutes of footage leaves for the frames after them
        return good.get(good.size() / 2);
    }

    private static Choice evaluate(float t, List<float[]> scores, int[] teacher) {
        int disagree = 0;
        double err = 0;
        for (int i = 0; i < teacher.length; i++) {
            int count = 0;
            for (float s : scores.get(i)) if (s >= t) count++;
            if ((count > 0) != (teacher[i] > 0)) disagree++;
            err += Math.abs(count - teacher[i]);
        }
        return new Choice(t, disagree, teacher.length == 0 ? 0 : err / teacher.length, teacher.length);
    }

    /** The export settings of the adapted student at threshold {@code t}, suppression as the base's. */
    static DetectorExport.Decode at(DetectorExport.Decode base, float t) {
        return new DetectorExport.Decode(t, base.iouThreshold(), base.centerDistance(), base.presenceThreshold(), base.presenceVeto());
    }

    /** Exports the probe: the adapted weights with every candidate's detections left in. */
    static Model probe(DetectorImport.Imported start, float[][] ranges) throws dev.winnow.runtime.format.ModelFormatException {
        DetectorExport.Decode low = at(start.decode(), Math.min(LOWEST, start.decode().scoreThreshold()));
        return Model.load(DetectorExport.export(start.net(), low, ranges, Map.of(), Map.of(), null, List.of()));
    }
}
