package dev.winnow.flink.model.feed;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * A source reader that hands every call to the wrapped reader; the feed's wrapping sources
 * ({@link EndSignallingSource}, {@link StopEndedSource}) override only the calls they change.
 * Threads: the source task's, as for any reader.
 */
abstract class DelegatingReader<T, S extends SourceSplit> implements SourceReader<T, S> {
    protected final SourceReader<T, S> inner;

    DelegatingReader(SourceReader<T, S> inner) {
        this.inner = inner;
    }

    @Override public void start() { inner.start(); }
    @Override public InputStatus pollNext(ReaderOutput<T> output) throws Exception { return inner.pollNext(output); }
    @Override public CompletableFuture<Void> isAvailable() { return inner.isAvailable(); }
    @Override public void handleSourceEvents(SourceEvent e) { inner.handleSourceEvents(e); }
    @Override public List<S> snapshotState(long checkpointId) { return inner.snapshotState(checkpointId); }
    @Override public void addSplits(List<S> splits) { inner.addSplits(splits); }
    @Override public void notifyNoMoreSplits() { inner.notifyNoMoreSplits(); }
    @Override public void notifyCheckpointComplete(long id) throws Exception { inner.notifyCheckpointComplete(id); }
    @Override public void notifyCheckpointAborted(long id) throws Exception { inner.notifyCheckpointAborted(id); }
    @Override public void pauseOrResumeSplits(Collection<String> pause, Collection<String> resume) { inner.pauseOrResumeSplits(pause, resume); }
    @Override public void close() throws Exception { inner.close(); }
}
