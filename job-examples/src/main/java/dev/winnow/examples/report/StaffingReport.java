package dev.winnow.examples.report;

import dev.winnow.examples.io.CsvFiles;
import dev.winnow.flink.types.ZoneCount;
import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-zone occupancy windows and staffing, read back from a stadium-staffing run's CSV outputs. */
public final class StaffingReport {
    public record Window(String zone, long start, long end, double mean, int max, boolean overcrowded, int staff) {}

    private final List<Window> windows;
    private final ZoneConfig config;
    private final long frames;
    private final FrameSummary cameras;

    StaffingReport(List<Window> windows, ZoneConfig config, FrameSummary cameras) {
        this.windows = windows;
        this.config = config;
        this.cameras = cameras;
        long n = 0;
        for (List<String> r : cameras.rows()) n += Long.parseLong(r.get(2));
        this.frames = n;
    }

    public static String windowLine(ZoneCount c) {
        return String.format(Locale.ROOT, "%s,%d,%d,%.4f,%d,%b,%d", c.zone, c.windowStartMillis, c.windowEndMillis, c.meanCount, c.maxCount, c.overcrowded, c.staffRecommended);
    }

    public static StaffingReport read(Path out, ZoneConfig config) {
        List<Window> windows = new ArrayList<>();
        for (String[] f : CsvFiles.read(out.resolve("zones"))) {
            windows.add(new Window(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]), Integer.parseInt(f[4]),
                    Boolean.parseBoolean(f[5]), Integer.parseInt(f[6])));
        }
        windows.sort((a, b) -> a.zone.equals(b.zone) ? Long.compare(a.start, b.start) : a.zone.compareTo(b.zone));
        return new StaffingReport(windows, config, FrameSummary.readCounts(out));
    }

    public long frames() {
        return frames;
    }

    public List<Window> windows() {
        return windows;
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (String zone : config.zoneNames()) {
            List<Window> ws = windows.stream().filter(w -> w.zone.equals(zone)).toList();
            if (ws.isEmpty()) continue;
            double mean = ws.stream().mapToDouble(Window::mean).average().orElse(0);
            int max = ws.stream().mapToInt(Window::max).max().orElse(0);
            int staff = ws.stream().mapToInt(Window::staff).max().orElse(0);
            long crowded = ws.stream().filter(Window::overcrowded).count();
            long dropped = config.camerasOf(zone).stream().mapToLong(cameras::dropped).sum();
            rows.add(List.of(zone, String.join(" ", config.camerasOf(zone)), String.valueOf(ws.size()), String.format(Locale.ROOT, "%.2f", mean),
                    String.valueOf(max), String.valueOf(config.zone(zone).capacity()), String.valueOf(crowded), String.valueOf(staff),
                    String.valueOf(dropped), cameras.models().of(List.copyOf(config.camerasOf(zone)))));
        }
        return rows;
    }

    static final List<String> HEADER = List.of("zone", "cameras", "windows", "mean occupancy", "max", "capacity", "overcrowded windows", "peak staff",
            "frames dropped", "decided by");

    /** Frames dropped before scoring (malformed or over the pixel budget), all cameras. */
    public long dropped() {
        long n = 0;
        for (List<String> r : cameras.rows()) n += Long.parseLong(r.get(3));
        return n;
    }

    public String summary() {
        return Tables.markdown(HEADER, rows()) + "models: " + cameras.models().summary("frames") + "\n";
    }

    public void writeHtml(Path file) throws IOException {
        Html h = new Html("Winnow stadium-staffing report");
        h.paragraph(String.format(Locale.ROOT, "%d frames scored; occupancy windows of %d s; a zone is overcrowded when above capacity for %d s; staff = ceil(max occupancy / people per staff).",
                frames, config.windowMillis / 1000, config.overcrowdedAfterMillis / 1000));
        h.paragraph("Decided by " + cameras.models().summary("frames") + ". Frames dropped before scoring (malformed or over the pixel budget): "
                + dropped() + ".");
        h.table(HEADER, rows());
        h.table(FrameSummary.HEADER, cameras.rows());
        for (String zone : config.zoneNames()) {
            List<Window> ws = windows.stream().filter(w -> w.zone.equals(zone)).toList();
            if (ws.isEmpty()) continue;
            int n = ws.size();
            double[] start = new double[n], end = new double[n], mean = new double[n], max = new double[n], staff = new double[n];
            for (int i = 0; i < n; i++) {
                start[i] = ws.get(i).start;
                end[i] = ws.get(i).end;
                mean[i] = ws.get(i).mean;
                max[i] = ws.get(i).max;
                staff[i] = ws.get(i).staff;
            }
            double top = Math.max(config.zone(zone).capacity(), java.util.Arrays.stream(max).max().orElse(0)) + 1;
            SvgChart chart = new SvgChart("zone " + zone + " (" + String.join(", ", config.camerasOf(zone)) + ")",
                    "event time (" + dev.winnow.examples.live.Clock.zone() + "), windows of " + config.windowMillis / 1000 + " s", "people / staff")
                    .clockTime().yRange(0, top)
                    .windows("mean occupancy", "#1f77b4", start, end, mean).windows("max occupancy", "#9467bd", start, end, max)
                    .windows("staff recommended", "#2ca02c", start, end, staff)
                    .rule(config.zone(zone).capacity(), "capacity", "#d62728");
            for (Window w : ws) if (w.overcrowded) chart.shade(w.start, w.end, "#fcbba1");
            h.raw(chart.render());
        }
        h.write(file);
    }
}
