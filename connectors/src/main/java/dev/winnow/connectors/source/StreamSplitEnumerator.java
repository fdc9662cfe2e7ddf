package dev.winnow.connectors.source;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands every split to a fixed reader (split index modulo parallelism) when that reader registers,
 * then tells it there are no more. Streams run for long, so a reader owns several at once rather than
 * asking for the next when one ends. Splits of a failed reader come back and go to its successor.
 */
final class StreamSplitEnumerator<T> implements SplitEnumerator<StreamSplit<T>, List<StreamSplit<T>>> {
    private final SplitEnumeratorContext<StreamSplit<T>> context;
    private final List<StreamSplit<T>> pending;

    StreamSplitEnumerator(SplitEnumeratorContext<StreamSplit<T>> context, List<StreamSplit<T>> pending) {
        this.context = context;
        this.pending = new ArrayList<>(pending);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        assign(subtaskId);
    }

    @Override
    public void addSplitsBack(List<StreamSplit<T>> splits, int subtaskId) {
        pending.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        assign(subtaskId);
    }

    private void assign(int subtaskId) {
        int parallelism = context.currentParallelism();
        for (Iterator<StreamSplit<T>> it = pending.iterator(); it.hasNext(); ) {
            StreamSplit<T> s = it.next();
            if (s.index() % parallelism == subtaskId) {
                context.assignSplit(s, subtaskId);
                it.remove();
            }
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public List<StreamSplit<T>> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    @Override
    public void close() {}
}
