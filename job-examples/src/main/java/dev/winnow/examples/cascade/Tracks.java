package dev.winnow.examples.cascade;

import dev.winnow.flink.track.IouAssociation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Person events for the event-recall goal: the teacher's boxes linked over frames into tracks, and a
 * track that lasts at least one second is an event.
 *
 * <p>Linking is greedy by IoU, as SORT does without its motion model: on each frame the pairs (open
 * track, box) with IoU at least {@code minIou} against the track's last box are taken best first, each
 * track and box at most once; a box left over opens a new track; a track that finds no box for more than
 * {@code maxGap} frames in a row is closed (so a person the teacher misses for a frame or two stays one
 * track). When the reference says "person" on a frame but gives no boxes, {@link #presenceRuns} makes the
 * tracks instead: runs of present frames, gaps of at most {@code maxGap} bridged.
 */
public final class Tracks {
    private Tracks() {}

    /**
     * One track: the frames it was seen on, ascending, and its box on each ({@code x, y, w, h} in frame
     * pixels); {@code boxes} is null for a presence run.
     */
    public record Track(int[] frames, float[][] boxes) {
        public int first() { return frames[0]; }
        public int last() { return frames[frames.length - 1]; }
        /** Frames from first to last sighting, both included. */
        public int span() { return last() - first() + 1; }

        @Override
        public String toString() {
            return "track " + first() + ".." + last() + " (" + frames.length + " sightings)";
        }
    }

    /**
     * Links per-frame boxes into tracks. {@code boxes[k]} holds frame k's boxes as the verdicts do,
     * five floats each ({@code x, y, w, h, score}); an empty or null entry is a frame without boxes.
     */
    public static List<Track> link(float[][] boxes, double minIou, int maxGap) {
        if (!(minIou > 0 && minIou <= 1)) throw new IllegalArgumentException("minIou must be in (0, 1], is " + minIou);
        if (maxGap < 0) throw new IllegalArgumentException("maxGap must be >= 0, is " + maxGap);
        List<Building> open = new ArrayList<>(), done = new ArrayList<>();
        for (int k = 0; k < boxes.length; k++) {
            int n = boxes[k] == null ? 0 : boxes[k].length / 5;
            for (int i = open.size() - 1; i >= 0; i--) {
                if (k - open.get(i).lastFrame() > maxGap + 1) done.add(open.remove(i));
            }
            List<double[]> pairs = new ArrayList<>();   // iou, track index, box index
            for (int t = 0; t < open.size(); t++) {
                float[] last = open.get(t).lastBox();
                for (int b = 0; b < n; b++) {
                    double iou = iou(last, 0, boxes[k], 5 * b);
                    if (iou >= minIou) pairs.add(new double[] {iou, t, b});
                }
            }
            pairs.sort((a, b) -> Double.compare(b[0], a[0]));
            boolean[] trackTaken = new boolean[open.size()], boxTaken = new boolean[n];
            for (double[] p : pairs) {
                int t = (int) p[1], b = (int) p[2];
                if (trackTaken[t] || boxTaken[b]) continue;
                trackTaken[t] = boxTaken[b] = true;
                open.get(t).add(k, boxes[k], 5 * b);
            }
            for (int b = 0; b < n; b++) {
                if (boxTaken[b]) continue;
                Building t = new Building();
                t.add(k, boxes[k], 5 * b);
                open.add(t);
            }
        }
        done.addAll(open);
        List<Track> out = new ArrayList<>();
        for (Building b : done) out.add(b.track());
        out.sort((a, b) -> a.first() != b.first() ? Integer.compare(a.first(), b.first()) : Integer.compare(a.last(), b.last()));
        return out;
    }

    /** Tracks without boxes: runs of present frames, a gap of at most {@code maxGap} absent frames bridged. */
    public static List<Track> presenceRuns(boolean[] present, int maxGap) {
        if (maxGap < 0) throw new IllegalArgumentException("maxGap must be >= 0, is " + maxGap);
        List<Track> out = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        for (int k = 0; k < present.length; k++) {
            if (!present[k]) continue;
            if (!run.isEmpty() && k - run.get(run.size() - 1) > maxGap + 1) {
                out.add(runTrack(run));
                run.clear();
            }
            run.add(k);
        }
        if (!run.isEmpty()) out.add(runTrack(run));
        return out;
    }

    private static Track runTrack(List<Integer> run) {
        return new Track(run.stream().mapToInt(Integer::intValue).toArray(), null);
    }

    /** The tracks that span at least {@code minFrames} frames (for one second: the frame rate, rounded up). */
    public static List<Track> events(List<Track> tracks, int minFrames) {
        return tracks.stream().filter(t -> t.span() >= minFrames).toList();
    }

    /** An event is found when the method says "person" on at least one frame of its span. */
    public static boolean foundByPresence(Track event, boolean[] method) {
        for (int k = event.first(); k <= event.last(); k++) if (method[k]) return true;
        return false;
    }

    /**
     * An event is found by its boxes when, on at least one frame it was seen on, one of the method's
     * boxes ({@code x, y, w, h, score} per box) overlaps the track's box with IoU at least {@code minIou}:
     * the method saw this person, not just someone. A presence run (no boxes) falls back to presence.
     */
    public static boolean foundByBoxes(Track event, float[][] methodBoxes, boolean[] method, double minIou) {
        if (event.boxes() == null) return foundByPresence(event, method);
        for (int i = 0; i < event.frames().length; i++) {
            float[] m = methodBoxes[event.frames()[i]];
            if (m == null) continue;
            for (int b = 0; b + 5 <= m.length; b += 5) {
                if (iou(event.boxes()[i], 0, m, b) >= minIou) return true;
            }
        }
        return false;
    }

    /** IoU of the boxes {@code x, y, w, h} at {@code a[i..]} and {@code b[j..]}, as the stream tracker computes it. */
    static double iou(float[] a, int i, float[] b, int j) {
        return IouAssociation.iou(a[i], a[i + 1], a[i + 2], a[i + 3], b[j], b[j + 1], b[j + 2], b[j + 3]);
    }

    private static final class Building {
        final List<Integer> frames = new ArrayList<>();
        final List<float[]> boxes = new ArrayList<>();

        void add(int frame, float[] all, int off) {
            frames.add(frame);
            boxes.add(Arrays.copyOfRange(all, off, off + 4));
        }

        int lastFrame() { return frames.get(frames.size() - 1); }
        float[] lastBox() { return boxes.get(boxes.size() - 1); }

        Track track() {
            return new Track(frames.stream().mapToInt(Integer::intValue).toArray(), boxes.toArray(new float[0][]));
        }
    }
}
