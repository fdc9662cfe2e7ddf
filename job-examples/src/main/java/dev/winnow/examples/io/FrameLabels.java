package dev.winnow.examples.io;

import dev.winnow.flink.types.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * People counted by a person in some frames, for evaluating a run: a CSV of
 * {@code camera,seq,count} lines ({@code #} comments allowed). Frames without a line keep
 * {@code labelCount = -1} (unknown). A malformed line is skipped and reported ({@link #problems}),
 * not fatal: one typo in a hand-count file should not stop a job. Small enough to travel inside the
 * function.
 */
public final class FrameLabels implements MapFunction<Frame, Frame> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Integer> counts;
    private final java.util.ArrayList<String> problems;

    private FrameLabels(HashMap<String, Integer> counts, java.util.ArrayList<String> problems) {
        this.counts = counts;
        this.problems = problems;
    }

    /** One line per malformed line of the file ("labels.csv line 7: …"), in file order. */
    public java.util.List<String> problems() {
        return java.util.List.copyOf(problems);
    }

    public static FrameLabels read(Path csv) throws IOException {
        HashMap<String, Integer> counts = new HashMap<>();
        java.util.ArrayList<String> problems = new java.util.ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("camera,")) continue;
            String[] f = t.split(",");
            if (f.length != 3) {
                problems.add(csv.getFileName() + " line " + n + ": expected camera,seq,count, got '" + t + "' (skipped)");
                continue;
            }
            try {
                int count = Integer.parseInt(f[2].strip());
                if (count < 0) throw new NumberFormatException("negative");
                counts.put(f[0].strip() + "#" + Long.parseLong(f[1].strip()), count);
            } catch (NumberFormatException e) {
                problems.add(csv.getFileName() + " line " + n + ": bad seq or count in '" + t + "' (skipped)");
            }
        }
        return new FrameLabels(counts, problems);
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
