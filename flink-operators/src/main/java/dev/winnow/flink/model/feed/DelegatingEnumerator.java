package dev.winnow.flink.model.feed;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * A split enumerator that hands every call to the wrapped one, for the feed's wrapping sources
 * ({@link EndSignallingSource}, {@link StopEndedSource}), which tie it to their {@link FeedStop} and
 * override only the calls they change. The checkpoint {@code C} is the wrapping source's own, so
 * {@link #snapshotState} is left to each. Threads: the coordinator's, as for any enumerator.
 *
 * @param <E> the wrapped enumerator's checkpoint
 */
abstract class DelegatingEnumerator<S extends SourceSplit, E, C> implements SplitEnumerator<S, C> {
    protected final SplitEnumerator<S, E> inner;
    protected final SplitEnumeratorContext<S> context;
    protected final FeedStop stop;

    DelegatingEnumerator(SplitEnumerator<S, E> inner, SplitEnumeratorContext<S> context, FeedStop stop) {
        this.inner = inner;
        this.context = context;
        this.stop = stop;
    }

    @Override public void start() { inner.start(); }
    @Override public void handleSplitRequest(int subtaskId, String host) { inner.handleSplitRequest(subtaskId, host); }
    @Override public void addSplitsBack(List<S> splits, int subtaskId) { inner.addSplitsBack(splits, subtaskId); }
    @Override public void addReader(int subtaskId) { inner.addReader(subtaskId); }
    @Override public void handleSourceEvent(int subtaskId, SourceEvent event) { inner.handleSourceEvent(subtaskId, event); }
    @Override public void notifyCheckpointComplete(long id) throws Exception { inner.notifyCheckpointComplete(id); }
    @Override public void notifyCheckpointAborted(long id) throws Exception { inner.notifyCheckpointAborted(id); }
    @Override public void close() throws IOException { inner.close(); }
}
