package dev.winnow.connectors.camera;

import dev.winnow.connectors.source.StreamSpec;
import dev.winnow.flink.types.Frame;
import java.util.Objects;

/**
 * What all cameras share: an id (the split id and {@link Frame#cameraId}) and an optional frame limit.
 * Positions are frame sequence numbers: a frame's {@code seq} is its place in the camera's stream, so
 * a malformed frame that is skipped leaves a gap in the numbers, and a restore resumes at the
 * checkpointed next seq. With a limit, the camera ends after the frame with seq {@code maxFrames - 1}.
 */
public abstract class CameraSpec<S extends CameraSpec<S>> implements StreamSpec<Frame> {
    private static final long serialVersionUID = 1L;

    protected final String cameraId;
    protected long maxFrames = Long.MAX_VALUE;

    protected CameraSpec(String cameraId) {
        if (cameraId == null || cameraId.isBlank()) throw new IllegalArgumentException("camera id is empty");
        this.cameraId = cameraId;
    }

    @Override
    public String id() {
        return cameraId;
    }

    public String cameraId() {
        return cameraId;
    }

    /** Ends the camera after {@code n} frame positions (seq 0 .. n-1); makes the camera bounded. */
    @SuppressWarnings("unchecked")
    public S maxFrames(long n) {
        if (n < 0) throw new IllegalArgumentException("maxFrames " + n);
        this.maxFrames = n;
        return (S) this;
    }

    public long maxFrames() {
        return maxFrames;
    }

    protected String where(long seq) {
        return "camera " + cameraId + " frame " + seq;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + cameraId + (maxFrames == Long.MAX_VALUE ? "" : ", max " + maxFrames) + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Objects.equals(((CameraSpec<?>) o).cameraId, cameraId);
    }

    @Override
    public int hashCode() {
        return cameraId.hashCode();
    }
}
