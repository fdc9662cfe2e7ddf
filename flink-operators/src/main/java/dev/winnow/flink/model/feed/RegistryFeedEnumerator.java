package dev.winnow.flink.model.feed;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/** Hands the single feed split to the first reader that asks; every other reader is told it gets none. */
final class RegistryFeedEnumerator implements SplitEnumerator<RegistryFeedSplit, List<RegistryFeedSplit>> {
    private final SplitEnumeratorContext<RegistryFeedSplit> context;
    private final List<RegistryFeedSplit> unassigned;

    RegistryFeedEnumerator(SplitEnumeratorContext<RegistryFeedSplit> context, List<RegistryFeedSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!unassigned.isEmpty()) {
            context.assignSplit(unassigned.remove(0), subtaskId);
        } else {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<RegistryFeedSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public List<RegistryFeedSplit> snapshotState(long checkpointId) {
        return List.copyOf(unassigned);
    }

    @Override
    public void close() {}
}
