package dev.winnow.connectors.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.LoggerFactory;

/**
 * A FLIP-27 source over a fixed set of {@link StreamSpec streams}, one split each (one split per
 * camera, per CSV file, per MQTT subscription). Bounded when every stream is. Malformed input is
 * counted in the metric given here and logged by the streams.
 */
public class StreamSource<T> implements Source<T, StreamSplit<T>, List<StreamSplit<T>>>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final List<StreamSpec<T>> specs;
    private final TypeInformation<T> type;
    private final String malformedMetric;
    private final String malformedKind;
    private final int queueCapacity;

    public StreamSource(List<? extends StreamSpec<T>> specs, TypeInformation<T> type, String malformedMetric,
                        String malformedKind, int queueCapacity) {
        if (specs.isEmpty()) throw new IllegalArgumentException("no streams");
        Set<String> ids = new HashSet<>();
        for (StreamSpec<T> s : specs) {
            if (!ids.add(s.id())) throw new IllegalArgumentException("duplicate stream id " + s.id());
        }
        this.specs = List.copyOf(specs);
        this.type = type;
        this.malformedMetric = malformedMetric;
        this.malformedKind = malformedKind;
        this.queueCapacity = queueCapacity;
    }

    public List<StreamSpec<T>> specs() {
        return specs;
    }

    public String malformedMetric() {
        return malformedMetric;
    }

    @Override
    public Boundedness getBoundedness() {
        return specs.stream().allMatch(StreamSpec::bounded) ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<StreamSplit<T>, List<StreamSplit<T>>> createEnumerator(
            SplitEnumeratorContext<StreamSplit<T>> context) {
        List<StreamSplit<T>> splits = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) splits.add(new StreamSplit<>(specs.get(i), i, 0));
        return new StreamSplitEnumerator<>(context, splits);
    }

    @Override
    public SplitEnumerator<StreamSplit<T>, List<StreamSplit<T>>> restoreEnumerator(
            SplitEnumeratorContext<StreamSplit<T>> context, List<StreamSplit<T>> checkpoint) {
        return new StreamSplitEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<StreamSplit<T>> getSplitSerializer() {
        return StreamSplitSerializer.splits();
    }

    @Override
    public SimpleVersionedSerializer<List<StreamSplit<T>>> getEnumeratorCheckpointSerializer() {
        return StreamSplitSerializer.lists();
    }

    @Override
    public SourceReader<T, StreamSplit<T>> createReader(SourceReaderContext readerContext) {
        MalformedRecords malformed = new MalformedRecords(readerContext.metricGroup(), malformedMetric, malformedKind,
                LoggerFactory.getLogger(getClass()));
        return new StreamSourceReader<>(readerContext, malformed, "winnow-" + getClass().getSimpleName(), queueCapacity);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
