package dev.winnow.flink.model.feed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
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
 * A data source that, besides its records, fires a {@link FeedStop} once all its readers have
 * reached the end of their input. Records, splits, watermarks and split state are the wrapped
 * source's; only the enumerator checkpoint gains the set of finished readers.
 */
public final class EndSignallingSource<T, S extends SourceSplit, E> extends WrappingSource<T, S, E, EndSignallingSource.Checkpoint<E>> {
    private static final long serialVersionUID = 1L;

    /** The wrapped enumerator's checkpoint and the subtasks whose readers have finished. */
    public record Checkpoint<E>(E inner, Set<Integer> finished) {}

    /** Sent by a reader to the enumerator when its input has ended. */
    static final class ReaderFinished implements SourceEvent {
        private static final long serialVersionUID = 1L;
    }

    EndSignallingSource(Source<T, S, E> inner, FeedStop stop) {
        super(inner, stop);
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext ctx) throws Exception {
        return new Reader<>(inner.createReader(ctx), ctx);
    }

    @Override
    public SplitEnumerator<S, Checkpoint<E>> createEnumerator(SplitEnumeratorContext<S> ctx) throws Exception {
        return new Enumerator<>(inner.createEnumerator(ctx), ctx, stop, Set.of());
    }

    @Override
    public SplitEnumerator<S, Checkpoint<E>> restoreEnumerator(SplitEnumeratorContext<S> ctx, Checkpoint<E> checkpoint) throws Exception {
        return new Enumerator<>(inner.restoreEnumerator(ctx, checkpoint.inner()), ctx, stop, checkpoint.finished());
    }

    @Override
    public SimpleVersionedSerializer<Checkpoint<E>> getEnumeratorCheckpointSerializer() {
        return new CheckpointSerializer<>(inner.getEnumeratorCheckpointSerializer());
    }

    /** The wrapped reader; tells the enumerator once when it returns the end of its input. */
    private static final class Reader<T, S extends SourceSplit> extends DelegatingReader<T, S> {
        private final SourceReaderContext context;
        private boolean told;

        Reader(SourceReader<T, S> inner, SourceReaderContext context) {
            super(inner);
            this.context = context;
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            InputStatus s = inner.pollNext(output);
            if (s == InputStatus.END_OF_INPUT && !told) {
                told = true;
                context.sendSourceEventToCoordinator(new ReaderFinished());
            }
            return s;
        }
    }

    /** The wrapped enumerator; counts finished readers and fires the stop when all have finished. */
    private static final class Enumerator<S extends SourceSplit, E> extends DelegatingEnumerator<S, E, Checkpoint<E>> {
        private final Set<Integer> finished;

        Enumerator(SplitEnumerator<S, E> inner, SplitEnumeratorContext<S> context, FeedStop stop, Set<Integer> finished) {
            super(inner, context, stop);
            this.finished = new TreeSet<>(finished);
        }

        @Override
        public void start() {
            inner.start();
            check();
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent event) {
            if (event instanceof ReaderFinished) {
                finished.add(subtaskId);
                check();
            } else {
                inner.handleSourceEvent(subtaskId, event);
            }
        }

        private void check() {
            if (finished.size() >= context.currentParallelism()) stop.signal(context.metricGroup());
        }

        @Override
        public Checkpoint<E> snapshotState(long checkpointId) throws Exception {
            return new Checkpoint<>(inner.snapshotState(checkpointId), Set.copyOf(finished));
        }
    }

    /** Version 1: the wrapped serializer's version and bytes, then the finished subtasks. */
    static final class CheckpointSerializer<E> extends DataSerializer<Checkpoint<E>> {
        private final SimpleVersionedSerializer<E> inner;

        CheckpointSerializer(SimpleVersionedSerializer<E> inner) {
            super("end-signalling enumerator");
            this.inner = inner;
        }

        @Override
        void write(Checkpoint<E> c, DataOutputStream out) throws IOException {
            byte[] b = inner.serialize(c.inner());
            out.writeInt(inner.getVersion());
            out.writeInt(b.length);
            out.write(b);
            out.writeInt(c.finished().size());
            for (int s : c.finished()) out.writeInt(s);
        }

        @Override
        Checkpoint<E> read(DataInputStream in, int length) throws IOException {
            int innerVersion = in.readInt(), n = in.readInt();
            if (n < 0 || n > length) throw new IOException("bad end-signalling enumerator state: " + n + " inner bytes");
            byte[] ib = in.readNBytes(n);
            int k = in.readInt();
            if (k < 0 || k > 1 << 16) throw new IOException("bad end-signalling enumerator state: " + k + " finished readers");
            Set<Integer> finished = new TreeSet<>();
            for (int i = 0; i < k; i++) finished.add(in.readInt());
            return new Checkpoint<>(inner.deserialize(innerVersion, ib), finished);
        }
    }
}
