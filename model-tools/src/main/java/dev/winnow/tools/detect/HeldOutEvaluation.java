package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.TrailingMedian;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The student against the teacher on whole videos it was not trained on (role {@code holdout} in
 * {@code model-tools/detector/training-sources.csv}), and on the hand-counted vtest frames.
 * Per video: presence precision and recall against the teacher (a frame "has people" when the count
 * is at least 1), the fraction of frames kept (what the filter would pass on), and count MAE against
 * the teacher; on vtest's hand-counted frames, count MAE against the hand counts for both.
 */
public final class HeldOutEvaluation {
    /**
     * One video's figures. {@code handMae} is NaN without hand counts; {@code handMedianMae} is the same with each
     * frame's count replaced by the median of the counts of its last {@code countFrames} frames ({@link TrailingMedian},
     * as the stadium job counts), the teacher's over the frames of that window it labelled.
     */
    public record Row(String source, boolean people, int frames, int teacherPositive, double precision, double recall, double keptStudent,
                      double keptTeacher, double countMae, double handMaeStudent, double handMaeTeacher, double handMedianMaeStudent,
                      double handMedianMaeTeacher) {}

    private HeldOutEvaluation() {}

    /** Sources of {@code role} from the manifest: source, clip and frame range. */
    public record Source(String source, String clip, int first, int last, String people) {}

    public static List<Source> sources(Path manifest, String role) throws IOException {
        List<Source> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(manifest);
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            if (f.length < 8 || !f[6].equals(role)) continue;
            int first = 0, last = Integer.MAX_VALUE;
            // "all", or "all/N" (every Nth frame, which scripts/data/fetch-footage.sh decodes as frames 0, 1, 2...)
            if (!f[5].equals("all") && !f[5].startsWith("all/")) {
                first = Integer.parseInt(f[5].split("-")[0]);
                last = Integer.parseInt(f[5].split("-")[1]);
            }
            out.add(new Source(f[0], f[1], first, last, f[7]));
        }
        return out;
    }

    /** Every {@code step}-th frame of each source; hand counts against the median of {@code countFrames} frames too. */
    public static List<Row> evaluate(Model student, Path data, List<Source> sources, Map<Integer, Integer> vtestHandCounts, int step,
                                     int countFrames) throws IOException {
        DetectorData dd = new DetectorData(data);
        PersonDetector det = new PersonDetector(student);
        List<Row> rows = new ArrayList<>();
        for (Source s : sources) {
            Map<String, List<float[]>> teacher = TeacherLabels.read(data, s.clip());
            int n = 0, tp = 0, fp = 0, fn = 0, keptS = 0, keptT = 0;
            double err = 0;
            for (int f = s.first(); f <= s.last() && Files.exists(dd.frame(s.clip(), f)); f += step) {
                List<float[]> t = teacher.get(s.clip() + ":" + f);
                if (t == null) continue;
                det.run(dd.load(s.clip(), f));
                int c = det.count();
                boolean ps = c > 0, pt = !t.isEmpty();
                n++;
                if (ps && pt) tp++;
                if (ps && !pt) fp++;
                if (!ps && pt) fn++;
                if (ps) keptS++;
                if (pt) keptT++;
                err += Math.abs(c - t.size());
            }
            double[] hand = s.clip().equals("vtest") && vtestHandCounts != null
                    ? handCounted(det, dd, s, teacher, vtestHandCounts, countFrames) : new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            rows.add(new Row(s.source(), !s.people().equals("no"), n, keptT, tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp),
                    tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn), n == 0 ? 0 : (double) keptS / n, n == 0 ? 0 : (double) keptT / n,
                    n == 0 ? 0 : err / n, hand[0], hand[1], hand[2], hand[3]));
        }
        return rows;
    }

    /**
     * Count MAE against the hand counts of every hand-counted frame of the source's range, whatever the step:
     * {student per frame, teacher per frame, student median, teacher median}; the teacher's where it labelled the
     * frame (its median over the frames of the window it labelled). The window reads the frames before the
     * hand-counted one, which may lie before the range: they are inputs, not labels.
     */
    static double[] handCounted(PersonDetector det, DetectorData dd, Source s, Map<String, List<float[]>> teacher, Map<Integer, Integer> handCounts,
                                int countFrames) throws IOException {
        Map<Integer, Integer> student = new HashMap<>();
        int[] scratch = new int[countFrames];
        double sf = 0, tf = 0, sm = 0, tm = 0;
        int n = 0, tn = 0, tmn = 0;
        for (Map.Entry<Integer, Integer> h : new TreeMap<>(handCounts).entrySet()) {
            int f = h.getKey(), truth = h.getValue();
            if (f < s.first() || f > s.last() || !Files.exists(dd.frame(s.clip(), f))) continue;
            int[] ws = TrailingMedian.state(countFrames), wt = TrailingMedian.state(countFrames);
            int ms = 0, mt = -1;
            for (int g = Math.max(0, f - countFrames + 1); g <= f; g++) {
                if (!student.containsKey(g) && Files.exists(dd.frame(s.clip(), g))) {
                    det.run(dd.load(s.clip(), g));
                    student.put(g, det.count());
                }
                Integer c = student.get(g);
                if (c != null) ms = TrailingMedian.push(ws, c, scratch);
                List<float[]> t = teacher.get(s.clip() + ":" + g);
                if (t != null) mt = TrailingMedian.push(wt, t.size(), scratch);
            }
            n++;
            sf += Math.abs(student.get(f) - truth);
            sm += Math.abs(ms - truth);
            List<float[]> t = teacher.get(s.clip() + ":" + f);
            if (t != null) {
                tn++;
                tf += Math.abs(t.size() - truth);
            }
            if (mt >= 0) {
                tmn++;
                tm += Math.abs(mt - truth);
            }
        }
        return new double[] {n == 0 ? Double.NaN : sf / n, tn == 0 ? Double.NaN : tf / tn, n == 0 ? Double.NaN : sm / n, tmn == 0 ? Double.NaN : tm / tmn};
    }

    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| video | people | frames | teacher: with people | student presence P / R vs teacher | kept: student / teacher | count MAE vs teacher "
                + "| hand-count MAE: student / teacher | the same, median of the last frames |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s / %s | %.3f / %.3f | %.3f | %s | %s |%n", r.source(), r.people() ? "yes" : "no", r.frames(),
                    r.teacherPositive(), f(r.precision()), f(r.recall()), r.keptStudent(), r.keptTeacher(), r.countMae(),
                    Double.isNaN(r.handMaeStudent()) ? "–" : f(r.handMaeStudent()) + " / " + f(r.handMaeTeacher()),
                    Double.isNaN(r.handMedianMaeStudent()) ? "–" : f(r.handMedianMaeStudent()) + " / " + f(r.handMedianMaeTeacher())));
        }
        return b.toString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }
}
