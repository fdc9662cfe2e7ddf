package dev.winnow.connectors.clips;

import dev.winnow.flink.types.ClipRequest;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first phase of {@link ClipSink}: joins, copies under an in-progress name, hands the
 * committable over at the next checkpoint. Not thread safe: one per subtask, on the task thread.
 */
final class ClipWriter implements CommittingSinkWriter<ClipRequest, ClipCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ClipWriter.class);
    /** Codecs MP4 holds and players expect in MP4; anything else goes into Matroska. */
    static final Set<String> MP4_CODECS = Set.of("h264", "hevc", "mpeg4", "av1", "vp9");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private final ClipSink sink;
    private final Path base;
    private final java.nio.file.Path work;
    private final List<ClipCommittable> pending = new ArrayList<>();
    private final Counter clipsWritten, clipBytes, clipsFailed;

    ClipWriter(ClipSink sink, WriterInitContext context) throws IOException {
        this.sink = sink;
        this.base = new Path(sink.base);
        this.work = Files.createDirectories(java.nio.file.Path.of(sink.workDir, "winnow-clips-"
                + context.getTaskInfo().getIndexOfThisSubtask() + "-" + UUID.randomUUID()));
        var g = context.metricGroup().addGroup("winnow");
        clipsWritten = g.counter("clipsWritten");
        clipBytes = g.counter("clipBytesWritten");
        clipsFailed = g.counter("clipsFailed");
    }

    @Override
    public void write(ClipRequest req, Context context) throws IOException, InterruptedException {
        RetentionEvent e = req.event;
        List<Segment> segs = new ArrayList<>();
        for (Segment s : req.segments) {
            if (Files.isReadable(java.nio.file.Path.of(s.path))) segs.add(s);
            else LOG.error("camera {} event {}: segment {} is gone from the spool; the clip leaves it out", e.cameraId, e.eventId, s.path);
        }
        if (segs.isEmpty()) {
            clipsFailed.inc();
            LOG.error("camera {} event {}: none of its {} segments is readable; no clip", e.cameraId, e.eventId, req.segments.size());
            return;
        }
        // segments of one ffmpeg run share a codec; a stream that changed codec mid-run was reopened into a new run
        List<List<Segment>> parts = new ArrayList<>();
        List<String> codecs = new ArrayList<>();
        java.util.Map<String, String> runCodec = new java.util.HashMap<>();
        for (Segment s : segs) {
            String run = String.valueOf(java.nio.file.Path.of(s.path).getParent());
            String codec = runCodec.get(run);
            if (codec == null) runCodec.put(run, codec = codec(s.path));
            if (parts.isEmpty() || !codecs.get(codecs.size() - 1).equals(codec)) {
                parts.add(new ArrayList<>());
                codecs.add(codec);
            }
            parts.get(parts.size() - 1).add(s);
        }
        if (parts.size() > 1) {
            LOG.warn("camera {} event {}: the stream's codec changed during the event ({}); stream copy cannot join them, so one clip per codec",
                    e.cameraId, e.eventId, String.join(" -> ", codecs));
        }
        int withThumb = 0;
        for (int i = 0; i < parts.size(); i++) {
            List<Segment> p = parts.get(i);
            if (e.peakMillis >= p.get(0).startMillis && e.peakMillis < p.get(p.size() - 1).endMillis) withThumb = i;
        }
        for (int i = 0; i < parts.size(); i++) writeClip(e, parts.get(i), codecs.get(i), i == withThumb);
    }

    /** One clip of segments in one codec, under its in-progress name, its committable pending. */
    private void writeClip(RetentionEvent e, List<Segment> segs, String codec, boolean withThumbnail) throws IOException, InterruptedException {
        boolean mp4 = MP4_CODECS.contains(codec);
        long clipStart = segs.get(0).startMillis, clipEnd = segs.get(segs.size() - 1).endMillis;
        Instant t = Instant.ofEpochMilli(clipStart);
        String name = TIME.format(t.atZone(sink.zone)) + "_" + e.eventId + (mp4 ? ".mp4" : ".mkv");
        String rel = "camera=" + e.cameraId + "/" + DAY.format(t.atZone(sink.zone)) + "/" + name;
        java.nio.file.Path local = work.resolve(e.cameraId + "-" + e.eventId + (mp4 ? ".mp4" : ".mkv"));
        join(segs, local, mp4);
        Path target = new Path(base, rel);
        Path inProgress = new Path(target.getParent(), "." + name + ClipCommitter.IN_PROGRESS + UUID.randomUUID());
        FileSystem fs = target.getFileSystem();
        long bytes = Files.size(local);
        try {
            writeNew(fs, inProgress, out -> {
                try (InputStream in = Files.newInputStream(local)) {
                    in.transferTo(out);
                }
            }, "clip " + target + " (" + bytes + " bytes)", "; failing instead of leaving a broken clip");
        } finally {
            Files.deleteIfExists(local);
        }
        String thumbIn = "", thumbTarget = "";
        if (withThumbnail && e.thumbnail != null && e.thumbnail.length > 0) {
            Path thumb = new Path(ClipCommittable.thumbnailOf(target.toString()));
            Path thumbProgress = new Path(target.getParent(), "." + thumb.getName() + ClipCommitter.IN_PROGRESS + UUID.randomUUID());
            writeThumbnail(fs, thumbProgress, e.thumbnail);
            thumbIn = thumbProgress.toString();
            thumbTarget = thumb.toString();
        }
        long sourceBytes = 0;
        for (Segment s : segs) sourceBytes += s.bytes;
        ClipIndex.Row row = new ClipIndex.Row(e.cameraId, e.eventId, ISO.format(t.atZone(sink.zone)),
                ISO.format(Instant.ofEpochMilli(clipEnd).atZone(sink.zone)), e.peakCount, e.modelVersion, rel, bytes, sourceBytes,
                clipStart, clipEnd, e.startMillis, e.endMillis, e.peakSeq, e.peakMillis);
        pending.add(new ClipCommittable(inProgress.toString(), target.toString(),
                new Path(base, "camera=" + e.cameraId + "/index.csv").toString(), row, thumbIn, thumbTarget));
        clipsWritten.inc();
        clipBytes.inc(bytes);
    }

    /** The event's thumbnail under its in-progress name, committed with the clip; fails like the clip does. */
    private static void writeThumbnail(FileSystem fs, Path inProgress, byte[] jpeg) throws IOException {
        writeNew(fs, inProgress, out -> out.write(jpeg), "thumbnail " + inProgress + " (" + jpeg.length + " bytes)", "");
    }

    /** What goes into a new file. */
    private interface Contents {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a new file at {@code inProgress}. A write that fails deletes what it left, so no broken file
     * can be committed, and fails with one message: "clip sink: cannot write {@code what}: the cause{@code more}".
     */
    private static void writeNew(FileSystem fs, Path inProgress, Contents contents, String what, String more) throws IOException {
        try (OutputStream out = fs.create(inProgress, FileSystem.WriteMode.NO_OVERWRITE)) {
            contents.writeTo(out);
        } catch (IOException ex) {
            try {
                fs.delete(inProgress, false);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new IOException("clip sink: cannot write " + what + ": " + ex.getMessage() + more, ex);
        }
    }

    private String codec(String segment) throws IOException, InterruptedException {
        String out = run(List.of(sink.ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name",
                "-of", "csv=p=0", segment)).trim();
        return out.toLowerCase(Locale.ROOT);
    }

    private void join(List<Segment> segs, java.nio.file.Path out, boolean mp4) throws IOException, InterruptedException {
        java.nio.file.Path list = work.resolve("concat.txt");
        StringBuilder sb = new StringBuilder("ffconcat version 1.0\n");
        for (Segment s : segs) sb.append("file '").append(s.path.replace("'", "'\\''")).append("'\n");
        Files.writeString(list, sb.toString(), StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(sink.ffmpeg, "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0",
                "-i", list.toString(), "-map", "0:v:0", "-c", "copy"));
        if (mp4) cmd.addAll(List.of("-movflags", "+faststart", "-f", "mp4"));
        else cmd.addAll(List.of("-f", "matroska"));
        cmd.add(out.toString());
        run(cmd);
    }

    /** Runs a tool, returns its stdout; a non-zero exit is an IOException with its stderr. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        java.nio.file.Path err = Files.createTempFile("winnow-clip", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not finish in 120 s: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IOException(cmd.get(0) + " exited with " + p.exitValue() + ": " + Files.readString(err).trim()
                        + " (" + String.join(" ", cmd) + ")");
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Override
    public Collection<ClipCommittable> prepareCommit() {
        List<ClipCommittable> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public void close() throws IOException {
        try (var files = Files.walk(work)) {
            for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
