package dev.winnow.examples.io;

import dev.winnow.flink.track.FlowConfig;
import dev.winnow.flink.track.GateLine;
import dev.winnow.flink.track.ZonePolygon;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Person tracking, gate lines and dwell zones for a frame job: {@code --track} turns the tracker on;
 * {@code --gate} and {@code --dwell-zone} (repeatable, in the camera's frame pixels) add lines and
 * zones, and imply {@code --track}.
 */
public final class FlowOptions {
    @Option(names = "--track", description = "track people per camera (ids through short occlusions); writes tracks CSV")
    public boolean track;

    @Option(names = "--gate", description = "gate line CAMERA=NAME:X1,Y1,X2,Y2 (frame pixels; crossing to the right of 1→2 counts in); repeatable")
    public List<String> gates = new ArrayList<>();

    @Option(names = "--dwell-zone", description = "dwell zone CAMERA=NAME:X,Y,X,Y,X,Y[,…] (a polygon in frame pixels); repeatable")
    public List<String> dwellZones = new ArrayList<>();

    @Option(names = "--gate-hysteresis", defaultValue = "10", description = "pixels either side of a gate line that count as on it (default: ${DEFAULT-VALUE})")
    public double hysteresis;

    @Option(names = "--queue-alert", defaultValue = "PT5M", description = "queue alert when a zone's dwell p90 in a window reaches this (default: ${DEFAULT-VALUE})")
    public Duration queueAlert;

    @Option(names = "--track-birth-hits", defaultValue = "3", description = "frames a person must be detected in before getting a track id (default: ${DEFAULT-VALUE}; lower it for cameras under 10 fps)")
    public int birthHits;

    @Option(names = "--track-max-misses", defaultValue = "10", description = "missed frames a track survives, e.g. behind a pillar (default: ${DEFAULT-VALUE}, 1 s at 10 fps)")
    public int maxMisses;

    /** The tracker's settings: defaults with these options' birth and death. */
    public dev.winnow.flink.track.TrackerConfig trackerConfig() {
        return dev.winnow.flink.track.TrackerConfig.builder().birthHits(birthHits).maxMisses(maxMisses).build();
    }

    public boolean tracking() {
        return track || !gates.isEmpty() || !dwellZones.isEmpty();
    }

    public boolean flows() {
        return !gates.isEmpty() || !dwellZones.isEmpty();
    }

    /** The lines and zones, windows of {@code windowMillis}; an option that does not parse is an error naming it. */
    public FlowConfig config(long windowMillis) {
        FlowConfig.Builder b = FlowConfig.builder().window(Duration.ofMillis(windowMillis)).queueAlertAt(queueAlert);
        for (String g : gates) {
            Spec s = spec("--gate", g);
            if (s.numbers.length != 4) throw new IllegalArgumentException("--gate " + g + ": needs X1,Y1,X2,Y2, got " + s.numbers.length + " numbers");
            b.line(s.camera, new GateLine(s.name, s.numbers[0], s.numbers[1], s.numbers[2], s.numbers[3], hysteresis));
        }
        for (String z : dwellZones) {
            Spec s = spec("--dwell-zone", z);
            b.zone(s.camera, new ZonePolygon(s.name, s.numbers));
        }
        return b.build();
    }

    /** The cameras the lines and zones name. */
    public java.util.Set<String> cameras() {
        java.util.Set<String> c = new java.util.TreeSet<>();
        for (String g : gates) c.add(spec("--gate", g).camera);
        for (String z : dwellZones) c.add(spec("--dwell-zone", z).camera);
        return c;
    }

    private record Spec(String camera, String name, double[] numbers) {}

    private static Spec spec(String option, String v) {
        int eq = v.indexOf('='), colon = v.indexOf(':', eq + 1);
        if (eq < 1 || colon < eq + 2) throw new IllegalArgumentException(option + " " + v + ": expected CAMERA=NAME:numbers");
        String[] parts = v.substring(colon + 1).split(",");
        double[] n = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " " + v + ": '" + parts[i] + "' is not a number");
            }
        }
        return new Spec(v.substring(0, eq), v.substring(eq + 1, colon), n);
    }
}
