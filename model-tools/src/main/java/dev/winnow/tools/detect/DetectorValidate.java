package dev.winnow.tools.detect;

import dev.winnow.tools.nn.Checkpoints;
import dev.winnow.runtime.Model;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An artifact on the validation frames only (vtest 590..635, never the held-out stretch): count MAE
 * against the hand counts ({@code validation-counts.csv}) and against the cleaned labels, at the
 * artifact's own thresholds, with the counts per hand-counted frame. For comparing models and
 * label variants without looking at the held-out frames.
 *
 * With {@code --carve-counts csv}, the hand-counted frames of a stretch carved out of training
 * ({@code DetectorTrainer --carve}) are scored too; only meaningful for models trained without them.
 *
 * {@code --boxes-out csv} writes the detections (clip,frame,x,y,w,h,score) for {@code scripts/detector/show-labels.py}.
 *
 * <pre>java -cp winnow.jar dev.winnow.tools.detect.DetectorValidate --data data/detector --model model-tools/detector/person-detector-int8.wnm</pre>
 */
public final class DetectorValidate {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = Checkpoints.args(args, Set.of());
        Path data = Path.of(a.getOrDefault("data", "data/detector"));
        Path counts = Path.of(a.getOrDefault("val-counts", "model-tools/detector/validation-counts.csv"));
        DetectorData dd = new DetectorData(data);
        Map<Integer, Integer> hand = new java.util.TreeMap<>(DetectorData.readCounts(counts));
        java.util.TreeSet<Integer> frames = new java.util.TreeSet<>();
        for (int f = DetectorTrainer.VAL_START; f < DetectorData.HOLDOUT_START; f++) frames.add(f);
        if (a.containsKey("carve-counts")) { // hand counts on a validation stretch carved from the training frames (DetectorTrainer --carve)
            Map<Integer, Integer> c = DetectorData.readCounts(Path.of(a.get("carve-counts")));
            for (int f : c.keySet()) if (f >= DetectorTrainer.VAL_START) throw new IllegalArgumentException("carved frame " + f + " is not a training frame");
            hand.putAll(c);
            frames.addAll(c.keySet());
        }
        Map<String, List<float[]>> labels = Files.exists(data.resolve("labels.csv")) ? DetectorData.readBoxes(data.resolve("labels.csv")) : Map.of();
        for (String m : a.getOrDefault("model", "model-tools/detector/person-detector-int8.wnm").split(",")) {
            PersonDetector d = new PersonDetector(Model.load(Path.of(m)));
            double errHand = 0, errLab = 0;
            int nh = 0, nl = 0;
            StringBuilder per = new StringBuilder(), csv = new StringBuilder("clip,frame,x,y,w,h,score\n");
            for (int f : frames) {
                d.run(dd.load("vtest", f));
                int c = d.count();
                for (float[] b : d.boxes()) csv.append(String.format(Locale.ROOT, "vtest,%d,%.1f,%.1f,%.1f,%.1f,%.3f%n", f, b[0], b[1], b[2], b[3], b[4]));
                List<float[]> l = labels.get("vtest:" + f);
                if (!labels.isEmpty()) {
                    errLab += Math.abs(c - (l == null ? 0 : l.size()));
                    nl++;
                }
                Integer h = hand.get(f);
                if (h != null) {
                    errHand += Math.abs(c - h);
                    nh++;
                    per.append(String.format(Locale.ROOT, " %d:%d/%d", f, c, h));
                }
            }
            System.out.printf(Locale.ROOT, "%s: validation count MAE %.3f vs %d hand counts, %.3f vs labels on %d frames%n  counted/hand:%s%n",
                    m, errHand / Math.max(1, nh), nh, errLab / Math.max(1, nl), nl, per);
            if (a.containsKey("boxes-out")) Files.writeString(Path.of(a.get("boxes-out")), csv); // for show-labels.py
        }
    }
}
