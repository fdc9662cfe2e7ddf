package dev.winnow.flink.model.feed;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.types.ModelUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import dev.winnow.flink.model.SwappableModel;

/**
 * The model registry's change feed as a Flink source: every alias move becomes a {@link ModelUpdate},
 * in registry order, exactly once across restores (the position is checkpointed). Broadcast it to
 * the functions that serve models:
 *
 * <pre>{@code
 * var updates = RegistryFeedSource.builder(registry).model("person-detector").build().broadcast(env);
 * frames.connect(updates).process(new dev.winnow.flink.frames.HotSwapFrameScorer(registry, "person-detector", "production", "person", false));
 * }</pre>
 *
 * <p>Unbounded by default; {@link Builder#stopAtSequence} makes it end after a given event, which
 * tests use, and {@link Builder#stopWhen} makes it end when the job's bounded data has been read
 * (see {@link FeedStop}), so a bounded job that follows an alias still ends.
 */
public final class RegistryFeedSource implements Source<ModelUpdate, RegistryFeedSplit, List<RegistryFeedSplit>> {
    private static final long serialVersionUID = 1L;

    private final FeedPoll poll;
    private final long startAfter;
    private final List<FeedStop> stops;

    private RegistryFeedSource(Builder b) {
        this.poll = new FeedPoll(b.connection, b.modelName, b.stopAtSequence, b.pollWait);
        this.startAfter = b.startAfter;
        this.stops = List.copyOf(b.stops);
    }

    public static Builder builder(RegistryConnection connection) {
        return new Builder(connection);
    }

    /** The feed as a stream (one reader: the feed is a single ordered log). */
    public DataStream<ModelUpdate> stream(StreamExecutionEnvironment env) {
        return env.fromSource(this, WatermarkStrategy.noWatermarks(), "winnow registry feed").setParallelism(1).uid("winnow-registry-feed");
    }

    /** The feed broadcast with the state descriptor the hot-swapping functions read. */
    public BroadcastStream<ModelUpdate> broadcast(StreamExecutionEnvironment env) {
        return stream(env).broadcast(SwappableModel.VERSIONS);
    }

    @Override
    public Boundedness getBoundedness() {
        return poll.stopAtSequence() == Long.MAX_VALUE ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ModelUpdate, RegistryFeedSplit> createReader(SourceReaderContext ctx) {
        return new RegistryFeedReader(ctx, poll);
    }

    @Override
    public SplitEnumerator<RegistryFeedSplit, List<RegistryFeedSplit>> createEnumerator(SplitEnumeratorContext<RegistryFeedSplit> ctx) {
        return new RegistryFeedEnumerator(ctx, List.of(new RegistryFeedSplit(startAfter)), stops);
    }

    @Override
    public SplitEnumerator<RegistryFeedSplit, List<RegistryFeedSplit>> restoreEnumerator(SplitEnumeratorContext<RegistryFeedSplit> ctx, List<RegistryFeedSplit> unassigned) {
        return new RegistryFeedEnumerator(ctx, unassigned, stops);
    }

    @Override
    public SimpleVersionedSerializer<RegistryFeedSplit> getSplitSerializer() {
        return new RegistryFeedSerializers.Split();
    }

    @Override
    public SimpleVersionedSerializer<List<RegistryFeedSplit>> getEnumeratorCheckpointSerializer() {
        return new RegistryFeedSerializers.Enumerator();
    }

    public static final class Builder {
        private final RegistryConnection connection;
        private String modelName;
        private long startAfter;
        private long stopAtSequence = Long.MAX_VALUE;
        private Duration pollWait = Duration.ofSeconds(5);
        private final List<FeedStop> stops = new java.util.ArrayList<>();

        private Builder(RegistryConnection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        /** Only this model's alias moves (default: every model's). */
        public Builder model(String name) {
            this.modelName = name;
            return this;
        }

        /**
         * Start after this event (default 0: replay the whole feed, so an alias moved between the
         * job's start and the reader's first poll is never missed; functions ignore stale updates).
         */
        public Builder startAfter(long sequence) {
            if (sequence < 0) throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
            this.startAfter = sequence;
            return this;
        }

        /** End the source once the event with this sequence number has been read. */
        public Builder stopAtSequence(long sequence) {
            if (sequence <= 0) throw new IllegalArgumentException("sequence must be > 0: " + sequence);
            this.stopAtSequence = sequence;
            return this;
        }

        /**
         * End the feed, after the events it has already fetched, once every one of these stops has
         * fired: once the data sources they {@link FeedStop#watch watch} have been read to the end.
         */
        public Builder stopWhen(FeedStop... stops) {
            for (FeedStop s : stops) this.stops.add(Objects.requireNonNull(s, "stop"));
            return this;
        }

        /** How long one long poll waits for a new event. */
        public Builder pollWait(Duration wait) {
            if (wait.isNegative() || wait.isZero()) throw new IllegalArgumentException("poll wait must be positive");
            this.pollWait = wait;
            return this;
        }

        public RegistryFeedSource build() {
            if (startAfter >= stopAtSequence) {
                throw new IllegalArgumentException("startAfter " + startAfter + " >= stopAtSequence " + stopAtSequence + ": the feed would be empty");
            }
            return new RegistryFeedSource(this);
        }
    }
}
