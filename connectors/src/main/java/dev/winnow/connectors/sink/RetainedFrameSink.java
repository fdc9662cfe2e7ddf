package dev.winnow.connectors.sink;

import dev.winnow.flink.types.Frame;
import java.io.IOException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * Retained frames to files with Flink's FileSink (exactly once with checkpointing: files become
 * visible when the checkpoint that covers them completes), bucketed by camera and hour of the frame's
 * own time: {@code <base>/camera=<id>/yyyy-MM-dd--HH/}.
 *
 * <ul>
 *   <li>{@link Layout#CONTAINER} (default): part files {@code frames-<uuid>-<n>.wfr} in the
 *       {@link FrameFiles} layout, a small header per frame then its raw bytes; a new part file per
 *       checkpoint.</li>
 *   <li>{@link Layout#FILE_PER_FRAME}: one file per frame holding only the frame's bytes (suffix
 *       {@code .jpg} by default, so JPEG frames open in any viewer); the file name carries no seq or
 *       time, so use it for JPEG cameras and the container for raw pixels.</li>
 * </ul>
 */
public final class RetainedFrameSink {
    private RetainedFrameSink() {}

    public enum Layout { CONTAINER, FILE_PER_FRAME }

    public static Builder builder(Path base) {
        return new Builder(base);
    }

    public static final class Builder {
        private final Path base;
        private Layout layout = Layout.CONTAINER;
        private ZoneId zone = ZoneOffset.UTC;
        private String prefix;
        private String suffix;

        Builder(Path base) {
            this.base = base;
        }

        public Builder layout(Layout layout) {
            this.layout = layout;
            return this;
        }

        /** Time zone of the hour buckets (default UTC). */
        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        /** Part file name prefix and suffix (defaults: "frames", ".wfr" or ".jpg"). */
        public Builder fileNames(String prefix, String suffix) {
            this.prefix = prefix;
            this.suffix = suffix;
            return this;
        }

        public FileSink<Frame> build() {
            boolean single = layout == Layout.FILE_PER_FRAME;
            OutputFileConfig names = OutputFileConfig.builder()
                    .withPartPrefix(prefix != null ? prefix : "frames")
                    .withPartSuffix(suffix != null ? suffix : (single ? ".jpg" : ".wfr"))
                    .build();
            return FileSink.forRowFormat(base, single ? new FrameFiles.RawBytesEncoder() : new FrameFiles.FrameEncoder())
                    .withBucketAssigner(EventTimeBuckets.cameraHour(zone))
                    .withRollingPolicy(single ? new OneFramePerFile() : OnCheckpointRollingPolicy.build())
                    .withOutputFileConfig(names)
                    .build();
        }
    }

    /** Rolls before every frame that would go into a non-empty file, and at every checkpoint. */
    static final class OneFramePerFile extends CheckpointRollingPolicy<Frame, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean shouldRollOnEvent(PartFileInfo<String> partFileState, Frame element) throws IOException {
            return partFileState.getSize() > 0;
        }

        @Override
        public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFileState, long currentTime) {
            return false;
        }
    }
}
