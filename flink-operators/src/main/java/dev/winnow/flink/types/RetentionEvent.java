package dev.winnow.flink.types;

/** One recording event of a camera: people were seen from start to end, as an NVR would record it. */
public class RetentionEvent {
    public String cameraId;
    /** Per camera, increasing from 1. */
    public long eventId;
    public long startMillis;
    public long endMillis;
    public int peakCount;
    public float peakScore;
    public long framesKept;
    public long bytesKept;

    public RetentionEvent() {}

    @Override
    public String toString() {
        return "RetentionEvent{" + cameraId + "#" + eventId + " [" + startMillis + "," + endMillis + "] peak="
                + peakCount + " frames=" + framesKept + " bytes=" + bytesKept + "}";
    }
}
