package dev.winnow.connectors.clips;

import dev.winnow.flink.types.ClipRequest;
import java.io.IOException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes one playable clip per event, exactly once, through Flink's FileSystem, two-phase like
 * FileSink. The writer joins the event's segments with ffmpeg's concat demuxer by stream copy (no
 * re-encode) into MP4 with {@code +faststart} when the codec fits MP4 (H.264, HEVC, MPEG-4 part 2,
 * AV1, VP9) and Matroska otherwise (vtest.avi's DivX 3 / msmpeg4v3), then copies it to a hidden
 * in-progress file next to its final name:
 * {@code <base>/camera=<id>/<yyyy-MM-dd>/<HH-mm-ss>_<event>.mp4} (clip start, in the sink's zone).
 * An event across a change of the stream's codec (the camera reopened the stream into a new run of
 * segments) gets one clip per codec, each with its own start time and index row, since stream copy
 * cannot join two codecs into one playable file; the peak frame's clip gets the thumbnail.
 * An event that carries a thumbnail (the peak frame with its boxes) gets it beside the clip,
 * {@code <HH-mm-ss>_<event>.jpg}, written and committed with the clip.
 * When the checkpoint that covers it completes, the committer renames it and adds its row to
 * {@code <base>/camera=<id>/index.csv} (see {@link ClipIndex}). Commits are idempotent (a clip
 * already renamed or an event already in the index is left alone), so a restore that replays them
 * neither loses nor doubles a clip; a clip written after the last checkpoint stays hidden under its
 * in-progress name and is written again after the restore.
 *
 * <p>Put it after a keyed operator (the segment keeper) at the same parallelism, so each camera's
 * clips and index are written by one subtask.
 */
public final class ClipSink implements Sink<ClipRequest>, SupportsCommitter<ClipCommittable> {
    private static final long serialVersionUID = 1L;

    final String base;
    final ZoneId zone;
    final String ffmpeg;
    final String ffprobe;
    final String workDir;
    final long keepMillis;
    final long maxBytesPerCamera;

    private ClipSink(Builder b) {
        this.keepMillis = b.keep == null ? Long.MAX_VALUE : b.keep.toMillis();
        this.maxBytesPerCamera = b.maxBytesPerCamera;
        this.base = b.base.toString();
        this.zone = b.zone;
        this.ffmpeg = b.ffmpeg;
        this.ffprobe = b.ffprobe;
        this.workDir = b.workDir;
    }

    public static Builder builder(Path base) {
        return new Builder(base);
    }

    @Override
    public SinkWriter<ClipRequest> createWriter(WriterInitContext context) throws IOException {
        return new ClipWriter(this, context);
    }

    @Override
    public Committer<ClipCommittable> createCommitter(CommitterInitContext context) {
        return new ClipCommitter(keepMillis, maxBytesPerCamera);
    }

    @Override
    public SimpleVersionedSerializer<ClipCommittable> getCommittableSerializer() {
        return new ClipCommittable.Serializer();
    }

    /** Where clips go, in which time zone, which ffmpeg; validated in {@link #build()}. Serializable. */
    public static final class Builder implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final Path base;
        private ZoneId zone = ZoneOffset.UTC;
        private String ffmpeg = "ffmpeg";
        private String ffprobe = "ffprobe";
        private String workDir = System.getProperty("java.io.tmpdir");
        private java.time.Duration keep;
        private long maxBytesPerCamera = Long.MAX_VALUE;

        Builder(Path base) {
            this.base = base;
        }

        /** Time zone of the date folders and clip names (default UTC). */
        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        /** The ffmpeg and ffprobe executables (default: on the PATH). */
        public Builder ffmpeg(String ffmpeg, String ffprobe) {
            this.ffmpeg = ffmpeg;
            this.ffprobe = ffprobe;
            return this;
        }

        /** Local directory where clips are joined before they are copied to the file system (default java.io.tmpdir). */
        public Builder workDir(java.nio.file.Path dir) {
            this.workDir = dir.toAbsolutePath().toString();
            return this;
        }

        /**
         * Retention per camera, applied after each commit: clips that ended more than {@code keep} before
         * the camera's newest clip are deleted, then the oldest clips until the camera's clips fit in
         * {@code maxBytes}. Each deletion is logged, its row leaves {@code index.csv} and goes to
         * {@code camera=<id>/deleted.csv} with the reason. Null / {@code Long.MAX_VALUE}: no limit.
         */
        public Builder retention(java.time.Duration keep, long maxBytes) {
            this.keep = keep;
            this.maxBytesPerCamera = maxBytes;
            return this;
        }

        public ClipSink build() {
            List<String> bad = new java.util.ArrayList<>();
            if (base == null) bad.add("base path is null");
            if (zone == null) bad.add("zone is null");
            if (ffmpeg == null || ffmpeg.isBlank()) bad.add("ffmpeg is empty");
            if (ffprobe == null || ffprobe.isBlank()) bad.add("ffprobe is empty");
            if (workDir == null || workDir.isBlank()) bad.add("work directory is empty");
            if (keep != null && (keep.isNegative() || keep.isZero())) bad.add("retention keep must be positive: " + keep);
            if (maxBytesPerCamera <= 0) bad.add("retention byte budget must be positive: " + maxBytesPerCamera);
            if (!bad.isEmpty()) throw new IllegalArgumentException("clip sink: " + String.join("; ", bad));
            return new ClipSink(this);
        }
    }
}
