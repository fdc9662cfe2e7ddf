package dev.winnow.flink.types;

/**
 * Something a camera reports about its own input rather than a frame: a {@link #GAP} (a live stream
 * broke and came back: no video from {@code fromMillis} to {@code toMillis}) or {@link #FAILED} (the
 * input cannot be used — a garbage or truncated file, a server that answers with an error — so the
 * camera ended; {@code message} says why in one line). Wall-clock epoch milliseconds. A Flink POJO.
 */
public class CameraStatus {
    public static final String GAP = "gap";
    public static final String FAILED = "failed";

    public String cameraId;
    /** {@link #GAP} or {@link #FAILED}. */
    public String kind;
    public long fromMillis;
    public long toMillis;
    /** Reconnect attempts the gap took (0 for a failure). */
    public int attempts;
    public String message;

    public CameraStatus() {}

    public static CameraStatus gap(String cameraId, long fromMillis, long toMillis, int attempts, String message) {
        return of(cameraId, GAP, fromMillis, toMillis, attempts, message);
    }

    public static CameraStatus failed(String cameraId, long atMillis, String message) {
        return of(cameraId, FAILED, atMillis, atMillis, 0, message);
    }

    private static CameraStatus of(String cameraId, String kind, long fromMillis, long toMillis, int attempts, String message) {
        CameraStatus s = new CameraStatus();
        s.cameraId = cameraId;
        s.kind = kind;
        s.fromMillis = fromMillis;
        s.toMillis = toMillis;
        s.attempts = attempts;
        s.message = message;
        return s;
    }

    public long gapMillis() {
        return toMillis - fromMillis;
    }

    @Override
    public String toString() {
        return "CameraStatus{" + cameraId + " " + kind + " [" + fromMillis + "," + toMillis + "] " + message + "}";
    }
}
