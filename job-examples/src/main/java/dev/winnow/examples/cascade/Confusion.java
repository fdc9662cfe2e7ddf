package dev.winnow.examples.cascade;

/**
 * Presence decisions of a method against the reference's (the teacher on every frame), counted per
 * frame or per window. Rates follow the usual definitions: false-negative rate = FN / (TP + FN), the
 * share of the reference's positives the method missed; false-positive rate = FP / (FP + TN). A rate
 * with nothing to count (no positives, or no negatives) is NaN.
 */
public record Confusion(long tp, long fp, long fn, long tn) {
    public static final Confusion NONE = new Confusion(0, 0, 0, 0);

    /** Frame by frame; both arrays are one decision per frame and must be equally long. */
    public static Confusion perFrame(boolean[] reference, boolean[] method) {
        return windows(reference, method, 1);
    }

    /**
     * Over consecutive, non-overlapping windows of {@code windowFrames} frames (the last one may be
     * shorter): a window is positive when any of its frames is. With {@code windowFrames} = the frame
     * rate, these are one-second windows: "was a person seen in this second".
     */
    public static Confusion windows(boolean[] reference, boolean[] method, int windowFrames) {
        if (reference.length != method.length) {
            throw new IllegalArgumentException("decisions for " + reference.length + " and " + method.length + " frames");
        }
        if (windowFrames < 1) throw new IllegalArgumentException("a window holds at least one frame, not " + windowFrames);
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int start = 0; start < reference.length; start += windowFrames) {
            boolean r = false, m = false;
            for (int k = start; k < Math.min(reference.length, start + windowFrames); k++) {
                r |= reference[k];
                m |= method[k];
            }
            if (r && m) tp++;
            else if (m) fp++;
            else if (r) fn++;
            else tn++;
        }
        return new Confusion(tp, fp, fn, tn);
    }

    public Confusion plus(Confusion o) {
        return new Confusion(tp + o.tp, fp + o.fp, fn + o.fn, tn + o.tn);
    }

    public long total() {
        return tp + fp + fn + tn;
    }

    public double fnRate() {
        return tp + fn == 0 ? Double.NaN : fn / (double) (tp + fn);
    }

    public double fpRate() {
        return fp + tn == 0 ? Double.NaN : fp / (double) (fp + tn);
    }
}
