package dev.winnow.examples.report;

import dev.winnow.examples.io.CsvFiles;
import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.flink.types.RecallEstimate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The central teacher job's report: per camera the latest recall estimate (the one with the most
 * samples) with its 95 % interval, and the adapt requests raised.
 */
public final class CentralReport {
    /** One camera's latest estimate, as read back from the recall CSV. */
    public record Camera(String id, long samples, long misses, long dropped, long kept, double recall, double lower, double upper, boolean flagged) {}

    private final Map<String, Camera> cameras;
    private final List<String[]> adapt;
    private final double floor;
    private final String rule;

    private CentralReport(Map<String, Camera> cameras, List<String[]> adapt, double floor, String rule) {
        this.cameras = cameras;
        this.adapt = adapt;
        this.floor = floor;
        this.rule = rule;
    }

    public static String recallLine(RecallEstimate e) {
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f,%b", e.cameraId, e.timestampMillis, e.samples, e.misses, e.dropped, e.kept,
                e.recall, e.lower, e.upper, e.flagged);
    }

    public static String adaptLine(AdaptRequest a) {
        return String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.4f,%d,%d,%s", a.cameraId, a.timestampMillis, a.recall, a.lower, a.upper, a.floor,
                a.samples, a.misses, a.studentModel);
    }

    public static CentralReport read(Path dir, double floor, String rule) {
        Map<String, Camera> cameras = new TreeMap<>();
        for (String[] r : CsvFiles.read(dir.resolve("recall"))) {
            Camera c = new Camera(r[0], Long.parseLong(r[2]), Long.parseLong(r[3]), Long.parseLong(r[4]), Long.parseLong(r[5]),
                    Double.parseDouble(r[6]), Double.parseDouble(r[7]), Double.parseDouble(r[8]), Boolean.parseBoolean(r[9]));
            cameras.merge(c.id(), c, (a, b) -> b.samples() > a.samples() ? b : a);
        }
        return new CentralReport(cameras, CsvFiles.read(dir.resolve("adapt-requests")), floor, rule);
    }

    public Map<String, Camera> cameras() {
        return cameras;
    }

    public int adaptRequests() {
        return adapt.size();
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "recall of person frames at the edge, from the teacher on sampled dropped frames (floor %.3f on the %s):%n",
                floor, rule.equals("point") ? "point estimate" : "upper 95 % bound"));
        for (Camera c : cameras.values()) {
            b.append(String.format(Locale.ROOT, "  %-12s recall %.4f  95 %% [%.4f, %.4f]  misses %d of %d samples, dropped %d, kept %d%s%n", c.id(), c.recall(),
                    c.lower(), c.upper(), c.misses(), c.samples(), c.dropped(), c.kept(), c.flagged() ? "  FLAGGED" : ""));
        }
        b.append("adapt requests: ").append(adapt.size()).append(System.lineSeparator());
        return b.toString();
    }

    public void writeHtml(Path file) throws IOException {
        Html h = new Html("Winnow central teacher: recall per camera");
        h.heading("Recall of person frames at the edge");
        h.paragraph(String.format(Locale.ROOT, "Estimated from the teacher's verdicts on a random sample of the frames each edge dropped: recall = K / (K + D·p), "
                + "K the frames kept, D the frames dropped without the teacher, p the share of sampled dropped frames that show a person. "
                + "The 95 %% interval is the Wilson score interval of p mapped through the recall. A camera is flagged when the %s is under %.3f.",
                rule.equals("point") ? "point estimate" : "interval's upper bound", floor));
        List<List<String>> rows = new ArrayList<>();
        for (Camera c : cameras.values()) {
            rows.add(List.of(c.id(), String.format(Locale.ROOT, "%.4f", c.recall()), String.format(Locale.ROOT, "[%.4f, %.4f]", c.lower(), c.upper()),
                    Long.toString(c.misses()), Long.toString(c.samples()), Long.toString(c.dropped()), Long.toString(c.kept()), c.flagged() ? "flagged" : ""));
        }
        h.table(List.of("camera", "recall", "95 % interval", "misses", "samples", "dropped", "kept", "flag"), rows);
        h.heading("Adapt requests");
        List<List<String>> ar = new ArrayList<>();
        for (String[] a : adapt) ar.add(List.of(a[0], a[2], "[" + a[3] + ", " + a[4] + "]", a[6], a[7], a[8]));
        h.table(List.of("camera", "recall", "95 % interval", "samples", "misses", "student"), ar);
        h.write(file);
    }
}
