package dev.winnow.examples.report;

import dev.winnow.examples.io.CsvFiles;
import dev.winnow.connectors.clips.ClipIndex;
import dev.winnow.flink.retention.RetentionConfig;
import dev.winnow.flink.types.CameraStatus;
import dev.winnow.flink.types.SegmentDecision;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.ScoredFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a security-retention run kept and saved, read back from its CSV outputs: per camera frames and
 * bytes in and kept, the share of storage saved, events, and — for frames a person labelled — how
 * many frames with people were kept (recall) and how many empty frames were dropped.
 */
public final class RetentionReport {
    /** One scored frame as the job wrote it. */
    /** One scored frame; {@code decidedBy} is student, teacher or reused (the edge cascade). */
    public record Decision(String camera, long seq, long timestampMillis, int bytes, float score, int count, int labelCount, int modelVersion,
                           String decidedBy, String modelName) {}

    public record Event(String camera, long id, long start, long end, int peakCount, float peakScore, long frames, long bytes) {}

    /** Per camera and in total. */
    public record Totals(long frames, long bytes, long keptFrames, long keptBytes, long labelledPerson, long keptPerson, long labelledEmpty, long droppedEmpty) {
        public double savedShare() {
            return bytes == 0 ? 0 : 1 - (double) keptBytes / bytes;
        }

        public String recall() {
            return labelledPerson == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f (%d/%d)", (double) keptPerson / labelledPerson, keptPerson, labelledPerson);
        }

        public String emptyDropped() {
            return labelledEmpty == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f (%d/%d)", (double) droppedEmpty / labelledEmpty, droppedEmpty, labelledEmpty);
        }
    }

    /** One recorded segment of a camera's encoded stream and what became of it (event 0: dropped). */
    public record SegmentRow(String camera, long start, long end, long bytes, long eventId) {}

    /** The camera's encoded bytes against the clips kept, over the recorded span. */
    public record Video(long sourceBytes, long keptSegmentBytes, long clipBytes, long clips, long keptMillis, long recordedMillis) {
        public double savedShare() {
            return sourceBytes == 0 ? 0 : 1 - (double) clipBytes / sourceBytes;
        }
    }

    private List<SegmentRow> segments = List.of();
    private List<CameraStatus> statuses = List.of();
    private Path out;
    private List<ClipIndex.Row> clips = List.of();
    private final List<Decision> decisions;
    private final Set<String> kept;
    private final List<Event> events;
    private final RetentionConfig config;

    RetentionReport(List<Decision> decisions, Set<String> kept, List<Event> events, RetentionConfig config) {
        this.decisions = decisions;
        this.kept = kept;
        this.events = events;
        this.config = config;
    }

