package dev.winnow.examples.io;

import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Zones from a properties file:
 *
 * <pre>
 * window = PT1M                      # occupancy windows (ISO-8601)
 * overcrowded-after = PT30S          # above capacity this long = overcrowded
 * camera.north-1 = concourse-north   # which zone a camera watches
 * zone.concourse-north.capacity = 6
 * zone.concourse-north.people-per-staff = 3
 * </pre>
 */
public final class ZoneFile {
    private ZoneFile() {}

    public static ZoneConfig read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> cameras = new HashMap<>();
        Map<String, Integer> capacity = new HashMap<>(), perStaff = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            String v = p.getProperty(key).strip();
            if (key.startsWith("camera.")) {
                cameras.put(key.substring(7), v);
            } else if (key.startsWith("zone.") && key.endsWith(".capacity")) {
                capacity.put(key.substring(5, key.length() - 9), integer(file, key, v));
            } else if (key.startsWith("zone.") && key.endsWith(".people-per-staff")) {
                perStaff.put(key.substring(5, key.length() - 17), integer(file, key, v));
            } else if (!key.equals("window") && !key.equals("overcrowded-after")) {
                throw new IOException(file + ": unknown key " + key);
            }
        }
        Map<String, ZoneConfig.Zone> zones = new HashMap<>();
        for (String z : capacity.keySet()) {
            if (!perStaff.containsKey(z)) throw new IOException(file + ": zone " + z + " has a capacity but no people-per-staff");
            zones.put(z, new ZoneConfig.Zone(capacity.get(z), perStaff.get(z)));
        }
        for (String z : perStaff.keySet()) if (!capacity.containsKey(z)) throw new IOException(file + ": zone " + z + " has people-per-staff but no capacity");
        if (cameras.isEmpty()) throw new IOException(file + ": no camera.<id> = <zone> lines");
        try {
            return new ZoneConfig(cameras, zones, duration(file, p, "window", "PT1M"), duration(file, p, "overcrowded-after", "PT30S"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Path file, String key, String v) throws IOException {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key + " must be an integer, is '" + v + "'");
        }
    }

    private static long duration(Path file, Properties p, String key, String dflt) throws IOException {
        String v = p.getProperty(key, dflt).strip();
        try {
            return Duration.parse(v).toMillis();
        } catch (DateTimeParseException e) {
            throw new IOException(file + ": " + key + " must be an ISO-8601 duration like PT1M, is '" + v + "'");
        }
    }
}
