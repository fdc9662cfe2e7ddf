package dev.winnow.connectors.source;

import java.io.Serializable;
import org.apache.flink.api.connector.source.SourceSplit;

/** One stream and the position of its next record; the index spreads splits over the readers. */
public final class StreamSplit<T> implements SourceSplit, Serializable {
    private static final long serialVersionUID = 1L;

    private final StreamSpec<T> spec;
    private final int index;
    private final long position;

    public StreamSplit(StreamSpec<T> spec, int index, long position) {
        this.spec = spec;
        this.index = index;
        this.position = position;
    }

    @Override
    public String splitId() {
        return spec.id();
    }

    public StreamSpec<T> spec() {
        return spec;
    }

    public int index() {
        return index;
    }

    public long position() {
        return position;
    }

    public StreamSplit<T> at(long newPosition) {
        return new StreamSplit<>(spec, index, newPosition);
    }

    @Override
    public String toString() {
        return "StreamSplit{" + spec.id() + " #" + index + " @" + position + "}";
    }
}