    public static String verdictLine(ScoredFrame s) {
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%d,%d,%d,%s,%s", s.frame.cameraId, s.frame.seq, s.frame.timestampMillis,
                s.frame.data == null ? 0 : s.frame.data.length, s.verdict.score, s.verdict.count, s.frame.labelCount, s.verdict.modelVersion,
                s.verdict.decidedBy, s.verdict.modelName == null ? "" : s.verdict.modelName.replace(',', ' '));
    }

    public static String eventLine(RetentionEvent e) {
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.4f,%d,%d", e.cameraId, e.eventId, e.startMillis, e.endMillis, e.peakCount, e.peakScore, e.framesKept, e.bytesKept);
    }

    /** A camera's gap or failure; the message last, commas kept (the reader joins the tail). */
    public static String statusLine(CameraStatus st) {
        return st.cameraId + "," + st.kind + "," + st.fromMillis + "," + st.toMillis + "," + st.attempts + ","
                + (st.message == null ? "" : st.message.replace('\n', ' '));
    }

    public static String segmentLine(SegmentDecision d) {
        return d.cameraId + "," + d.startMillis + "," + d.endMillis + "," + d.bytes + "," + d.eventId;
    }

    /** Merges the per-camera clip indexes into {@code out/index.csv}. */
    public static void writeMergedIndex(Path out) throws IOException {
        List<ClipIndex.Row> rows = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
        StringBuilder b = new StringBuilder(ClipIndex.HEADER).append('\n');
        for (ClipIndex.Row r : rows) b.append(r.toCsv()).append('\n');
        java.nio.file.Files.writeString(out.resolve("index.csv"), b.toString());
    }

    public static RetentionReport read(Path out, RetentionConfig config) throws IOException {
        RetentionReport r = readFrames(out, config);
        List<SegmentRow> segs = new ArrayList<>();
        if (java.nio.file.Files.isDirectory(out.resolve("segments"))) {
            for (String[] f : CsvFiles.read(out.resolve("segments"))) {
                segs.add(new SegmentRow(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
        }
        segs.sort((a, b) -> a.camera.equals(b.camera) ? Long.compare(a.start, b.start) : a.camera.compareTo(b.camera));
        r.segments = segs;
        r.clips = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
        List<CameraStatus> st = new ArrayList<>();
        for (String[] f : CsvFiles.read(out.resolve("camera-status"))) {
            CameraStatus c = new CameraStatus();
            c.cameraId = f[0];
            c.kind = f[1];
            c.fromMillis = Long.parseLong(f[2]);
            c.toMillis = Long.parseLong(f[3]);
            c.attempts = Integer.parseInt(f[4]);
            c.message = String.join(",", java.util.Arrays.copyOfRange(f, 5, f.length));
            st.add(c);
        }
        st.sort(java.util.Comparator.comparing((CameraStatus c) -> c.cameraId).thenComparingLong(c -> c.fromMillis));
        r.statuses = st;
        r.out = out;
        return r;
    }

    /** Video totals, one camera or all ({@code null}). */
    public Video video(String camera) {
        long src = 0, keptSeg = 0, keptMs = 0, recMs = 0, clipBytes = 0, n = 0;
        for (SegmentRow s : segments) {
            if (camera != null && !camera.equals(s.camera)) continue;
            src += s.bytes;
            recMs += s.end - s.start;
            if (s.eventId > 0) { keptSeg += s.bytes; keptMs += s.end - s.start; }
        }
        for (ClipIndex.Row c : clips) {
            if (camera != null && !camera.equals(c.camera())) continue;
            clipBytes += c.bytes();
            n++;
        }
        return new Video(src, keptSeg, clipBytes, n, keptMs, recMs);
    }

    /** The recorded segments and what became of them, by camera then time. */
    public List<SegmentRow> segments() {
        return segments;
    }

    public List<ClipIndex.Row> clips() {
        return clips;
    }

    public List<CameraStatus> statuses() {
        return statuses;
    }

    /** Clips the retention policy deleted ({@code camera=<id>/deleted.csv}), per camera: how many, bytes, why. */
    public String deletedLines() {
        if (out == null || !java.nio.file.Files.isDirectory(out)) return "";
        StringBuilder b = new StringBuilder();
        try (var dirs = java.nio.file.Files.list(out)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("camera=")).sorted().toList()) {
                Path f = d.resolve("deleted.csv");
                if (!java.nio.file.Files.isRegularFile(f)) continue;
                List<String> lines = java.nio.file.Files.readAllLines(f);
                long n = 0, bytes = 0;
                Map<String, Long> why = new TreeMap<>();
                for (String line : lines.subList(1, lines.size())) {
                    String[] p = line.split(",", -1);
                    n++;
                    bytes += Long.parseLong(p[7]);
                    why.merge(p[p.length - 1], 1L, Long::sum);
                }
                b.append(String.format(Locale.ROOT, "retention: camera %s: %d clips deleted (%s):", d.getFileName().toString().substring(7), n, kb(bytes)));
                why.forEach((w, c) -> b.append(' ').append(c).append(' ').append(w).append(';'));
                b.append('\n');
            }
        } catch (IOException e) {
            return "retention: cannot read deleted.csv: " + e.getMessage() + "\n";
        }
        return b.toString();
    }

    /** One line per camera with gaps (how many, how long, when) and one per failed camera; empty when none. */
    public String statusLines() {
        StringBuilder b = new StringBuilder();
        Map<String, List<CameraStatus>> gaps = new TreeMap<>();
        for (CameraStatus s : statuses) {
            if (CameraStatus.GAP.equals(s.kind)) gaps.computeIfAbsent(s.cameraId, k -> new ArrayList<>()).add(s);
            else b.append("camera ").append(s.cameraId).append(" failed: ").append(s.message).append('\n');
        }
        gaps.forEach((cam, list) -> {
            long ms = list.stream().mapToLong(CameraStatus::gapMillis).sum();
            b.append(String.format(Locale.ROOT, "camera %s: %d gap%s in its stream, %.1f s without video:", cam, list.size(),
                    list.size() == 1 ? "" : "s", ms / 1000.0));
            for (CameraStatus s : list) {
                b.append(' ').append(java.time.Instant.ofEpochMilli(s.fromMillis)).append(" .. ").append(java.time.Instant.ofEpochMilli(s.toMillis))
                        .append(" (").append(s.attempts).append(" reconnect attempts);");
            }
            b.append('\n');
        });
        return b.toString();
    }

    static RetentionReport readFrames(Path out, RetentionConfig config) {
        List<Decision> decisions = new ArrayList<>();
        for (String[] f : CsvFiles.read(out.resolve("verdicts"))) {
            decisions.add(new Decision(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), Float.parseFloat(f[4]),
                    Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]), f.length > 8 ? f[8] : "student", f.length > 9 ? f[9] : ""));
        }
        decisions.sort((a, b) -> a.camera.equals(b.camera) ? Long.compare(a.seq, b.seq) : a.camera.compareTo(b.camera));
        Set<String> kept = new HashSet<>();
        for (String[] f : CsvFiles.read(out.resolve("kept"))) kept.add(f[0] + "#" + f[1]);
        List<Event> events = new ArrayList<>();
        for (String[] f : CsvFiles.read(out.resolve("events"))) {
            events.add(new Event(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]),
                    Float.parseFloat(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7])));
        }
        events.sort((a, b) -> a.camera.equals(b.camera) ? Long.compare(a.start, b.start) : a.camera.compareTo(b.camera));
        return new RetentionReport(decisions, kept, events, config);
    }

    public boolean kept(Decision d) {
        return kept.contains(d.camera + "#" + d.seq);
    }

    public List<Event> events() {
        return events;
    }

    public List<Decision> decisions() {
        return decisions;
    }

    public Map<String, Totals> perCamera() {
        Map<String, long[]> acc = new TreeMap<>();
        for (Decision d : decisions) {
            long[] a = acc.computeIfAbsent(d.camera, k -> new long[8]);
            boolean k = kept(d);
            a[0]++;
            a[1] += d.bytes;
            if (k) { a[2]++; a[3] += d.bytes; }
            if (d.labelCount > 0) { a[4]++; if (k) a[5]++; }
            if (d.labelCount == 0) { a[6]++; if (!k) a[7]++; }
        }
        Map<String, Totals> out = new TreeMap<>();
        acc.forEach((c, a) -> out.put(c, new Totals(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])));
        return out;
    }

    public Totals total() {
        long[] t = new long[8];
        for (Totals c : perCamera().values()) {
            long[] a = {c.frames, c.bytes, c.keptFrames, c.keptBytes, c.labelledPerson, c.keptPerson, c.labelledEmpty, c.droppedEmpty};
            for (int i = 0; i < 8; i++) t[i] += a[i];
        }
        return new Totals(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        Map<String, Totals> cams = new TreeMap<>(perCamera());
        cams.put("all cameras", total());
        cams.forEach((c, t) -> rows.add(List.of(c, String.valueOf(t.frames), kb(t.bytes), String.valueOf(t.keptFrames), kb(t.keptBytes),
                String.format(Locale.ROOT, "%.1f%%", 100 * t.savedShare()), String.valueOf(events.stream().filter(e -> c.equals("all cameras") || e.camera.equals(c)).count()),
                t.recall(), t.emptyDropped())));
        return rows;
    }

    static final List<String> HEADER = List.of("camera", "frames in", "bytes in", "frames kept", "bytes kept", "saved", "events", "person-frame recall", "empty frames dropped");

    private String videoLine() {
        Video v = video(null);
        if (v.sourceBytes == 0) return "video: no recording cameras (image folders keep frames, not video)\n";
        return String.format(Locale.ROOT, "video: %d clips, %s kept of %s the cameras encoded (%.1f%% saved); %.0f s of %.0f s recorded kept%n",
                v.clips, kb(v.clipBytes), kb(v.sourceBytes), 100 * v.savedShare(), v.keptMillis / 1000.0, v.recordedMillis / 1000.0);
    }

    /** Which model versions decided, and how many frames each: the report names what it rests on. */
    public String modelsLine() {
        java.util.Map<String, Long> by = new java.util.TreeMap<>();
        for (Decision d : decisions) by.merge((d.modelName().isEmpty() ? "model" : d.modelName()) + " v" + d.modelVersion(), 1L, Long::sum);
        StringBuilder b = new StringBuilder("models:");
        by.forEach((m, n) -> b.append(' ').append(m).append(" (").append(n).append(" frames);"));
        return b.append('\n').toString();
    }

    /** Per camera, how many frames the student decided, the teacher decided, and the difference detector reused. */
    public String decidedLine() {
        java.util.Map<String, long[]> by = new java.util.TreeMap<>();
        for (Decision d : decisions) {
            long[] c = by.computeIfAbsent(d.camera(), k -> new long[3]);
            c["teacher".equals(d.decidedBy()) ? 1 : "reused".equals(d.decidedBy()) ? 2 : 0]++;
        }
        if (by.values().stream().allMatch(c -> c[1] == 0 && c[2] == 0)) return "";
        StringBuilder b = new StringBuilder("decided by (student / teacher / reused):");
        by.forEach((cam, c) -> b.append(String.format(Locale.ROOT, " %s %d / %d / %d;", cam, c[0], c[1], c[2])));
        return b.append('\n').toString();
    }

    public String summary(double seconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "security-retention: %d frames in %.1f s (%s)%n", total().frames, seconds, config));
        b.append(Tables.markdown(HEADER, rows()));
        Totals t = total();
        b.append(videoLine());
        b.append(statusLines());
        b.append(deletedLines());
        b.append(String.format(Locale.ROOT, "analysis frames kept: %.1f%% dropped (%s of %s decoded grey bytes); person-frame recall %s%n",
                100 * t.savedShare(), kb(t.keptBytes), kb(t.bytes), t.recall()));
        b.append(decidedLine());
        b.append(modelsLine());
        return b.toString();
    }

    static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }

    public void writeHtml(Path file) throws IOException {
        Html h = new Html("Winnow security-retention report");
        Totals t = total();
        h.paragraph(String.format(Locale.ROOT, "Person-frame recall on labelled frames: %s. Retention: %s.", t.recall(), config));
        // links are relative to the page's folder, the output directory
        h.raw(new RetentionPage(this, file.toAbsolutePath().getParent(), "ffprobe").sections());
        h.heading("Analysis frames per camera");
        h.table(HEADER, rows());
        Map<String, List<Decision>> byCamera = new TreeMap<>();
        for (Decision d : decisions) byCamera.computeIfAbsent(d.camera, k -> new ArrayList<>()).add(d);
        for (Map.Entry<String, List<Decision>> e : byCamera.entrySet()) {
            List<Decision> ds = e.getValue();
            double[] x = new double[ds.size()], score = new double[ds.size()], label = new double[ds.size()];
            boolean labelled = false;
            for (int i = 0; i < ds.size(); i++) {
                x[i] = (ds.get(i).timestampMillis - ds.get(0).timestampMillis) / 1000.0;
                score[i] = ds.get(i).score;
                label[i] = ds.get(i).labelCount > 0 ? 1 : 0;
                labelled |= ds.get(i).labelCount >= 0;
            }
            SvgChart chart = new SvgChart("camera " + e.getKey() + ": person score per frame; shaded = kept", "seconds since the first frame", "score")
                    .yRange(0, 1.05).line("person score", "#1f77b4", x, score)
                    .rule(config.enterThreshold, "enter", "#d62728").rule(config.exitThreshold, "exit", "#ff7f0e");
            if (labelled) chart.steps("labelled: person present", "#2ca02c", x, label);
            double spanStart = Double.NaN;
            for (int i = 0; i <= ds.size(); i++) {
                boolean k = i < ds.size() && kept(ds.get(i));
                if (k && Double.isNaN(spanStart)) spanStart = x[i];
                if (!k && !Double.isNaN(spanStart)) {
                    chart.shade(spanStart, x[i - 1] + (i < ds.size() ? (x[i] - x[i - 1]) : 0.2), "#9ecae1");
                    spanStart = Double.NaN;
                }
            }
            h.raw(chart.render());
        }
        h.heading("Events");
        List<List<String>> ev = new ArrayList<>();
        for (Event e : events) {
            ev.add(List.of(e.camera, String.valueOf(e.id), String.format(Locale.ROOT, "%.1f s", (e.end - e.start) / 1000.0), String.valueOf(e.peakCount),
                    String.format(Locale.ROOT, "%.2f", e.peakScore), String.valueOf(e.frames), kb(e.bytes)));
        }
        h.table(List.of("camera", "event", "length", "peak count", "peak score", "frames kept", "bytes kept"), ev);
        h.raw(RetentionPage.PROBE_SCRIPT);
        h.write(file);
    }
}
