package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The student against the teacher on whole videos it was not trained on (role {@code holdout} in
 * {@code model-tools/detector/training-sources.csv}), and on the hand-counted vtest frames.
 * Per video: presence precision and recall against the teacher (a frame "has people" when the count
 * is at least 1), the fraction of frames kept (what the filter would pass on), and count MAE against
 * the teacher; on vtest's hand-counted frames, count MAE against the hand counts for both.
 */
public final class HeldOutEvaluation {
    /** One video's figures. {@code handMae} is NaN without hand counts. */
    public record Row(String source, boolean people, int frames, int teacherPositive, double precision, double recall, double keptStudent,
                      double keptTeacher, double countMae, double handMaeStudent, double handMaeTeacher) {}

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

    /** Every {@code step}-th frame of each source. */
    public static List<Row> evaluate(Model student, Path data, List<Source> sources, Map<Integer, Integer> vtestHandCounts, int step) throws IOException {
        DetectorData dd = new DetectorData(data);
        PersonDetector det = new PersonDetector(student);
        List<Row> rows = new ArrayList<>();
        for (Source s : sources) {
            Map<String, List<float[]>> teacher = TeacherLabels.read(data, s.clip());
            int n = 0, tp = 0, fp = 0, fn = 0, keptS = 0, keptT = 0, handN = 0;
            double err = 0, handS = 0, handT = 0;
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
            // every hand-counted frame of the range, whatever the step (the teacher's figure where it labelled the frame)
            int handTN = 0;
            if (s.clip().equals("vtest") && vtestHandCounts != null) {
                for (Map.Entry<Integer, Integer> h : vtestHandCounts.entrySet()) {
                    int f = h.getKey();
                    if (f < s.first() || f > s.last() || !Files.exists(dd.frame(s.clip(), f))) continue;
                    det.run(dd.load(s.clip(), f));
                    handN++;
                    handS += Math.abs(det.count() - h.getValue());
                    List<float[]> t = teacher.get(s.clip() + ":" + f);
                    if (t != null) {
                        handTN++;
                        handT += Math.abs(t.size() - h.getValue());
                    }
                }
            }
            rows.add(new Row(s.source(), !s.people().equals("no"), n, keptT, tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp),
                    tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn), n == 0 ? 0 : (double) keptS / n, n == 0 ? 0 : (double) keptT / n,
                    n == 0 ? 0 : err / n, handN == 0 ? Double.NaN : handS / handN, handTN == 0 ? Double.NaN : handT / handTN));
        }
        return rows;
    }

    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| video | people | frames | teacher: with people | student presence P / R vs teacher | kept: student / teacher | count MAE vs teacher | hand-count MAE: student / teacher |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s / %s | %.3f / %.3f | %.3f | %s |%n", r.source(), r.people() ? "yes" : "no", r.frames(),
                    r.teacherPositive(), f(r.precision()), f(r.recall()), r.keptStudent(), r.keptTeacher(), r.countMae(),
                    Double.isNaN(r.handMaeStudent()) ? "–" : f(r.handMaeStudent()) + " / " + f(r.handMaeTeacher())));
        }
        return b.toString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }
}
