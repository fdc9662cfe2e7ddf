package dev.winnow.flink.zone;

import java.io.Serializable;
import java.util.Map;

/**
 * Stadium zones: which camera watches which zone, and per zone the capacity above which it is
 * overcrowded (once that lasts {@code overcrowdedAfterMillis}) and how many people one staff member
 * serves. Occupancy windows are tumbling, {@code windowMillis} long.
 */
public final class ZoneConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One zone's limits. */
    public record Zone(int capacity, int peoplePerStaff) implements Serializable {
        public Zone {
            if (capacity < 1 || peoplePerStaff < 1) throw new IllegalArgumentException("capacity and people per staff must be >= 1");
        }
    }

    private final Map<String, String> cameraToZone;
    private final Map<String, Zone> zones;
    public final long windowMillis;
    public final long overcrowdedAfterMillis;

    public ZoneConfig(Map<String, String> cameraToZone, Map<String, Zone> zones, long windowMillis, long overcrowdedAfterMillis) {
        if (windowMillis < 1 || overcrowdedAfterMillis < 0) throw new IllegalArgumentException("window must be >= 1 ms, overcrowding duration >= 0");
        for (Map.Entry<String, String> e : cameraToZone.entrySet()) {
            if (!zones.containsKey(e.getValue())) throw new IllegalArgumentException("camera " + e.getKey() + " maps to unknown zone " + e.getValue());
        }
        this.cameraToZone = Map.copyOf(cameraToZone);
        this.zones = Map.copyOf(zones);
        this.windowMillis = windowMillis;
        this.overcrowdedAfterMillis = overcrowdedAfterMillis;
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
    public java.util.SortedSet<String> zoneNames() {
        return new java.util.TreeSet<>(zones.keySet());
    }

    /** Cameras watching {@code zone}, sorted. */
    public java.util.SortedSet<String> camerasOf(String zone) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        cameraToZone.forEach((c, z) -> { if (z.equals(zone)) out.add(c); });
        return out;
    }

    public Zone zone(String zone) {
        return zones.get(zone);
    }
}
