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
 * <pre>java -cp winnow.jar dev.winnow.tools.detect.DetectorValidate --data data/detector --model model-tools/detector/person-detector-int8.wnm</pre>
 */
public final class DetectorValidate {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = Checkpoints.args(args, Set.of());
        Path data = Path.of(a.getOrDefault("data", "data/detector"));
        Path counts = Path.of(a.getOrDefault("val-counts", "model-tools/detector/validation-counts.csv"));
        DetectorData dd = new DetectorData(data);
        Map<Integer, Integer> hand = DetectorData.readCounts(counts);
        Map<String, List<float[]>> labels = Files.exists(data.resolve("labels.csv")) ? DetectorData.readBoxes(data.resolve("labels.csv")) : Map.of();
        for (String m : a.getOrDefault("model", "model-tools/detector/person-detector-int8.wnm").split(",")) {
            PersonDetector d = new PersonDetector(Model.load(Path.of(m)));
            double errHand = 0, errLab = 0;
            int nh = 0, nl = 0;
            StringBuilder per = new StringBuilder();
            for (int f = DetectorTrainer.VAL_START; f < DetectorData.HOLDOUT_START; f++) {
                d.run(dd.load("vtest", f));
                int c = d.count();
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
        }
    }
}
