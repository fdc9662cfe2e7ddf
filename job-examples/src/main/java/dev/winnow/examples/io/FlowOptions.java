package dev.winnow.examples.io;

import dev.winnow.flink.track.FlowConfig;
import dev.winnow.flink.track.GateLine;
import dev.winnow.flink.track.ZonePolygon;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Person tracking, gate lines and dwell zones for a frame job. The lines and polygons belong in the
 * zone file ({@link ZoneFile}: {@code gate} and {@code dwell} entries per camera); {@code --gate} and
 * {@code --dwell-zone} (repeatable, in the camera's frame pixels) remain for runs without one and are
 * added to the file's. Any line or polygon turns the tracker on, as does {@code --track}.
 */
public final class FlowOptions {
    @Option(names = "--track", description = "track people per camera (ids through short occlusions); writes tracks CSV")
    public boolean track;

    @Option(names = "--gate", description = "gate line CAMERA=NAME:X1,Y1,X2,Y2 (frame pixels; crossing to the right of 1→2 counts in); repeatable")
    public List<String> gates = new ArrayList<>();

    @Option(names = "--dwell-zone", description = "dwell zone CAMERA=NAME:X,Y,X,Y,X,Y[,…] (a polygon in frame pixels); repeatable")
    public List<String> dwellZones = new ArrayList<>();

    @Option(names = "--gate-hysteresis", defaultValue = "10", description = "pixels either side of a --gate line that count as on it (default: ${DEFAULT-VALUE}; the zone file's gates give their own)")
    public double hysteresis;

    @Option(names = "--queue-alert", description = "queue alert when a dwell polygon's p90 in a window reaches this (default: the zone file's queue-alert, PT5M)")
    public Duration queueAlert;

    @Option(names = "--track-birth-hits", description = "frames a person must be detected in before getting a track id (default: 0.3 s of the cameras' frames, at least 1: 3 at 10 fps, 1 at 2 fps)")
    public Integer birthHits;

    @Option(names = "--track-max-misses", description = "missed frames a track survives, e.g. behind a pillar (default: 1 s of the cameras' frames, at least 1: 10 at 10 fps, 2 at 2 fps)")
    public Integer maxMisses;

    /** Seconds of frames a person must be seen before getting an id, and a track may go unseen, when not set in frames. */
    static final double BIRTH_SECONDS = 0.3, OCCLUSION_SECONDS = 1.0;

    /**
     * The tracker's settings for cameras at {@code fps} frames per second: the options' birth and death in frames, or
     * {@link #BIRTH_SECONDS} and {@link #OCCLUSION_SECONDS} of frames. A tracker counted in frames and tuned for 10 fps
     * waits 1.5 s for an id at 2 fps, long enough for a walker to cross a gate unseen.
     */
    public dev.winnow.flink.track.TrackerConfig trackerConfig(double fps) {
        if (!(fps > 0)) throw new IllegalArgumentException("camera frame rate must be > 0, is " + fps);
        int birth = birthHits != null ? birthHits : Math.max(1, (int) Math.round(BIRTH_SECONDS * fps));
        int misses = maxMisses != null ? maxMisses : Math.max(1, (int) Math.round(OCCLUSION_SECONDS * fps));
        return dev.winnow.flink.track.TrackerConfig.builder().birthHits(birth).maxMisses(misses).build();
    }

    public boolean tracking(ZoneFile.Loaded file) {
        return track || flows(file);
    }

    public boolean flows(ZoneFile.Loaded file) {
        return !gates.isEmpty() || !dwellZones.isEmpty() || (file != null && file.hasFlows());
    }

    /** The queue alert threshold: the option, else the zone file's, else 5 minutes. */
    public Duration queueAlert(ZoneFile.Loaded file) {
        return queueAlert != null ? queueAlert : file != null ? file.queueAlert() : Duration.ofMinutes(5);
    }

    /**
     * The zone file's lines and polygons (may be null) and the options', windows of {@code windowMillis};
     * an option that does not parse is an error naming it.
     */
    public FlowConfig config(long windowMillis, ZoneFile.Loaded file) {
        FlowConfig.Builder b = FlowConfig.builder().window(Duration.ofMillis(windowMillis)).queueAlertAt(queueAlert(file));
        if (file != null) {
            file.gates().forEach((camera, lines) -> lines.forEach(l -> b.line(camera, l)));
            file.dwell().forEach((camera, polygons) -> polygons.forEach(z -> b.zone(camera, z)));
        }
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
