package dev.winnow.flink.types;

/**
 * One recording event of a camera: people were seen from start to end, as an NVR would record it.
 * {@link dev.winnow.flink.retention.RetentionFilter#LIFECYCLE} carries the same type when an event
 * starts, with {@code endMillis == -1}.
 */
public class RetentionEvent extends Copyable<RetentionEvent> {
    public String cameraId;
    /** Per camera, increasing from 1. */
    public long eventId;
    public long startMillis;
    public long endMillis;
    public int peakCount;
    public float peakScore;
    public long framesKept;
    public long bytesKept;
    /** Version of the model whose verdicts opened the event (the highest one seen in it). */
    public int modelVersion;
    /** Sequence number and time of the frame with the most people (the event's thumbnail). */
    public long peakSeq = -1;
    public long peakMillis;
    /**
     * The peak frame as a JPEG with the detector's boxes ({@link dev.winnow.flink.retention.PeakThumbnail});
     * set only on the closed event of {@link dev.winnow.flink.retention.RetentionFilter#LIFECYCLE}, for
     * the clip sink to store next to the clip. Null when the frames carry no pixels.
     */
    public byte[] thumbnail;

    public RetentionEvent() {}

    @Override
    public String toString() {
        return "RetentionEvent{" + cameraId + "#" + eventId + " [" + startMillis + "," + endMillis + "] peak="
                + peakCount + " frames=" + framesKept + " bytes=" + bytesKept + "}";
    }
}
