package dev.winnow.flink.model.feed;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The registry's change feed as a split: there is one, and its position is the sequence number of
 * the last event the reader emitted, so a restore resumes right after it.
 */
public final class RegistryFeedSplit implements SourceSplit {
    static final String ID = "registry-feed";

    private final long afterSequence;

    public RegistryFeedSplit(long afterSequence) {
        this.afterSequence = afterSequence;
    }

    public long afterSequence() {
        return afterSequence;
    }

    @Override
    public String splitId() {
        return ID;
    }

    @Override
    public String toString() {
        return "RegistryFeedSplit{after=" + afterSequence + "}";
    }
}
