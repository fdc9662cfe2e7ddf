package dev.winnow.examples.dashboard;

import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.zone.ZoneConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard shows: per zone its schedule windows of the last hour of event time (the newest
 * is "now"), the latest gate and dwell window of each of its cameras' lines and polygons, and per camera
 * its frames in its newest window and how long it has been silent (degraded at the zone file's
 * {@code degraded-after}, the rule ZoneOccupancy applies). Written
 * by the sink's task thread, read by the HTTP thread, hence synchronized; it lives in one sink
 * subtask's writer, never in static state.
 */
final class ZoneBoard {
    static final long HISTORY_MILLIS = 3_600_000;

    private final ZoneConfig config;
    private final long queueAlertMillis;
    private final Map<String, Deque<StaffingWindow>> windows = new TreeMap<>();
    private final Map<String, Map<String, FlowWindow>> flows = new HashMap<>();
    /** camera → {window start, frames in it, last frame time} of its newest window with frames */
    private final Map<String, long[]> cameras = new HashMap<>();
    private long updates, firstUpdateMillis;

    ZoneBoard(ZoneConfig config, long queueAlertMillis) {
        this.config = config;
        this.queueAlertMillis = queueAlertMillis;
        for (String z : config.zoneNames()) windows.put(z, new ArrayDeque<>());
    }

    synchronized void add(BoardUpdate u) {
        if (updates++ == 0) firstUpdateMillis = System.currentTimeMillis();
        if (u.window != null) add(u.window);
        if (u.flow != null) add(u.zone, u.flow);
        if (u.camera != null) {
            long[] c = cameras.computeIfAbsent(u.camera, k -> new long[] {Long.MIN_VALUE, 0, Long.MIN_VALUE});
            if (u.cameraWindowStart >= c[0]) {
                c[0] = u.cameraWindowStart;
                c[1] = u.frames;
            }
            c[2] = Math.max(c[2], u.lastFrameMillis);
        }
    }

    private void add(StaffingWindow w) {
        Deque<StaffingWindow> d = windows.computeIfAbsent(w.zone, z -> new ArrayDeque<>());
        // the schedule emits each zone's windows in order; a repeat after a restore replaces its twin
        if (!d.isEmpty() && d.peekLast().windowStartMillis >= w.windowStartMillis) {
            if (d.peekLast().windowStartMillis == w.windowStartMillis) {
                d.pollLast();
            } else {
                return;
            }
        }
        d.addLast(w);
        while (d.peekFirst().windowStartMillis < w.windowEndMillis - HISTORY_MILLIS) d.pollFirst();
    }

    private void add(String zone, FlowWindow f) {
        Map<String, FlowWindow> m = flows.computeIfAbsent(zone, z -> new TreeMap<>());
        String key = f.cameraId + "/" + f.kind + "/" + f.name;
        FlowWindow before = m.get(key);
        if (before == null || before.windowStartMillis <= f.windowStartMillis) m.put(key, f);
    }

