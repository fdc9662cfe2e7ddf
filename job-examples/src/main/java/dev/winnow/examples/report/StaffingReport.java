package dev.winnow.examples.report;

import dev.winnow.examples.io.CsvFiles;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.types.ZoneCount;
import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-zone occupancy windows and staffing, read back from a stadium-staffing run's CSV outputs. */
public final class StaffingReport {
    public record Window(String zone, long start, long end, double mean, int max, boolean overcrowded, int staff, boolean degraded) {}

    /** One line of the staffing schedule. */
    public record Scheduled(String zone, long start, long end, double mean, int max, int inflow, int outflow, double dwellP90, int staff, boolean degraded) {}

    public static final String SCHEDULE_HEADER = "zone,window_start,window_end,occupancy_mean,occupancy_max,inflow,outflow,dwell_p90_s,staff,degraded";
    /** Windows forecast beyond the last one. */
    static final int FORECAST_AHEAD = 3;

    private final List<Window> windows;
    private List<Scheduled> schedule = List.of();
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
        return String.format(Locale.ROOT, "%s,%d,%d,%.4f,%d,%b,%d,%b", c.zone, c.windowStartMillis, c.windowEndMillis, c.meanCount, c.maxCount, c.overcrowded,
                c.staffRecommended, c.degraded);
    }

    /** A line of {@link #SCHEDULE_HEADER}: times as ISO-8601 UTC instants, so a spreadsheet reads them. */
    public static String scheduleLine(StaffingWindow w) {
        return String.format(Locale.ROOT, "%s,%s,%s,%.2f,%d,%d,%d,%.1f,%d,%b", w.zone, Instant.ofEpochMilli(w.windowStartMillis), Instant.ofEpochMilli(w.windowEndMillis),
                w.occupancyMean, w.occupancyMax, w.inflow, w.outflow, w.dwellP90Seconds, w.staff, w.degraded);
    }

    public static StaffingReport read(Path out, ZoneConfig config) {
        List<Window> windows = new ArrayList<>();
        for (String[] f : CsvFiles.read(out.resolve("zones"))) {
            windows.add(new Window(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]), Integer.parseInt(f[4]),
                    Boolean.parseBoolean(f[5]), Integer.parseInt(f[6]), f.length > 7 && Boolean.parseBoolean(f[7])));
        }
        windows.sort((a, b) -> a.zone.equals(b.zone) ? Long.compare(a.start, b.start) : a.zone.compareTo(b.zone));
        StaffingReport r = new StaffingReport(windows, config, FrameSummary.readCounts(out));
        List<Scheduled> s = new ArrayList<>();
        if (Files.isDirectory(out.resolve("schedule"))) for (String[] f : CsvFiles.read(out.resolve("schedule"))) s.add(scheduled(f));
        s.sort((a, b) -> a.zone.equals(b.zone) ? Long.compare(a.start, b.start) : a.zone.compareTo(b.zone));
        r.schedule = s;
        return r;
    }

    static Scheduled scheduled(String[] f) {
        return new Scheduled(f[0], Instant.parse(f[1]).toEpochMilli(), Instant.parse(f[2]).toEpochMilli(), Double.parseDouble(f[3]), Integer.parseInt(f[4]),
                Integer.parseInt(f[5]), Integer.parseInt(f[6]), Double.parseDouble(f[7]), Integer.parseInt(f[8]), Boolean.parseBoolean(f[9]));
    }

    public List<Scheduled> schedule() {
        return schedule;
    }

    /**
     * Writes {@code schedule.csv} (header, then the committed schedule sorted by zone and window) and
     * {@code forecast.csv} (zone,window_start,window_end,occupancy_max_forecast,staff: the next
     * {@value #FORECAST_AHEAD} windows of each zone by {@link HoltForecast}, staff by the zone's rule) beside it.
     */
    public Path writeSchedule(Path out) throws IOException {
        StringBuilder csv = new StringBuilder(SCHEDULE_HEADER).append('\n');
        for (Scheduled w : schedule) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.2f,%d,%d,%d,%.1f,%d,%b%n", w.zone, Instant.ofEpochMilli(w.start), Instant.ofEpochMilli(w.end), w.mean, w.max,
                    w.inflow, w.outflow, w.dwellP90, w.staff, w.degraded));
        }
        Path file = out.resolve("schedule.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        StringBuilder f = new StringBuilder("zone,window_start,window_end,occupancy_max_forecast,staff\n");
        for (String zone : config.zoneNames()) {
            List<Scheduled> ws = schedule.stream().filter(w -> w.zone.equals(zone)).toList();
            if (ws.isEmpty()) continue;
            HoltForecast.Fit fit = HoltForecast.fit(ws.stream().mapToDouble(Scheduled::max).toArray());
            long end = ws.get(ws.size() - 1).end;
            for (int h = 1; h <= FORECAST_AHEAD; h++) {
                double people = fit.forecast(h);
                f.append(String.format(Locale.ROOT, "%s,%s,%s,%.2f,%d%n", zone, Instant.ofEpochMilli(end + (h - 1) * config.windowMillis),
                        Instant.ofEpochMilli(end + h * config.windowMillis), people, config.zone(zone).staff((int) Math.ceil(people - 1e-9), 0)));
            }
        }
        Files.writeString(out.resolve("forecast.csv"), f, StandardCharsets.UTF_8);
        return file;
    }

    /** Held-out error of the forecast over all zones: the last quarter of each zone's windows (at least one; zones with under 4 windows left out). */
    public HoltForecast.Evaluation forecastError() {
        int n = 0;
        double holt = 0, naive = 0;
        for (String zone : config.zoneNames()) {
            double[] y = schedule.stream().filter(w -> w.zone.equals(zone)).mapToDouble(Scheduled::max).toArray();
            int held = Math.max(1, y.length / 4);
            if (y.length - held < 3) continue;
            HoltForecast.Evaluation e = HoltForecast.holdOut(y, held);
            n += e.heldOut();
            holt += e.holtAbsErrorSum();
            naive += e.naiveAbsErrorSum();
        }
        return new HoltForecast.Evaluation(n, holt, naive);
    }

    public String forecastSummary() {
        HoltForecast.Evaluation e = forecastError();
        if (e.heldOut() == 0) return "forecast: too few windows per zone to hold any out (need 4)";
        return String.format(Locale.ROOT, "forecast of occupancy max, Holt's linear exponential smoothing: held-out last quarter of each zone's windows (%d windows) "
                + "MAE %.2f people; naive last value %.2f", e.heldOut(), e.holtMae(), e.naiveMae());
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
            long degraded = ws.stream().filter(Window::degraded).count();
            long dropped = config.camerasOf(zone).stream().mapToLong(cameras::dropped).sum();
            rows.add(List.of(zone, String.join(" ", config.camerasOf(zone)), String.valueOf(ws.size()), String.format(Locale.ROOT, "%.2f", mean),
                    String.valueOf(max), String.valueOf(config.zone(zone).capacity()), String.valueOf(crowded), String.valueOf(degraded), String.valueOf(staff),
                    String.valueOf(dropped), cameras.models().of(List.copyOf(config.camerasOf(zone)))));
        }
        return rows;
    }

    static final List<String> HEADER = List.of("zone", "cameras", "windows", "mean occupancy", "max", "capacity", "overcrowded windows", "degraded windows", "peak staff",
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
        if (!schedule.isEmpty()) h.paragraph("Staffing schedule: schedule.csv beside this page; " + forecastSummary() + " (next windows: forecast.csv).");
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
            // a camera was silent: the counts miss part of the floor
            for (Window w : ws) if (w.degraded) chart.shade(w.start, w.end, "#d9d9d9");
            h.raw(chart.render());
        }
        h.write(file);
    }
}
