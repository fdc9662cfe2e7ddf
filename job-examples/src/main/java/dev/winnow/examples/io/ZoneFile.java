package dev.winnow.examples.io;

import dev.winnow.flink.track.GateLine;
import dev.winnow.flink.track.ZonePolygon;
import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
// SnakeYAML's compose() keeps each node's line, for errors that name it.
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The stadium zone file (YAML): cameras, zones with their staffing rule, and per camera the floor
 * polygons it owns, so where views overlap each floor region is counted by one camera.
 *
 * <pre>
 * window: PT1M                 # occupancy and schedule windows (ISO-8601)
 * overcrowded-after: PT30S     # above capacity this long = overcrowded
 * degraded-after: PT30S        # a camera silent this long (event time) stops counting (default PT0S: never)
 * queue-alert: PT5M            # a dwell polygon's window with dwell p90 at least this raises a queue alert (default PT5M)
 * cameras: [north-1, north-2]
 * zones:
 *   concourse-north:
 *     capacity: 40
 *     people-per-staff: 10
 *     min-staff: 1               # default 0
 *     queue-dwell-target: PT3M   # default none
 *     cameras:
 *       north-1:
 *         - floor: north-west    # a floor region's name: one camera owns each
 *           polygon: [[0,0], [400,0], [400,481], [0,481], [0,0]]   # closed: the last point is the first
 *       north-2:
 *         - floor: north-east
 *           polygon: [[300,0], [641,0], [641,481], [300,481], [300,0]]
 *         - gate: stairs           # a counting line, in the camera's frame pixels
 *           line: [[320,0], [320,480]]
 *           in: right              # crossing to the right of first→second point counts in (default); left: the reverse
 *           hysteresis: 10         # pixels either side that count as on the line (default 10)
 *         - dwell: till            # a dwell (queue) polygon: time from a track's entering to leaving, p50/p90 per window
 *           polygon: [[400,300], [640,300], [640,480], [400,480], [400,300]]
 * </pre>
 *
 * A camera's list holds owned floor ({@code floor}), gate lines ({@code gate}) and dwell polygons
 * ({@code dwell}); gate and dwell names are unique per camera.
 *
 * Every error names the file, the line and the field, e.g.
 * {@code zones.yaml:12: zone "north" camera "cam2": polygon does not close: ...}; the job reads the
 * file before it starts and exits with a usage error.
 */
public final class ZoneFile {
    private ZoneFile() {}

    /** A zone file that does not parse or does not validate; the message names the file and line. */
    public static final class Invalid extends IOException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private record Owned(String zone, String camera, String floor, ZonePolygon polygon, int line) {}

    /**
     * The whole file: the zones and, per camera, its gate lines and dwell polygons (none when the file
     * has no {@code gate} or {@code dwell} entry) and the queue alert threshold.
     */
    public record Loaded(ZoneConfig zones, Map<String, List<GateLine>> gates, Map<String, List<ZonePolygon>> dwell, Duration queueAlert) {
        public boolean hasFlows() {
            return !gates.isEmpty() || !dwell.isEmpty();
        }
    }

    /** The zones of the file (gates and dwell polygons validated, not returned; see {@link #load}). */
    public static ZoneConfig read(Path file) throws IOException {
        return load(file).zones();
    }

