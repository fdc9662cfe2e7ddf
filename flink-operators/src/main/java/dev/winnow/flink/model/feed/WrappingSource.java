package dev.winnow.flink.model.feed;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source that wraps another and ties it to a {@link FeedStop} ({@link EndSignallingSource},
 * {@link StopEndedSource}): records, splits, their serializer and the boundedness stay the wrapped
 * source's, so a job reads the same type and stays streaming or batch as it would without the wrapper.
 *
 * @param <E> the wrapped source's enumerator checkpoint
 * @param <C> this source's enumerator checkpoint
 */
abstract class WrappingSource<T, S extends SourceSplit, E, C> implements Source<T, S, C>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    protected final Source<T, S, E> inner;
    protected final FeedStop stop;

    WrappingSource(Source<T, S, E> inner, FeedStop stop) {
        this.inner = inner;
        this.stop = stop;
    }

    /** The wrapped source's record type, as {@code env.fromSource} would have found it. */
    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> getProducedType() {
        if (inner instanceof ResultTypeQueryable<?> q) return (TypeInformation<T>) q.getProducedType();
        return (TypeInformation<T>) TypeExtractor.createTypeInfo(Source.class, inner.getClass(), 0, null, null);
    }

    @Override
    public Boundedness getBoundedness() {
        return inner.getBoundedness();
    }

    @Override
    public SimpleVersionedSerializer<S> getSplitSerializer() {
        return inner.getSplitSerializer();
    }
}
