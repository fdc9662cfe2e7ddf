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
 * {@code labelCount = -1} (unknown). Small enough to travel inside the function.
 */
public final class FrameLabels implements MapFunction<Frame, Frame> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Integer> counts;

    private FrameLabels(HashMap<String, Integer> counts) {
        this.counts = counts;
    }

    public static FrameLabels read(Path csv) throws IOException {
        HashMap<String, Integer> counts = new HashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("camera,")) continue;
            String[] f = t.split(",");
            if (f.length != 3) throw new IOException(csv + " line " + n + ": expected camera,seq,count, got '" + t + "'");
            try {
                int count = Integer.parseInt(f[2].strip());
                if (count < 0) throw new NumberFormatException("negative");
                counts.put(f[0].strip() + "#" + Long.parseLong(f[1].strip()), count);
            } catch (NumberFormatException e) {
                throw new IOException(csv + " line " + n + ": bad seq or count in '" + t + "'");
            }
        }
        return new FrameLabels(counts);
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
