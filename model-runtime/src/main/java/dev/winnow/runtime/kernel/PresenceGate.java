package dev.winnow.runtime.kernel;

/**
 * A detector's frame-level decision from two scores: {@code anchor}, the best anchor's probability, and
 * {@code head}, a presence head's probability that anyone is in the frame. A frame has people when
 * <pre>
 *   head ≥ present                               (the head alone: people too large for the anchors)
 *   or (anchor ≥ threshold and head ≥ veto)      (the anchors, unless the head is sure nobody is there)
 * </pre>
 * {@link #score} folds both into one number that reaches {@code threshold} exactly when the frame has
 * people, so a reader that compares the detector's {@code best} output with its threshold (a cascade's
 * band) needs nothing new: below {@code veto} the anchor score is capped under the threshold, and the head
 * maps piecewise linearly onto [0, 1] with {@code present} at the threshold.
 */
public final class PresenceGate {
    private final float threshold, present, veto;

    /** {@code threshold} in (0, 1); {@code veto} in [0, present]; {@code present} in (0, 1]. */
    public PresenceGate(float threshold, float present, float veto) {
        if (!(threshold > 0f && threshold < 1f)) throw new IllegalArgumentException("score threshold must be in (0, 1), not " + threshold);
        if (!(present > 0f && present <= 1f)) throw new IllegalArgumentException("presence threshold must be in (0, 1], not " + present);
        if (!(veto >= 0f && veto <= present)) throw new IllegalArgumentException("presence veto must be in [0, " + present + "], not " + veto);
        this.threshold = threshold;
        this.present = present;
        this.veto = veto;
    }

    /** Whether the frame has people. */
    public boolean present(float anchor, float head) {
        return head >= present || (anchor >= threshold && head >= veto);
    }

    /** Whether the head vetoes the anchors (it is sure nobody is there). */
    public boolean vetoed(float head) {
        return head < veto && head < present;
    }

    /** Whether the head alone says people are there. */
    public boolean headPresent(float head) {
        return head >= present;
    }

    /** The combined score: ≥ threshold exactly when {@link #present}; monotone in both scores. */
    public float score(float anchor, float head) {
        float a = head >= veto ? anchor : Math.min(anchor, veto > 0f ? threshold * head / veto : 0f);
        if (a >= threshold && head < veto) a = Math.nextDown(threshold); // rounding of threshold·head/veto
        float h;
        if (head >= present) h = present >= 1f ? 1f : threshold + (1f - threshold) * (head - present) / (1f - present);
        else h = Math.min(Math.nextDown(threshold), threshold * head / present);
        return Math.max(Math.max(a, h), head >= present ? threshold : 0f);
    }
}