    /** The board as the JSON {@code /api/zones} serves. */
    synchronized String json(long nowMillis) {
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"server_time\":").append(nowMillis).append(",\"updates\":").append(updates)
                .append(",\"first_update_time\":").append(updates == 0 ? "null" : Long.toString(firstUpdateMillis))
                .append(",\"window_ms\":").append(config.windowMillis).append(",\"history_ms\":").append(HISTORY_MILLIS).append(",\"zones\":[");
        boolean firstZone = true;
        for (Map.Entry<String, Deque<StaffingWindow>> e : windows.entrySet()) {
            String zone = e.getKey();
            if (!firstZone) b.append(',');
            firstZone = false;
            b.append("{\"zone\":").append(str(zone)).append(",\"cameras\":[");
            boolean first = true;
            for (String c : config.camerasOf(zone)) {
                b.append(first ? "" : ",").append(str(c));
                first = false;
            }
            b.append(']');
            ZoneConfig.Zone rule = config.zone(zone);
            if (rule != null) b.append(",\"capacity\":").append(rule.capacity());
            StaffingWindow now = e.getValue().peekLast();
            b.append(",\"now\":");
            if (now == null) {
                b.append("null");
            } else {
                window(b, now);
            }
            b.append(",\"history\":[");
            first = true;
            for (StaffingWindow w : e.getValue()) {
                b.append(first ? "" : ",").append('[').append(w.windowStartMillis).append(',').append(num(w.occupancyMean)).append(',').append(w.occupancyMax).append(']');
                first = false;
            }
            b.append("],\"flows\":[");
            first = true;
            StringBuilder alerts = new StringBuilder();
            for (FlowWindow f : flows.getOrDefault(zone, Map.of()).values()) {
                b.append(first ? "" : ",").append("{\"camera\":").append(str(f.cameraId)).append(",\"kind\":").append(str(f.kind))
                        .append(",\"name\":").append(str(f.name)).append(",\"start\":").append(f.windowStartMillis).append(",\"end\":").append(f.windowEndMillis)
                        .append(",\"in\":").append(f.in).append(",\"out\":").append(f.out).append(",\"dwells\":").append(f.dwells)
                        .append(",\"dwell_p50_s\":").append(num(f.dwellP50Seconds)).append(",\"dwell_p90_s\":").append(num(f.dwellP90Seconds))
                        .append(",\"queue_alert\":").append(f.queueAlert).append('}');
                first = false;
                if (f.queueAlert) {
                    alert(alerts, "queue at " + f.cameraId + " " + f.name + ": dwell p90 " + num(f.dwellP90Seconds) + " s reaches the alert at "
                            + num(queueAlertMillis / 1000.0) + " s");
                }
            }
            b.append("],\"camera_status\":[");
            first = true;
            List<String> silent = new ArrayList<>();
            for (String camera : config.camerasOf(zone)) {
                long[] c = cameras.get(camera);
                b.append(first ? "" : ",").append("{\"camera\":").append(str(camera));
                first = false;
                if (c == null) {
                    b.append(",\"window_start\":null,\"frames\":0,\"last_frame\":null,\"silent_s\":null,\"degraded\":false}");
                    continue;
                }
                // silent: from its last frame to the end of the zone's newest window, the event time ZoneOccupancy judges by
                long silentMillis = now == null ? 0 : Math.max(0, now.windowEndMillis - c[2]);
                boolean degraded = config.degradedAfterMillis > 0 && silentMillis >= config.degradedAfterMillis;
                if (degraded) silent.add(camera + " (" + num(silentMillis / 1000.0) + " s)");
                b.append(",\"window_start\":").append(c[0]).append(",\"frames\":").append(c[1]).append(",\"last_frame\":").append(c[2])
                        .append(",\"silent_s\":").append(num(silentMillis / 1000.0)).append(",\"degraded\":").append(degraded).append('}');
            }
            b.append(']');
            if (!silent.isEmpty()) alert(alerts, "camera sent nothing for degraded-after or longer, not counted: " + String.join(", ", silent));
            else if (now != null && now.degraded) alert(alerts, "degraded: a camera of " + String.join(", ", config.camerasOf(zone)) + " sent nothing and stopped counting");
            if (now != null && rule != null && now.occupancyMax > rule.capacity()) alert(alerts, "over capacity: " + now.occupancyMax + " > " + rule.capacity());
            b.append(",\"alerts\":[").append(alerts).append("]}");
        }
        return b.append("]}").toString();
    }

    private static void window(StringBuilder b, StaffingWindow w) {
        b.append("{\"start\":").append(w.windowStartMillis).append(",\"end\":").append(w.windowEndMillis)
                .append(",\"occupancy_mean\":").append(num(w.occupancyMean)).append(",\"occupancy_max\":").append(w.occupancyMax)
                .append(",\"inflow\":").append(w.inflow).append(",\"outflow\":").append(w.outflow)
                .append(",\"dwell_p90_s\":").append(num(w.dwellP90Seconds)).append(",\"staff\":").append(w.staff)
                .append(",\"degraded\":").append(w.degraded).append('}');
    }

    private static void alert(StringBuilder alerts, String text) {
        if (alerts.length() > 0) alerts.append(',');
        alerts.append(str(text));
    }

    /** Two decimals, as schedule.csv writes them, so the page shows the figures of the job's output. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "null";
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
