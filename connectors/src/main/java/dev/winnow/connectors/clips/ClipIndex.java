package dev.winnow.connectors.clips;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The event index of clips, one CSV per camera ({@code camera=<id>/index.csv}) kept by the clip
 * committer, and merged by readers. Times are the clip's local clock time (ISO, in the sink's zone)
 * and epoch milliseconds; {@code bytes} is the clip file, {@code source_bytes} the camera's encoded
 * bytes over the same span (the segments joined into it).
 */
public final class ClipIndex {
    public static final String HEADER = "camera,event_id,start,end,peak_count,model_version,clip,bytes,source_bytes,"
            + "start_millis,end_millis,event_start_millis,event_end_millis,peak_seq,peak_millis";

    private ClipIndex() {}

    /** One clip. {@code clip} is relative to the sink's base directory. */
    public record Row(String camera, long eventId, String start, String end, int peakCount, int modelVersion, String clip,
                      long bytes, long sourceBytes, long startMillis, long endMillis, long eventStartMillis,
                      long eventEndMillis, long peakSeq, long peakMillis) {
        public String toCsv() {
            return String.join(",", camera, Long.toString(eventId), start, end, Integer.toString(peakCount),
                    Integer.toString(modelVersion), clip, Long.toString(bytes), Long.toString(sourceBytes),
                    Long.toString(startMillis), Long.toString(endMillis), Long.toString(eventStartMillis),
                    Long.toString(eventEndMillis), Long.toString(peakSeq), Long.toString(peakMillis));
        }

        public static Row parse(String line) {
            String[] p = line.split(",", -1);
            if (p.length != 15) throw new IllegalArgumentException("index row has " + p.length + " fields, not 15: " + line);
            return new Row(p[0], Long.parseLong(p[1]), p[2], p[3], Integer.parseInt(p[4]), Integer.parseInt(p[5]), p[6],
                    Long.parseLong(p[7]), Long.parseLong(p[8]), Long.parseLong(p[9]), Long.parseLong(p[10]),
                    Long.parseLong(p[11]), Long.parseLong(p[12]), Long.parseLong(p[13]), Long.parseLong(p[14]));
        }
    }

    /** The rows of one index file; none when it does not exist. */
    public static List<Row> read(Path index) throws IOException {
        FileSystem fs = index.getFileSystem();
        List<Row> rows = new ArrayList<>();
        if (!fs.exists(index)) return rows;
        String text;
        try (InputStream in = fs.open(index)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("camera,")) continue;
            rows.add(Row.parse(line.trim()));
        }
        return rows;
    }

    /** Every camera's rows under {@code base} ({@code camera=<id>/index.csv}), ordered by camera then time. */
    public static List<Row> readAll(Path base) throws IOException {
        FileSystem fs = base.getFileSystem();
        List<Row> rows = new ArrayList<>();
        if (!fs.exists(base)) return rows;
        for (var st : fs.listStatus(base)) {
            if (st.isDir() && st.getPath().getName().startsWith("camera=")) rows.addAll(read(new Path(st.getPath(), "index.csv")));
        }
        rows.sort(java.util.Comparator.comparing(Row::camera).thenComparingLong(Row::startMillis));
        return rows;
    }

    /** Replaces {@code index} with {@code rows}: written to a hidden file, then renamed over it. */
    public static void write(Path index, List<Row> rows) throws IOException {
        FileSystem fs = index.getFileSystem();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        for (Row r : rows) buf.writeBytes((r.toCsv() + "\n").getBytes(StandardCharsets.UTF_8));
        Path tmp = new Path(index.getParent(), "." + index.getName() + ".tmp-" + UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, FileSystem.WriteMode.NO_OVERWRITE)) {
            buf.writeTo(out);
        }
        if (!fs.rename(tmp, index)) {
            fs.delete(index, false);
            if (!fs.rename(tmp, index)) throw new IOException("cannot rename " + tmp + " to " + index);
        }
    }
}
