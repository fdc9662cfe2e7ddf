package dev.winnow.flink.track;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Gate lines and zone polygons per camera, the window, when a track counts as gone, and the queue alert threshold. */
public final class FlowConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, List<GateLine>> lines;
    private final Map<String, List<ZonePolygon>> zones;
    public final long windowMillis, goneAfterMillis, queueP90Millis;

    private FlowConfig(Builder b) {
        lines = new HashMap<>();
        b.lines.forEach((c, l) -> lines.put(c, List.copyOf(l)));
        zones = new HashMap<>();
        b.zones.forEach((c, z) -> zones.put(c, List.copyOf(z)));
        windowMillis = b.window.toMillis();
        goneAfterMillis = b.goneAfter.toMillis();
        queueP90Millis = b.queueP90.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<GateLine> lines(String camera) {
        return lines.getOrDefault(camera, List.of());
    }

    public List<ZonePolygon> zones(String camera) {
        return zones.getOrDefault(camera, List.of());
    }

    public static final class Builder implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, List<GateLine>> lines = new HashMap<>();
        private final Map<String, List<ZonePolygon>> zones = new HashMap<>();
        private final Map<String, Set<String>> names = new HashMap<>();
        private Duration window = Duration.ofMinutes(1), goneAfter = Duration.ofSeconds(2), queueP90 = Duration.ofMinutes(5);

        public Builder line(String camera, GateLine line) {
            unique(camera, line.name);
            lines.computeIfAbsent(camera, c -> new ArrayList<>()).add(line);
            return this;
        }

        public Builder zone(String camera, ZonePolygon zone) {
            unique(camera, zone.name);
            zones.computeIfAbsent(camera, c -> new ArrayList<>()).add(zone);
            return this;
        }

        private void unique(String camera, String name) {
            if (camera == null || camera.isBlank()) throw new IllegalArgumentException("a line or zone needs a camera id");
            if (!names.computeIfAbsent(camera, c -> new HashSet<>()).add(name)) throw new IllegalArgumentException("camera " + camera + " has two lines or zones named " + name);
        }

        /** Tumbling event-time windows of this length (default 1 min). */
        public Builder window(Duration d) { window = d; return this; }
        /** A track unseen this long has left: an open dwell ends at its last sighting (default 2 s; keep it above the tracker's miss allowance). */
        public Builder goneAfter(Duration d) { goneAfter = d; return this; }
        /** A zone's window raises a queue alert when its dwell p90 reaches this (default 5 min). */
        public Builder queueAlertAt(Duration d) { queueP90 = d; return this; }

        public FlowConfig build() {
            if (window == null || window.toMillis() <= 0) throw new IllegalArgumentException("flow window must be > 0 ms, got " + window);
            if (goneAfter == null || goneAfter.toMillis() <= 0) throw new IllegalArgumentException("flow gone-after must be > 0 ms, got " + goneAfter);
            if (queueP90 == null || queueP90.toMillis() <= 0) throw new IllegalArgumentException("queue alert dwell must be > 0 ms, got " + queueP90);
            if (lines.isEmpty() && zones.isEmpty()) throw new IllegalArgumentException("flow config has no gate line and no zone");
            return new FlowConfig(this);
        }
    }
}
