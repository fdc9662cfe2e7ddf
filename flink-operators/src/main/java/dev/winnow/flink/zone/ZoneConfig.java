package dev.winnow.flink.zone;

import dev.winnow.flink.track.ZonePolygon;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Stadium zones: which camera watches which zone, and per zone the capacity above which it is
 * overcrowded (once that lasts {@code overcrowdedAfterMillis}), how many people one staff member
 * serves, the minimum staff and the queue dwell target. Occupancy windows are tumbling,
 * {@code windowMillis} long.
 *
 * <p>A camera may list the polygons (its own frame pixels) of the floor it owns: then only the
 * detections whose bottom centre lies in one of them count ({@link OwnedCount}), so where two views
 * overlap, the floor between them is counted by one camera. A camera with no polygon counts its
 * whole frame. A camera silent for {@code degradedAfterMillis} of event time stops contributing to its
 * zone, which is reported degraded until the camera sends again (0: never).
 */
public final class ZoneConfig implements Serializable {
    private static final long serialVersionUID = 2L;

    /**
     * One zone's limits and staffing rule: staff = max(minStaff, ⌈max occupancy / peoplePerStaff⌉),
     * plus ⌈dwell p90 / queueDwellTarget⌉ − 1 when the dwell p90 passes the target (0: no target).
     */
    public record Zone(int capacity, int peoplePerStaff, int minStaff, long queueDwellTargetMillis) implements Serializable {
        public Zone {
            if (capacity < 1 || peoplePerStaff < 1) throw new IllegalArgumentException("capacity and people per staff must be >= 1");
            if (minStaff < 0 || queueDwellTargetMillis < 0) throw new IllegalArgumentException("minimum staff and queue dwell target must be >= 0");
        }

        public Zone(int capacity, int peoplePerStaff) {
            this(capacity, peoplePerStaff, 0, 0);
        }

        /** The documented staffing rule for a window's peak occupancy and dwell p90. */
        public int staff(int maxOccupancy, double dwellP90Seconds) {
            int staff = Math.max(minStaff, (maxOccupancy + peoplePerStaff - 1) / peoplePerStaff);
            double p90Millis = dwellP90Seconds * 1000;
            if (queueDwellTargetMillis > 0 && p90Millis > queueDwellTargetMillis) staff += (int) Math.ceil(p90Millis / queueDwellTargetMillis) - 1;
            return staff;
        }
    }

    private final Map<String, String> cameraToZone;
    private final Map<String, Zone> zones;
    private final Map<String, List<ZonePolygon>> owned;
    public final long windowMillis;
    public final long overcrowdedAfterMillis;
    public final long degradedAfterMillis;

    public ZoneConfig(Map<String, String> cameraToZone, Map<String, Zone> zones, long windowMillis, long overcrowdedAfterMillis) {
        this(builder().window(Duration.ofMillis(windowMillis)).overcrowdedAfter(Duration.ofMillis(overcrowdedAfterMillis)).cameras(cameraToZone).zones(zones).validated());
    }

    private ZoneConfig(Builder b) {
        this.cameraToZone = Map.copyOf(b.cameraToZone);
        this.zones = Map.copyOf(b.zones);
        Map<String, List<ZonePolygon>> o = new HashMap<>();
        b.owned.forEach((c, p) -> o.put(c, List.copyOf(p)));
        this.owned = Map.copyOf(o);
        this.windowMillis = b.window.toMillis();
        this.overcrowdedAfterMillis = b.overcrowdedAfter.toMillis();
        this.degradedAfterMillis = b.degradedAfter.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean covers(String camera) {
        return cameraToZone.containsKey(camera);
    }

    public String zoneOf(String camera) {
        String z = cameraToZone.get(camera);
        if (z == null) throw new IllegalArgumentException("camera " + camera + " is in no zone");
        return z;
    }

    /** Zone names, sorted. */
    public SortedSet<String> zoneNames() {
        return new TreeSet<>(zones.keySet());
    }

    /** Cameras watching {@code zone}, sorted. */
    public SortedSet<String> camerasOf(String zone) {
        TreeSet<String> out = new TreeSet<>();
        cameraToZone.forEach((c, z) -> { if (z.equals(zone)) out.add(c); });
        return out;
    }

    public Zone zone(String zone) {
        return zones.get(zone);
    }

    /** The floor polygons {@code camera} owns; empty: its whole frame. */
    public List<ZonePolygon> owned(String camera) {
        return owned.getOrDefault(camera, List.of());
    }

    /** Validates on {@link #build()}: every camera maps to a known zone, owned polygons only for mapped cameras, durations >= 0. */
    public static final class Builder implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> cameraToZone = new HashMap<>();
        private final Map<String, Zone> zones = new HashMap<>();
        private final Map<String, List<ZonePolygon>> owned = new HashMap<>();
        private Duration window = Duration.ofMinutes(1), overcrowdedAfter = Duration.ofSeconds(30), degradedAfter = Duration.ZERO;

        public Builder zone(String name, Zone zone) { zones.put(name, zone); return this; }
        public Builder zones(Map<String, Zone> all) { zones.putAll(all); return this; }
        public Builder camera(String camera, String zone) { cameraToZone.put(camera, zone); return this; }
        public Builder cameras(Map<String, String> all) { cameraToZone.putAll(all); return this; }
        /** A floor polygon (in {@code camera}'s frame pixels) the camera owns. */
        public Builder owns(String camera, ZonePolygon polygon) {
            owned.computeIfAbsent(camera, c -> new java.util.ArrayList<>()).add(polygon);
            return this;
        }
        /** Tumbling occupancy windows (default 1 min). */
        public Builder window(Duration d) { window = d; return this; }
        /** Above capacity this long = overcrowded (default 30 s). */
        public Builder overcrowdedAfter(Duration d) { overcrowdedAfter = d; return this; }
        /** A camera silent this long (event time) stops contributing and degrades its zone (default 0: never). */
        public Builder degradedAfter(Duration d) { degradedAfter = d; return this; }

        public ZoneConfig build() {
            return new ZoneConfig(validated());
        }

        private Builder validated() {
            if (window == null || window.toMillis() < 1) throw new IllegalArgumentException("window must be >= 1 ms, got " + window);
            if (overcrowdedAfter == null || overcrowdedAfter.isNegative()) throw new IllegalArgumentException("overcrowding duration must be >= 0, got " + overcrowdedAfter);
            if (degradedAfter == null || degradedAfter.isNegative()) throw new IllegalArgumentException("degraded-after must be >= 0, got " + degradedAfter);
            for (Map.Entry<String, String> e : cameraToZone.entrySet()) {
                if (!zones.containsKey(e.getValue())) throw new IllegalArgumentException("camera " + e.getKey() + " maps to unknown zone " + e.getValue());
            }
            for (String c : owned.keySet()) if (!cameraToZone.containsKey(c)) throw new IllegalArgumentException("camera " + c + " owns floor polygons but is in no zone");
            return this;
        }
    }
}
