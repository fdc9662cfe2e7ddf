package dev.winnow.flink.types;

import java.util.Arrays;
import java.util.Objects;

/** What a model said about one frame: person score, count and boxes, and which model said it. */
public class Verdict extends Copyable<Verdict> {
    public String cameraId;
    public long seq;
    public long timestampMillis;
    /** Highest person score in the frame, in [0, 1]: a detector's best detection, 0 when none passes its threshold. */
    public float score;
    /**
     * The model's unfiltered person score: from a detector that outputs it, the best anchor score whether or
     * not it passed the threshold (otherwise equal to {@link #score}). A cascade's band reads this, so that
     * the frames just under the threshold, the student's least sure "nobody", can go to the teacher; retention
     * and counting read {@link #score}.
     */
    public float rawScore;
    public int count;
    /** Boxes as consecutive (x, y, w, h, score) in input pixels; length 5 * number of boxes. */
    public float[] boxes = new float[0];
    public String modelName;
    public int modelVersion;
    /**
     * What decided: {@link #STUDENT} (the scoring model), {@link #TEACHER} (the cascade sent the frame
     * to the teacher, whose model name and version are then the ones above) or {@link #REUSED} (the
     * difference detector found the frame unchanged and repeated the last verdict).
     */
    public String decidedBy = STUDENT;

    public static final String STUDENT = "student";
    public static final String TEACHER = "teacher";
    public static final String REUSED = "reused";
    /**
     * Only between the edge cascade and {@code PendingVerdicts}: the student was unsure and the frame waits
     * for the central teacher's answer. No verdict leaves an edge job with this value.
     */
    public static final String PENDING = "pending";

    public Verdict() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof Verdict v && seq == v.seq && timestampMillis == v.timestampMillis && Float.compare(score, v.score) == 0 && Float.compare(rawScore, v.rawScore) == 0
                && count == v.count && modelVersion == v.modelVersion && Objects.equals(cameraId, v.cameraId)
                && Arrays.equals(boxes, v.boxes) && Objects.equals(modelName, v.modelName) && Objects.equals(decidedBy, v.decidedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, seq, modelVersion);
    }

    @Override
    public String toString() {
        return "Verdict{" + cameraId + "#" + seq + " score=" + score + " count=" + count + " model="
                + modelName + ":" + modelVersion + (STUDENT.equals(decidedBy) ? "" : " by " + decidedBy) + "}";
    }
}
