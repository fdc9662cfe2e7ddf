package dev.winnow.flink.types;

import java.util.Arrays;
import java.util.Objects;

/** What a model said about one frame: person score, count and boxes, and which model said it. */
public class Verdict {
    public String cameraId;
    public long seq;
    public long timestampMillis;
    /** Highest person score in the frame, in [0, 1]. */
    public float score;
    public int count;
    /** Boxes as consecutive (x, y, w, h, score) in input pixels; length 5 * number of boxes. */
    public float[] boxes = new float[0];
    public String modelName;
    public int modelVersion;

    public Verdict() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Verdict)) return false;
        Verdict v = (Verdict) o;
        return seq == v.seq && timestampMillis == v.timestampMillis && Float.compare(score, v.score) == 0
                && count == v.count && modelVersion == v.modelVersion && Objects.equals(cameraId, v.cameraId)
                && Arrays.equals(boxes, v.boxes) && Objects.equals(modelName, v.modelName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, seq, modelVersion);
    }

    @Override
    public String toString() {
        return "Verdict{" + cameraId + "#" + seq + " score=" + score + " count=" + count + " model="
                + modelName + ":" + modelVersion + "}";
    }
}
