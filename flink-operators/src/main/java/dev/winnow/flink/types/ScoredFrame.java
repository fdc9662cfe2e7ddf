package dev.winnow.flink.types;

/** A frame together with the verdict the person detector gave it. */
public class ScoredFrame {
    public Frame frame;
    public Verdict verdict;

    public ScoredFrame() {}

    public ScoredFrame(Frame frame, Verdict verdict) {
        this.frame = frame;
        this.verdict = verdict;
    }

    @Override
    public String toString() {
        return "ScoredFrame{" + frame + ", " + verdict + "}";
    }
}
