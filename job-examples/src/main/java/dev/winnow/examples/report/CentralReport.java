package dev.winnow.examples.report;

import dev.winnow.examples.io.CsvFiles;
import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.flink.types.RecallEstimate;
import dev.winnow.flink.types.ZoneEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The central teacher job's report: per camera the latest recall estimate (the one with the most
 * samples) with its 95 % interval, the adapt requests raised and, with --zones, per zone its
 * occupancy and person events across cameras, window by window.
 */
public final class CentralReport {
    /** One camera's latest estimate, as read back from the recall CSV. */
    public record Camera(String id, long samples, long misses, long dropped, long kept, double recall, double lower, double upper, boolean flagged) {}

    /** One zone over the whole run: its occupancy windows (from the zones CSV) and event windows (zone-events CSV). */
    public record Zone(String zone, int windows, double meanOccupancy, int peakOccupancy, int maxStaff, int overcrowdedWindows,
                       int eventWindows, long events, int peakPeople, long framesKept) {}

    private final Map<String, Camera> cameras;
    private final List<String[]> adapt;
    private final Map<String, Zone> zones;
    private final int lateEvents;
    private final double floor;
    private final String rule;

    private CentralReport(Map<String, Camera> cameras, List<String[]> adapt, Map<String, Zone> zones, int lateEvents, double floor, String rule) {
        this.cameras = cameras;
        this.adapt = adapt;
        this.zones = zones;
        this.lateEvents = lateEvents;
        this.floor = floor;
        this.rule = rule;
    }

    /** zone,window_start,window_end,events,cameras,peak_count,frames_kept */
    public static String zoneEventsLine(ZoneEvents z) {
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d", z.zone, z.windowStartMillis, z.windowEndMillis, z.events, z.cameras, z.peakCount, z.framesKept);
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
        return new CentralReport(cameras, CsvFiles.read(dir.resolve("adapt-requests")), zones(dir), CsvFiles.read(dir.resolve("zone-events-late")).size(),
                floor, rule);
    }

    /** Sums each zone's windows: the occupancy mean over the windows (they are equally long), peaks and totals. */
    private static Map<String, Zone> zones(Path dir) {
        Map<String, double[]> occ = new TreeMap<>();   // windows, sum of means, peak, max staff, overcrowded windows
        for (String[] r : CsvFiles.read(dir.resolve("zones"))) {
            double[] a = occ.computeIfAbsent(r[0], z -> new double[5]);
            a[0]++;
            a[1] += Double.parseDouble(r[3]);
            a[2] = Math.max(a[2], Integer.parseInt(r[4]));
            a[3] = Math.max(a[3], Integer.parseInt(r[6]));
            if (Boolean.parseBoolean(r[5])) a[4]++;
        }
        Map<String, long[]> ev = new TreeMap<>();   // windows, events, peak people, frames kept
        for (String[] r : CsvFiles.read(dir.resolve("zone-events"))) {
            long[] a = ev.computeIfAbsent(r[0], z -> new long[4]);
            a[0]++;
            a[1] += Long.parseLong(r[3]);
            a[2] = Math.max(a[2], Long.parseLong(r[5]));
            a[3] += Long.parseLong(r[6]);
        }
        Map<String, Zone> out = new TreeMap<>();
        java.util.Set<String> names = new java.util.TreeSet<>(occ.keySet());
        names.addAll(ev.keySet());
        for (String z : names) {
            double[] o = occ.getOrDefault(z, new double[5]);
            long[] e = ev.getOrDefault(z, new long[4]);
            out.put(z, new Zone(z, (int) o[0], o[0] == 0 ? 0 : o[1] / o[0], (int) o[2], (int) o[3], (int) o[4], (int) e[0], e[1], (int) e[2], e[3]));
        }
        return out;
    }

    public Map<String, Zone> zones() {
        return zones;
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
        if (!zones.isEmpty()) {
            b.append(String.format(Locale.ROOT, "zones across cameras (%d late events left out):%n", lateEvents));
            for (Zone z : zones.values()) b.append("  ").append(zoneLine(z)).append(System.lineSeparator());
        }
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
        if (!zones.isEmpty()) {
            h.heading("Zones across cameras");
            h.paragraph("Occupancy: the sum of the zone's cameras' latest counts of people on the floor each owns, time-weighted per window; "
                    + "events: the edges' person events that ended in a window. " + lateEvents + " events arrived after their window closed and are left out.");
            List<List<String>> zr = new ArrayList<>();
            for (Zone z : zones.values()) {
                zr.add(List.of(z.zone(), Integer.toString(z.windows()), String.format(Locale.ROOT, "%.2f", z.meanOccupancy()), Integer.toString(z.peakOccupancy()),
                        Integer.toString(z.maxStaff()), Integer.toString(z.overcrowdedWindows()), Long.toString(z.events()), Integer.toString(z.peakPeople()),
                        Long.toString(z.framesKept())));
            }
            h.table(List.of("zone", "windows", "mean occupancy", "peak", "staff", "overcrowded windows", "events", "peak people", "frames kept"), zr);
        }
        h.write(file);
    }

    /** One zone's summary line. */
    public static String zoneLine(Zone z) {
        return String.format(Locale.ROOT, "%-16s %d windows, mean occupancy %.2f, peak %d, staff up to %d, overcrowded in %d; %d person events in %d windows, "
                + "peak %d people, %d frames kept", z.zone(), z.windows(), z.meanOccupancy(), z.peakOccupancy(), z.maxStaff(), z.overcrowdedWindows(),
                z.events(), z.eventWindows(), z.peakPeople(), z.framesKept());
    }
}
