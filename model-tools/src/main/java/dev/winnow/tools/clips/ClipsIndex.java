package dev.winnow.tools.clips;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the clip index that security-retention's clip sink writes ({@code <out>/camera=<id>/index.csv},
 * header {@code camera,event_id,start,end,…,clip,bytes,…}) with plain java.nio, so the CLI needs no
 * Flink. Columns are found by their header names, so a column added by the writer does not break it;
 * a missing required column is an error naming the file. {@code start}/{@code end} are the clip's
 * local clock times (ISO, the sink's zone).
 */
public final class ClipsIndex {
    static final List<String> REQUIRED = List.of("camera", "event_id", "start", "end", "peak_count", "clip", "bytes");

    /** One clip: the fields the CLI uses, and its original line (exported as is). */
    public record Clip(String camera, long eventId, LocalDateTime start, LocalDateTime end, int peakCount, String clip, long bytes, String line) {
        public double seconds() {
            return java.time.Duration.between(start, end).toMillis() / 1000.0;
        }
    }

    private final String header;
    private final List<Clip> clips;

    private ClipsIndex(String header, List<Clip> clips) {
        this.header = header;
        this.clips = clips;
    }

    public String header() {
        return header;
    }

    public List<Clip> clips() {
        return clips;
    }

    /** Every camera's index under {@code out}, ordered by camera then start. No index at all is an error. */
    public static ClipsIndex read(Path out) throws IOException {
        if (!Files.isDirectory(out)) throw new IOException(out + " is not a directory (expected security-retention's --out)");
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("camera=")).map(p -> p.resolve("index.csv")).filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) throw new IOException("no clip index under " + out + " (expected camera=<id>/index.csv)");
        String header = null;
        List<Clip> clips = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty()) continue;
            String h = lines.get(0).trim();
            Map<String, Integer> col = new HashMap<>();
            String[] names = h.split(",", -1);
            for (int i = 0; i < names.length; i++) col.put(names[i], i);
            for (String r : REQUIRED) if (!col.containsKey(r)) throw new IOException(f + ": the header has no column '" + r + "': " + h);
            if (header == null) header = h;
            for (int n = 1; n < lines.size(); n++) {
                String line = lines.get(n).trim();
                if (line.isEmpty()) continue;
                String[] p = line.split(",", -1);
                if (p.length != names.length) throw new IOException(f + " line " + (n + 1) + ": " + p.length + " fields, the header has " + names.length);
                try {
                    clips.add(new Clip(p[col.get("camera")], Long.parseLong(p[col.get("event_id")]), LocalDateTime.parse(p[col.get("start")]),
                            LocalDateTime.parse(p[col.get("end")]), Integer.parseInt(p[col.get("peak_count")]), p[col.get("clip")],
                            Long.parseLong(p[col.get("bytes")]), line));
                } catch (RuntimeException e) {
                    throw new IOException(f + " line " + (n + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        clips.sort(Comparator.comparing(Clip::camera).thenComparing(Clip::start));
        return new ClipsIndex(header, clips);
    }

    /** Clips of {@code camera} (null: all) that overlap {@code [from, to)} (either may be null: open). */
    public List<Clip> select(String camera, LocalDateTime from, LocalDateTime to) {
        return clips.stream().filter(c -> camera == null || c.camera.equals(camera))
                .filter(c -> from == null || c.end.isAfter(from)).filter(c -> to == null || c.start.isBefore(to)).toList();
    }
}
