package dev.winnow.flink.model.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands the single feed split to the first reader that asks; every other reader is told it gets
 * none. With {@link FeedStop}s, tells every reader to end once all of them have fired. Runs on the
 * source coordinator's thread.
 */
final class RegistryFeedEnumerator implements SplitEnumerator<RegistryFeedSplit, List<RegistryFeedSplit>> {
    /** Sent to the readers when the data the feed serves has ended. */
    static final class EndFeed implements SourceEvent {
        private static final long serialVersionUID = 1L;
    }

    private final SplitEnumeratorContext<RegistryFeedSplit> context;
    private final List<RegistryFeedSplit> unassigned;
    private final List<FeedStop> stops;
    private boolean ended;

    RegistryFeedEnumerator(SplitEnumeratorContext<RegistryFeedSplit> context, List<RegistryFeedSplit> unassigned, List<FeedStop> stops) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
        this.stops = stops;
    }

    @Override
    public void start() {
        if (stops.isEmpty()) return;
        CompletableFuture.allOf(stops.stream().map(s -> s.future(context.metricGroup())).toArray(CompletableFuture[]::new))
                .thenRun(() -> context.runInCoordinatorThread(this::end));
    }

    private void end() {
        ended = true;
        for (int subtask : context.registeredReaders().keySet()) context.sendEventToSourceReader(subtask, new EndFeed());
    }

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
    public void addReader(int subtaskId) {
        if (ended) context.sendEventToSourceReader(subtaskId, new EndFeed());
    }

    @Override
    public List<RegistryFeedSplit> snapshotState(long checkpointId) {
        return List.copyOf(unassigned);
    }

    @Override
    public void close() {}
}
