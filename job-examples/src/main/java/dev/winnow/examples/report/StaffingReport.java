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

    StaffingReport(List<Window> windows, ZoneConfig config, long frames) {
        this.windows = windows;
        this.config = config;
        this.frames = frames;
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
        return new StaffingReport(windows, config, CsvFiles.read(out.resolve("counts")).size());
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
            rows.add(List.of(zone, String.join(" ", config.camerasOf(zone)), String.valueOf(ws.size()), String.format(Locale.ROOT, "%.2f", mean),
                    String.valueOf(max), String.valueOf(config.zone(zone).capacity()), String.valueOf(crowded), String.valueOf(staff)));
        }
        return rows;
    }

    static final List<String> HEADER = List.of("zone", "cameras", "windows", "mean occupancy", "max", "capacity", "overcrowded windows", "peak staff");

    public String summary() {
        return Tables.markdown(HEADER, rows());
    }

    public void writeHtml(Path file) throws IOException {
        Html h = new Html("Winnow stadium-staffing report");
        h.paragraph(String.format(Locale.ROOT, "%d frames scored; occupancy windows of %d s; a zone is overcrowded when above capacity for %d s; staff = ceil(max occupancy / people per staff).",
                frames, config.windowMillis / 1000, config.overcrowdedAfterMillis / 1000));
        h.table(HEADER, rows());
        for (String zone : config.zoneNames()) {
            List<Window> ws = windows.stream().filter(w -> w.zone.equals(zone)).toList();
            if (ws.isEmpty()) continue;
            long t0 = ws.get(0).start;
            double[] x = new double[ws.size()], mean = new double[ws.size()], max = new double[ws.size()], staff = new double[ws.size()];
            for (int i = 0; i < ws.size(); i++) {
                x[i] = (ws.get(i).start - t0) / 1000.0;
                mean[i] = ws.get(i).mean;
                max[i] = ws.get(i).max;
                staff[i] = ws.get(i).staff;
            }
            SvgChart chart = new SvgChart("zone " + zone + " (" + String.join(", ", config.camerasOf(zone)) + ")", "seconds (window start)", "people / staff")
                    .yRange(0, Math.max(config.zone(zone).capacity() + 1, max.length == 0 ? 1 : java.util.Arrays.stream(max).max().getAsDouble() + 1))
                    .line("mean occupancy", "#1f77b4", x, mean).line("max occupancy", "#9467bd", x, max).steps("staff recommended", "#2ca02c", x, staff)
                    .rule(config.zone(zone).capacity(), "capacity", "#d62728");
            for (Window w : ws) if (w.overcrowded) chart.shade((w.start - t0) / 1000.0, (w.end - t0) / 1000.0, "#fcbba1");
            h.raw(chart.render());
        }
        h.write(file);
    }
}