    public static Loaded load(Path file) throws IOException {
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Invalid(file + ": no such zone file");
        } catch (MarkedYAMLException e) {
            throw new Invalid(file.getFileName() + ":" + (e.getProblemMark().getLine() + 1) + ": not YAML: " + e.getProblem());
        }
        return new ZoneFile.Parser(file.getFileName().toString()).parse(root);
    }

    private static final Set<String> ENTRY = Set.of("floor", "gate", "dwell", "polygon", "line", "in", "hysteresis");

    private static final class Parser {
        private final String name;
        private final ZoneConfig.Builder config = ZoneConfig.builder();
        private final Map<String, Integer> cameras = new LinkedHashMap<>();
        private final Map<String, String> cameraZone = new HashMap<>();
        private final Map<String, Owned> floors = new HashMap<>();
        private final List<Owned> owned = new ArrayList<>();
        private final Map<String, List<GateLine>> gates = new TreeMap<>();
        private final Map<String, List<ZonePolygon>> dwell = new TreeMap<>();
        private final Map<String, Integer> flowNames = new HashMap<>();

        Parser(String name) {
            this.name = name;
        }

        Invalid error(Node at, String what) {
            return new Invalid(name + ":" + (at.getStartMark().getLine() + 1) + ": " + what);
        }

        Loaded parse(Node root) throws Invalid {
            if (root == null) throw new Invalid(name + ":1: empty zone file");
            Map<String, NodeTuple> top = mapping(root, "the file", Set.of("window", "overcrowded-after", "degraded-after", "queue-alert", "cameras", "zones"));
            config.window(duration(top, "window", "PT1M", "")).overcrowdedAfter(duration(top, "overcrowded-after", "PT30S", ""))
                    .degradedAfter(duration(top, "degraded-after", "PT0S", ""));
            NodeTuple cams = require(top, "cameras", root, "");
            if (!(cams.getValueNode() instanceof SequenceNode list) || list.getValue().isEmpty()) throw error(cams.getValueNode(), "cameras must be a list of camera ids");
            for (Node c : list.getValue()) {
                String id = scalar(c, "a camera id");
                if (cameras.put(id, line(c)) != null) throw error(c, "camera \"" + id + "\" listed twice");
            }
            NodeTuple zs = require(top, "zones", root, "");
            if (!(zs.getValueNode() instanceof MappingNode zm) || zm.getValue().isEmpty()) throw error(zs.getValueNode(), "zones must map zone names to zones");
            for (Map.Entry<String, NodeTuple> z : mapping(zm, "zones", null).entrySet()) zone(z.getKey(), z.getValue());
            for (Map.Entry<String, Integer> c : cameras.entrySet()) {
                if (!cameraZone.containsKey(c.getKey())) throw new Invalid(name + ":" + c.getValue() + ": camera \"" + c.getKey() + "\" is in no zone");
            }
            overlaps();
            Duration queueAlert = duration(top, "queue-alert", "PT5M", "");
            if (queueAlert.isZero()) throw error(top.get("queue-alert").getValueNode(), "queue-alert must be longer than 0, like PT5M");
            try {
                return new Loaded(config.build(), gates, dwell, queueAlert);
            } catch (IllegalArgumentException e) {
                throw new Invalid(name + ": " + e.getMessage());
            }
        }

        private void zone(String zone, NodeTuple t) throws Invalid {
            String where = "zone \"" + zone + "\": ";
            Map<String, NodeTuple> m = mapping(t.getValueNode(), where, Set.of("capacity", "people-per-staff", "min-staff", "queue-dwell-target", "cameras"));
            int capacity = integer(require(m, "capacity", t.getKeyNode(), where), 1, where);
            int perStaff = integer(require(m, "people-per-staff", t.getKeyNode(), where), 1, where);
            int minStaff = m.containsKey("min-staff") ? integer(m.get("min-staff"), 0, where) : 0;
            long target = duration(m, "queue-dwell-target", "PT0S", where).toMillis();
            config.zone(zone, new ZoneConfig.Zone(capacity, perStaff, minStaff, target));
            NodeTuple cams = require(m, "cameras", t.getKeyNode(), where);
            for (Map.Entry<String, NodeTuple> c : mapping(cams.getValueNode(), where + "cameras", null).entrySet()) camera(zone, c.getKey(), c.getValue());
        }

        private void camera(String zone, String camera, NodeTuple t) throws Invalid {
            String where = "zone \"" + zone + "\" camera \"" + camera + "\": ";
            if (!cameras.containsKey(camera)) throw error(t.getKeyNode(), where + "unknown camera (cameras: " + String.join(", ", cameras.keySet()) + ")");
            String before = cameraZone.put(camera, zone);
            if (before != null) throw error(t.getKeyNode(), where + "the camera is already in zone \"" + before + "\"; a camera counts for one zone");
            config.camera(camera, zone);
            if (!(t.getValueNode() instanceof SequenceNode list) || list.getValue().isEmpty()) {
                throw error(t.getValueNode(), where + "expected a list of {floor, polygon} it owns (and {gate, line} or {dwell, polygon} entries)");
            }
            int floorsOwned = 0;
            for (Node entry : list.getValue()) {
                Map<String, NodeTuple> m = mapping(entry, where, ENTRY);
                List<String> kinds = new ArrayList<>();
                for (String k : List.of("floor", "gate", "dwell")) if (m.containsKey(k)) kinds.add(k);
                if (kinds.size() != 1) {
                    throw error(entry, where + "an entry needs exactly one of floor, gate, dwell" + (kinds.isEmpty() ? "" : "; it has " + String.join(" and ", kinds)));
                }
                switch (kinds.get(0)) {
                    case "gate" -> gate(camera, m, entry, where);
                    case "dwell" -> dwell(camera, m, entry, where);
                    default -> {
                        floor(zone, camera, m, entry, where);
                        floorsOwned++;
                    }
                }
            }
            if (floorsOwned == 0) throw error(t.getValueNode(), where + "owns no floor: add a {floor, polygon} entry");
        }

        private void only(Map<String, NodeTuple> m, String kind, Set<String> allowed, String where) throws Invalid {
            for (NodeTuple t : m.values()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                if (!allowed.contains(key)) {
                    throw error(t.getKeyNode(), where + "field \"" + key + "\" does not belong to a " + kind + " entry (its fields: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
        }

        private void floor(String zone, String camera, Map<String, NodeTuple> m, Node entry, String where) throws Invalid {
            only(m, "floor", Set.of("floor", "polygon"), where);
            String floor = scalar(require(m, "floor", entry, where).getValueNode(), where + "floor");
            NodeTuple p = require(m, "polygon", entry, where);
            Owned o = new Owned(zone, camera, floor, polygon(p.getValueNode(), where, where.strip()), line(p.getValueNode()));
            Owned other = floors.put(floor, o);
            if (other != null) {
                throw error(entry, where + "floor \"" + floor + "\" is already owned by camera \"" + other.camera + "\" (line " + other.line + "); one camera owns each floor region");
            }
            owned.add(o);
            config.owns(camera, o.polygon);
        }

        /** A gate or dwell name used once per camera: the flow windows are keyed by camera and name. */
        private String flowName(String camera, Map<String, NodeTuple> m, String kind, String where) throws Invalid {
            Node n = m.get(kind).getValueNode();
            String name = scalar(n, where + kind);
            Integer before = flowNames.put(camera + "\u0000" + name, line(n));
            if (before != null) throw error(n, where + kind + " \"" + name + "\": the camera already has a gate or dwell polygon of that name (line " + before + ")");
            return name;
        }

        private void gate(String camera, Map<String, NodeTuple> m, Node entry, String where) throws Invalid {
            only(m, "gate", Set.of("gate", "line", "in", "hysteresis"), where);
            String name = flowName(camera, m, "gate", where);
            String at = where + "gate \"" + name + "\": ";
            Node line = require(m, "line", entry, at).getValueNode();
            if (!(line instanceof SequenceNode s) || s.getValue().size() != 2) throw error(line, at + "line must be two points [[x1, y1], [x2, y2]]");
            double[] xy = new double[4];
            for (int k = 0; k < 2; k++) {
                Node p = s.getValue().get(k);
                if (!(p instanceof SequenceNode pair) || pair.getValue().size() != 2) throw error(p, at + "line point " + (k + 1) + " must be [x, y]");
                xy[2 * k] = number(pair.getValue().get(0), at + "line point " + (k + 1));
                xy[2 * k + 1] = number(pair.getValue().get(1), at + "line point " + (k + 1));
            }
            if (xy[0] == xy[2] && xy[1] == xy[3]) throw error(line, at + "line's two ends are the same point (" + fmt(xy[0]) + ", " + fmt(xy[1]) + ")");
            boolean right = true;
            if (m.containsKey("in")) {
                Node in = m.get("in").getValueNode();
                String side = scalar(in, at + "in");
                if (!side.equals("right") && !side.equals("left")) throw error(in, at + "in must be right or left (the side of first→second point that is inside), is '" + side + "'");
                right = side.equals("right");
            }
            double hysteresis = 10;
            if (m.containsKey("hysteresis")) {
                Node h = m.get("hysteresis").getValueNode();
                hysteresis = number(h, at + "hysteresis");
                if (hysteresis < 0) throw error(h, at + "hysteresis must be >= 0 pixels, is " + fmt(hysteresis));
            }
            // GateLine counts "in" to the right of a→b; a left-hand "in" is the same line walked the other way
            GateLine g = right ? new GateLine(name, xy[0], xy[1], xy[2], xy[3], hysteresis) : new GateLine(name, xy[2], xy[3], xy[0], xy[1], hysteresis);
            gates.computeIfAbsent(camera, c -> new ArrayList<>()).add(g);
        }

        private void dwell(String camera, Map<String, NodeTuple> m, Node entry, String where) throws Invalid {
            only(m, "dwell", Set.of("dwell", "polygon"), where);
            String name = flowName(camera, m, "dwell", where);
            String at = where + "dwell \"" + name + "\": ";
            dwell.computeIfAbsent(camera, c -> new ArrayList<>()).add(polygon(require(m, "polygon", entry, at).getValueNode(), at, name));
        }

        /** Two owned polygons of one camera overlap when a pixel centre lies inside both: that floor would count twice. */
        private void overlaps() throws Invalid {
            for (int i = 0; i < owned.size(); i++) {
                for (int j = i + 1; j < owned.size(); j++) {
                    Owned a = owned.get(i), b = owned.get(j);
                    if (a.camera.equals(b.camera) && overlap(a.polygon, b.polygon)) {
                        throw new Invalid(name + ":" + b.line + ": zone \"" + b.zone + "\" camera \"" + b.camera + "\": polygon of floor \"" + b.floor
                                + "\" overlaps floor \"" + a.floor + "\" (line " + a.line + ") of the same camera; owned floor must not overlap");
                    }
                }
            }
        }

        private ZonePolygon polygon(Node n, String where, String name) throws Invalid {
            if (!(n instanceof SequenceNode s)) throw error(n, where + "polygon must be a list of [x, y] points");
            List<Node> pts = s.getValue();
            double[] xy = new double[2 * pts.size()];
            for (int k = 0; k < pts.size(); k++) {
                Node p = pts.get(k);
                if (!(p instanceof SequenceNode pair) || pair.getValue().size() != 2) throw error(p, where + "polygon point " + (k + 1) + " must be [x, y]");
                xy[2 * k] = number(pair.getValue().get(0), where + "polygon point " + (k + 1));
                xy[2 * k + 1] = number(pair.getValue().get(1), where + "polygon point " + (k + 1));
            }
            int last = pts.size() - 1;
            if (pts.size() < 2 || xy[0] != xy[2 * last] || xy[1] != xy[2 * last + 1]) {
                throw error(n, where + "polygon does not close: its last point must repeat the first" + (pts.isEmpty() ? "" : " (" + fmt(xy[0]) + ", " + fmt(xy[1]) + ")"));
            }
            if (pts.size() < 4) throw error(n, where + "polygon has " + last + " distinct points; it needs at least 3");
            try {
                return new ZonePolygon(name, java.util.Arrays.copyOf(xy, 2 * last));
            } catch (IllegalArgumentException e) {
                throw error(n, where + "polygon: " + e.getMessage());
            }
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }

        private Map<String, NodeTuple> mapping(Node n, String what, Set<String> known) throws Invalid {
            String where = what.endsWith(": ") ? what : what + ": ";
            if (!(n instanceof MappingNode m)) throw error(n, where + "expected a mapping of name: value");
            Map<String, NodeTuple> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = scalar(t.getKeyNode(), where + "a key");
                if (known != null && !known.contains(key)) throw error(t.getKeyNode(), where + "unknown field \"" + key + "\" (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
                if (out.put(key, t) != null) throw error(t.getKeyNode(), where + "\"" + key + "\" given twice");
            }
            return out;
        }

        private NodeTuple require(Map<String, NodeTuple> m, String key, Node at, String where) throws Invalid {
            NodeTuple t = m.get(key);
            if (t == null) throw error(at, where + "missing field \"" + key + "\"");
            return t;
        }

        private String scalar(Node n, String what) throws Invalid {
            if (!(n instanceof ScalarNode s) || s.getValue().isBlank()) throw error(n, what + " must be a non-empty value");
            return s.getValue().strip();
        }

        private int integer(NodeTuple t, int min, String where) throws Invalid {
            String key = ((ScalarNode) t.getKeyNode()).getValue(), v = scalar(t.getValueNode(), where + key);
            try {
                int i = Integer.parseInt(v);
                if (i >= min) return i;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(t.getValueNode(), where + key + " must be an integer >= " + min + ", is '" + v + "'");
        }

        private double number(Node n, String where) throws Invalid {
            String v = scalar(n, where);
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(n, where + ": '" + v + "' is not a number");
        }

        private Duration duration(Map<String, NodeTuple> m, String key, String dflt, String where) throws Invalid {
            NodeTuple t = m.get(key);
            if (t == null) return Duration.parse(dflt);
            String v = scalar(t.getValueNode(), where + key);
            try {
                Duration d = Duration.parse(v);
                if (!d.isNegative()) return d;
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw error(t.getValueNode(), where + key + " must be an ISO-8601 duration >= 0 like PT1M, is '" + v + "'");
        }

        private static int line(Node n) {
            return n.getStartMark().getLine() + 1;
        }
    }

    /**
     * Whether a pixel centre lies inside both polygons (edges they share hold no pixel centre). Over an
     * 8K frame the overlap of the two bounding boxes is sampled on a coarser grid, so a mistyped
     * coordinate (1e9) cannot stall the check.
     */
    static boolean overlap(ZonePolygon a, ZonePolygon b) {
        double[] ab = a.bounds(), bb = b.bounds();
        double x0 = Math.floor(Math.max(ab[0], bb[0])), x1 = Math.ceil(Math.min(ab[2], bb[2]));
        double y0 = Math.floor(Math.max(ab[1], bb[1])), y1 = Math.ceil(Math.min(ab[3], bb[3]));
        if (x1 <= x0 || y1 <= y0) return false;
        double step = Math.max(1, Math.ceil(Math.sqrt((x1 - x0) * (y1 - y0) / (7680.0 * 4320))));
        for (double y = y0 + step / 2; y < y1; y += step) {
            for (double x = x0 + step / 2; x < x1; x += step) if (a.contains(x, y) && b.contains(x, y)) return true;
        }
        return false;
    }
}
