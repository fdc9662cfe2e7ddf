package dev.winnow.examples.report;

import dev.winnow.examples.io.CsvFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per camera: frames that reached the scorer ({@code received/}), frames it scored, the ones it
 * dropped (malformed or over the pixel budget: counted, logged and dropped, never failing the job)
 * and the model versions that decided. Read back from a frame job's CSV outputs.
 */
public final class FrameSummary {
    private final Map<String, Set<Long>> received = new TreeMap<>();
    private final Map<String, Set<Long>> scored = new TreeMap<>();
    private final ModelsUsed models = new ModelsUsed();

    /**
     * A security-retention run: {@code verdicts/} rows are camera, seq, time, bytes, score, count,
     * label, model version, decided by; {@code model} names the student (the teacher is "teacher").
     */
    public static FrameSummary read(Path out, String model) {
        FrameSummary s = new FrameSummary();
        s.readReceived(out);
        for (String[] f : CsvFiles.read(out.resolve("verdicts"))) {
            s.scored(f[0], Long.parseLong(f[1]));
            String by = f.length > 8 ? f[8] : "student";
            s.models.add(f[0], by.equals("teacher") ? "teacher" : model, Integer.parseInt(f[7]));
        }
        return s;
    }

    /** A stadium-staffing run: {@code counts/} rows are camera, seq, time, count, score, model version, model name. */
    public static FrameSummary readCounts(Path out) {
        FrameSummary s = new FrameSummary();
        s.readReceived(out);
        for (String[] f : CsvFiles.read(out.resolve("counts"))) {
            s.scored(f[0], Long.parseLong(f[1]));
            s.models.add(f[0], f.length > 6 ? f[6] : "model", Integer.parseInt(f[5]));
        }
        return s;
    }

    private void readReceived(Path out) {
        for (String[] f : CsvFiles.read(out.resolve("received"))) received.computeIfAbsent(f[0], k -> new HashSet<>()).add(Long.parseLong(f[1]));
    }

    private void scored(String camera, long seq) {
        scored.computeIfAbsent(camera, k -> new HashSet<>()).add(seq);
    }

    public long received(String camera) {
        return received.getOrDefault(camera, Set.of()).size();
    }

    public long scored(String camera) {
        return scored.getOrDefault(camera, Set.of()).size();
    }

    /** Frames of {@code camera} that reached the scorer and left it without a verdict. */
    public long dropped(String camera) {
        Set<Long> in = received.getOrDefault(camera, Set.of()), out = scored.getOrDefault(camera, Set.of());
        long n = 0;
        for (long seq : in) if (!out.contains(seq)) n++;
        return n;
    }

    public ModelsUsed models() {
        return models;
    }

    static final List<String> HEADER = List.of("camera", "frames received", "scored", "dropped (malformed or oversized)", "decided by");

    public List<List<String>> rows() {
        Set<String> cameras = new java.util.TreeSet<>(received.keySet());
        cameras.addAll(scored.keySet());
        List<List<String>> rows = new ArrayList<>();
        for (String c : cameras) {
            rows.add(List.of(c, String.valueOf(received(c)), String.valueOf(scored(c)), String.valueOf(dropped(c)), models.of(c)));
        }
        return rows;
    }

    /** The per-camera table and one line naming every model version with its frame count. */
    public String lines() {
        return Tables.markdown(HEADER, rows()) + "models: " + models.summary("frames") + "\n";
    }
}
