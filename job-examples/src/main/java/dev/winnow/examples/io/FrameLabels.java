package dev.winnow.examples.io;

import dev.winnow.flink.types.Frame;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * People counted by a person in some frames, for evaluating a run: a CSV of
 * {@code camera,seq,count} lines ({@code #} comments allowed). Frames without a line keep
 * {@code labelCount = -1} (unknown). Small enough to travel inside the function.
 *
 * <p>A malformed line (wrong field count, a seq or count that is not a non-negative integer) is
 * skipped, not fatal: {@link #read} prints one warning per line, up to {@link #WARNINGS}, then one
 * line with how many more, and {@link #malformedLines} lists their numbers for the summary.
 */
public final class FrameLabels implements MapFunction<Frame, Frame> {
    private static final long serialVersionUID = 1L;

    /** At most this many warning lines, one per malformed line; then one line with the rest's count. */
    public static final int WARNINGS = 10;

    private final HashMap<String, Integer> counts;
    private final ArrayList<Integer> malformed;

    private FrameLabels(HashMap<String, Integer> counts, ArrayList<Integer> malformed) {
        this.counts = counts;
        this.malformed = malformed;
    }

    /** Reads {@code csv}, warning on {@code System.err} about each malformed line it skips. */
    public static FrameLabels read(Path csv) throws IOException {
        return read(csv, System.err);
    }

    public static FrameLabels read(Path csv, PrintStream warnings) throws IOException {
        HashMap<String, Integer> counts = new HashMap<>();
        ArrayList<Integer> malformed = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("camera,")) continue;
            String problem = parse(t, counts);
            if (problem == null) continue;
            malformed.add(n);
            if (malformed.size() <= WARNINGS) warnings.println("labels " + csv + " line " + n + ": " + problem + " (line skipped)");
        }
        if (malformed.size() > WARNINGS) {
            warnings.println("labels " + csv + ": " + (malformed.size() - WARNINGS) + " more malformed lines skipped (" + malformed.size() + " in all)");
        }
        return new FrameLabels(counts, malformed);
    }

    /** Adds the line's label; returns what is wrong with it, or null. */
    private static String parse(String t, Map<String, Integer> counts) {
        String[] f = t.split(",", -1);
        if (f.length != 3) return "expected camera,seq,count, got '" + t + "'";
        if (f[0].isBlank()) return "no camera in '" + t + "'";
        try {
            long seq = Long.parseLong(f[1].strip());
            int count = Integer.parseInt(f[2].strip());
            if (seq < 0 || count < 0) return "negative seq or count in '" + t + "'";
            counts.put(f[0].strip() + "#" + seq, count);
            return null;
        } catch (NumberFormatException e) {
            return "seq and count must be integers, got '" + t + "'";
        }
    }

    /** Line numbers (1-based) of the malformed lines that were skipped. */
    public List<Integer> malformedLines() {
        return List.copyOf(malformed);
    }

    /** One summary line: labels read and malformed lines skipped, with the first line numbers. */
    public String summary(Path csv) {
        String s = "labels: " + counts.size() + " frames from " + csv;
        if (malformed.isEmpty()) return s + ", no malformed lines";
        List<Integer> first = malformed.subList(0, Math.min(WARNINGS, malformed.size()));
        String lines = first.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        return s + "; " + malformed.size() + " malformed lines skipped (line" + (malformed.size() > 1 ? "s " : " ") + lines
                + (malformed.size() > first.size() ? ", …" : "") + ")";
    }

    public int size() {
        return counts.size();
    }

    public Map<String, Integer> asMap() {
        return Map.copyOf(counts);
    }

    @Override
    public Frame map(Frame f) {
        Integer c = counts.get(f.cameraId + "#" + f.seq);
        if (c != null) f.labelCount = c;
        return f;
    }
}
