package dev.winnow.examples.report;

import dev.winnow.examples.io.CsvFiles;
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
 * A sensor-events run read back from its CSV outputs: windows scored and events kept per sensor, the
 * model versions that decided the kept events, and where the readings were labelled, how the kept
 * windows match the labels (precision, recall). Sensors whose readings the model was trained on
 * (the artifact's provenance {@code trainedOn}) are marked as such and left out of the
 * "held-out sensors" row, the one figure that measures the model on readings it never saw.
 */
public final class SensorReport {
    record Window(String sensor, long start, long end, int label, double firstFeature) {}

    private final List<Window> windows;
    private final Set<String> events;
    private final Set<String> trainedOn;
    private final ModelsUsed models;

    SensorReport(List<Window> windows, Set<String> events, Set<String> trainedOn, ModelsUsed models) {
        this.windows = windows;
        this.events = events;
        this.trainedOn = trainedOn;
        this.models = models;
    }

    /** A run's report, not knowing which sensors the model was trained on. */
    public static SensorReport read(Path out) {
        return read(out, Set.of());
    }

    /** A run's report; {@code trainedOn} names the sensors whose readings the model was trained on. */
    public static SensorReport read(Path out, Set<String> trainedOn) {
        List<Window> windows = new ArrayList<>();
        for (String[] f : CsvFiles.read(out.resolve("windows"))) {
            windows.add(new Window(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4])));
        }
        windows.sort((a, b) -> a.sensor.equals(b.sensor) ? Long.compare(a.end, b.end) : a.sensor.compareTo(b.sensor));
        Set<String> events = new HashSet<>();
        ModelsUsed models = new ModelsUsed();
        for (String[] f : CsvFiles.read(out.resolve("events"))) {
            events.add(f[0] + "#" + f[1] + "#" + f[2]);
            models.add(f[0], f.length > 6 ? f[6] : "model", Integer.parseInt(f[5]));
        }
        return new SensorReport(windows, events, Set.copyOf(trainedOn), models);
    }

    public int windows() {
        return windows.size();
    }

    public int events() {
        return events.size();
    }

    boolean kept(Window w) {
        return events.contains(w.sensor + "#" + w.start + "#" + w.end);
    }

    private List<List<String>> rows() {
        Map<String, int[]> acc = new TreeMap<>();
        String heldOut = "held-out sensors (not trained on)";
        for (Window w : windows) {
            boolean training = trainedOn.contains(w.sensor);
            List<String> keys = trainedOn.isEmpty() ? List.of(w.sensor, "all sensors")
                    : training ? List.of(w.sensor + " (training data)", "all sensors (incl. training data)")
                    : List.of(w.sensor, heldOut, "all sensors (incl. training data)");
            for (String key : keys) {
                int[] a = acc.computeIfAbsent(key, k -> new int[5]);
                boolean k = kept(w);
                a[0]++;
                if (k) a[1]++;
                if (w.label >= 0) a[2]++;
                if (w.label == 1 && k) a[3]++;
                if (w.label == 1) a[4]++;
            }
        }
        List<List<String>> rows = new ArrayList<>();
        acc.forEach((s, a) -> rows.add(List.of(s, String.valueOf(a[0]), String.valueOf(a[1]), String.format(Locale.ROOT, "%.1f%%", 100.0 * (a[0] - a[1]) / Math.max(1, a[0])),
                a[2] == 0 || a[1] == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", (double) a[3] / a[1]),
                a[4] == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", (double) a[3] / a[4]),
                models.of(s.endsWith(" (training data)") ? s.substring(0, s.length() - " (training data)".length())
                        : s.startsWith("all sensors") || s.startsWith("held-out") ? "*" : s).replace("none", "-"))));
        return rows;
    }

    static final List<String> HEADER = List.of("sensor", "windows", "events kept", "dropped", "precision (label 1)", "recall (label 1)", "decided by");

    public String summary() {
        return Tables.markdown(HEADER, rows()) + "models: " + models.summary("kept events") + "\n" + training() + "\n";
    }

    private String training() {
        if (trainedOn.isEmpty()) return "Training data: not recorded in the model; precision and recall may include readings it was trained on.";
        return "Training data: the model was trained on " + String.join(", ", new java.util.TreeSet<>(trainedOn))
                + "; only the held-out row measures it on readings it never saw.";
    }

    public void writeHtml(Path file) throws IOException {
        Html h = new Html("Winnow sensor-events report");
        h.paragraph(windows.size() + " windows scored, " + events.size() + " kept as events, decided by " + models.summary("kept events")
                + ". Precision and recall compare kept windows with the label the readings carry (1 = relevant). " + training());
        h.table(HEADER, rows());
        Map<String, List<Window>> bySensor = new TreeMap<>();
        for (Window w : windows) bySensor.computeIfAbsent(w.sensor, k -> new ArrayList<>()).add(w);
        for (Map.Entry<String, List<Window>> e : bySensor.entrySet()) {
            List<Window> ws = e.getValue();
            double[] x = new double[ws.size()], y = new double[ws.size()], label = new double[ws.size()];
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < ws.size(); i++) {
                x[i] = ws.get(i).end;
                y[i] = ws.get(i).firstFeature;
                lo = Math.min(lo, y[i]);
                hi = Math.max(hi, y[i]);
            }
            for (int i = 0; i < ws.size(); i++) label[i] = ws.get(i).label == 1 ? hi : lo;
            String role = trainedOn.isEmpty() ? "" : trainedOn.contains(e.getKey()) ? " (training data)" : " (held out: not trained on)";
            SvgChart chart = new SvgChart("sensor " + e.getKey() + role + ": window mean of channel 0; shaded = kept as event",
                    "window end, event time (" + dev.winnow.examples.live.Clock.zone() + ")", "window mean")
                    .clockTime().line("window mean", "#1f77b4", x, y);
            if (ws.stream().anyMatch(w -> w.label >= 0)) chart.steps("label (high = relevant)", "#2ca02c", x, label);
            double step = ws.size() > 1 ? x[1] - x[0] : 1;
            for (int i = 0; i < ws.size(); i++) if (kept(ws.get(i))) chart.shade(x[i] - step / 2, x[i] + step / 2, "#fdae6b");
            h.raw(chart.render());
        }
        h.write(file);
    }
}
