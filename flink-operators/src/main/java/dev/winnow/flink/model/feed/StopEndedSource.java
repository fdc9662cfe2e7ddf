package dev.winnow.flink.model.feed;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Any source (an unbounded Kafka source, say) that ends {@code graceMillis} after a {@link FeedStop}
 * fires, i.e. after a job's bounded data has all been read: the edge's answers from the central
 * teacher keep arriving for one teacher timeout after the last frame, then the job ends like any
 * bounded job. Records, splits and checkpoints are the wrapped source's; a restored job ends again
 * once its data source signals again.
 *
 * <p>Threads: the enumerator's methods run on the coordinator thread (the stop's callback hops there
 * with {@code runInCoordinatorThread}); the reader's on the source task's thread, which the
 * {@code stopped} future wakes.
 */
public final class StopEndedSource<T, S extends SourceSplit, E> extends WrappingSource<T, S, E, E> {
    private static final long serialVersionUID = 1L;

    /** Sent by the enumerator to every reader: end now. */
    static final class EndNow implements SourceEvent {
        private static final long serialVersionUID = 1L;
    }

    private final long graceMillis;

    /** Bounded in effect once the stop fires, but declared as the wrapped source is, so a streaming job stays one. */
    StopEndedSource(Source<T, S, E> inner, FeedStop stop, long graceMillis) {
        super(inner, stop);
        this.graceMillis = graceMillis;
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext ctx) throws Exception {
        return new Reader<>(inner.createReader(ctx));
    }

    @Override
    public SplitEnumerator<S, E> createEnumerator(SplitEnumeratorContext<S> ctx) throws Exception {
        return new Enumerator<>(inner.createEnumerator(ctx), ctx, stop, graceMillis);
    }

    @Override
    public SplitEnumerator<S, E> restoreEnumerator(SplitEnumeratorContext<S> ctx, E checkpoint) throws Exception {
        return new Enumerator<>(inner.restoreEnumerator(ctx, checkpoint), ctx, stop, graceMillis);
    }

    @Override
    public SimpleVersionedSerializer<E> getEnumeratorCheckpointSerializer() {
        return inner.getEnumeratorCheckpointSerializer();
    }

    private static final class Reader<T, S extends SourceSplit> extends DelegatingReader<T, S> {
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();

        Reader(SourceReader<T, S> inner) {
            super(inner);
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            return stopped.isDone() ? InputStatus.END_OF_INPUT : inner.pollNext(output);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (stopped.isDone()) return stopped;
            return CompletableFuture.anyOf(inner.isAvailable(), stopped).thenApply(x -> null);
        }

        @Override
        public void handleSourceEvents(SourceEvent e) {
            if (e instanceof EndNow) stopped.complete(null);
            else inner.handleSourceEvents(e);
        }
    }

    private static final class Enumerator<S extends SourceSplit, E> extends DelegatingEnumerator<S, E, E> {
        private final long graceMillis;
        private boolean ended;

        Enumerator(SplitEnumerator<S, E> inner, SplitEnumeratorContext<S> context, FeedStop stop, long graceMillis) {
            super(inner, context, stop);
            this.graceMillis = graceMillis;
        }

        @Override
        public void start() {
            inner.start();
            stop.future(context.metricGroup()).thenRunAsync(() -> context.runInCoordinatorThread(this::end),
                    CompletableFuture.delayedExecutor(graceMillis, TimeUnit.MILLISECONDS));
        }

        private void end() {
            ended = true;
            for (int subtask : context.registeredReaders().keySet()) context.sendEventToSourceReader(subtask, new EndNow());
        }

        @Override
        public void addReader(int subtaskId) {
            inner.addReader(subtaskId);
            if (ended) context.sendEventToSourceReader(subtaskId, new EndNow());
        }

        @Override
        public E snapshotState(long checkpointId) throws Exception {
            return inner.snapshotState(checkpointId);
        }
    }
}
