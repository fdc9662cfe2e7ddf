package dev.winnow.flink.sensor;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which group a sensor belongs to: an explicit sensor → group map (a {@code sensor,group} CSV, the
 * sensor jobs' {@code --groups}), and for sensors not in it an optional prefix rule: the group is the
 * sensor id up to the first occurrence of a separator ({@code pump-a/s1} → {@code pump-a} with
 * separator {@code /}). A sensor that neither names has no group (null): it follows the default alias.
 * Immutable once built.
 */
public final class SensorGroups implements Serializable {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> bySensor;
    private final String separator;

    private SensorGroups(Map<String, String> bySensor, String separator) {
        this.bySensor = new HashMap<>(bySensor);
        this.separator = separator;
    }

    /** No sensor has a group. */
    public static SensorGroups none() {
        return new SensorGroups(Map.of(), null);
    }

    /** Exactly these sensors, each in its group. */
    public static SensorGroups of(Map<String, String> sensorToGroup) {
        for (Map.Entry<String, String> e : sensorToGroup.entrySet()) {
            if (blank(e.getKey()) || blank(e.getValue())) throw new IllegalArgumentException("a sensor group needs a sensor and a group, got " + e);
        }
        return new SensorGroups(sensorToGroup, null);
    }

    /**
     * Reads {@code sensor,group} lines; blank lines and lines starting with {@code #} are skipped, and
     * a first line {@code sensor,group} is a header. A line without exactly two non-empty fields, or a
     * sensor given two groups, is refused with the file and line number.
     */
    public static SensorGroups read(Path csv) throws IOException {
        Map<String, String> map = new HashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.equalsIgnoreCase("sensor,group"))) continue;
            String[] f = line.split(",", -1);
            if (f.length != 2 || blank(f[0]) || blank(f[1])) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": expected sensor,group, got '" + line + "'");
            }
            String sensor = f[0].strip(), group = f[1].strip();
            String before = map.put(sensor, group);
            if (before != null && !before.equals(group)) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": sensor " + sensor + " is in group " + before + " and in group " + group);
            }
        }
        return new SensorGroups(map, null);
    }

    /** The same map, and for sensors not in it the id up to the first {@code separator} (a sensor id without it has no group). */
    public SensorGroups withPrefixRule(String separator) {
        if (separator == null || separator.isEmpty()) throw new IllegalArgumentException("a group prefix rule needs a non-empty separator");
        return new SensorGroups(bySensor, separator);
    }

    /** The sensor's group, or null when it has none. */
    public String group(String sensorId) {
        if (sensorId == null) return null;
        String g = bySensor.get(sensorId);
        if (g != null || separator == null) return g;
        int at = sensorId.indexOf(separator);
        return at > 0 ? sensorId.substring(0, at) : null;
    }

    /** The groups the explicit map names (the prefix rule's groups are only known from the sensor ids). */
    public List<String> mappedGroups() {
        return new ArrayList<>(new java.util.TreeSet<>(bySensor.values()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return bySensor.size() + " sensors mapped" + (separator == null ? "" : ", others by the prefix before '" + separator + "'");
    }
}
