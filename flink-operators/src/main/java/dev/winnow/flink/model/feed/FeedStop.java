package dev.winnow.flink.model.feed;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.metrics.MetricGroup;

/**
 * Ends a registry feed when a job's bounded data has all been read, so that a job that follows a
 * registry alias over a replay, a file or a bounded Kafka range ends like any bounded job (final
 * checkpoint, committed files, summary) instead of waiting on the feed for ever.
 *
 * <pre>{@code
 * FeedStop stop = FeedStop.create();
 * var frames = env.fromSource(stop.watch(cameraSource), watermarks, "cameras");
 * var updates = RegistryFeedSource.builder(registry).model("person-detector").stopWhen(stop).build().broadcast(env);
 * }</pre>
 *
 * <p>How: {@link #watch} wraps the data source; each of its readers tells the source's enumerator
 * when it reached the end of its input, and once every reader has, the enumerator completes this
 * stop. The feed's enumerator waits for it and tells the feed's reader to end after what it has
 * already fetched. Both enumerators run in the job's JobManager (every operator coordinator of a job
 * lives in its JobMaster), where the stop is a future keyed by job id and stop id. The data
 * enumerator checkpoints which readers have finished, so a restored job signals again. An unbounded
 * data source never finishes, so its feed never stops.
 *
 * <p>Threads: {@link #signal} runs on the data source's coordinator thread; the future's callbacks
 * on the feed's (they hop there with {@code runInCoordinatorThread}).
 */
public final class FeedStop implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Map<String, CompletableFuture<Void>> STOPS = new ConcurrentHashMap<>();

    private final String id;

    private FeedStop(String id) {
        this.id = id;
    }

    /** A stop with a fresh id: one per data source a feed should stop with. */
    public static FeedStop create() {
        return new FeedStop(UUID.randomUUID().toString());
    }

    /** {@code data}, unchanged except that the end of all its readers fires this stop. */
    public <T, S extends SourceSplit, E> Source<T, S, EndSignallingSource.Checkpoint<E>> watch(Source<T, S, E> data) {
        return new EndSignallingSource<>(data, this);
    }

    /**
     * {@code source}, ending {@code grace} after this stop fires (it need not be a registry feed; the
     * edge's answers from the central teacher use it).
     */
    public <T, S extends SourceSplit, E> Source<T, S, E> end(Source<T, S, E> source, java.time.Duration grace) {
        return new StopEndedSource<>(source, this, grace.toMillis());
    }

    String id() {
        return id;
    }

    /** The future of this stop in the job whose coordinator reports {@code metrics}. */
    CompletableFuture<Void> future(MetricGroup metrics) {
        return STOPS.computeIfAbsent(jobId(metrics) + "/" + id, k -> new CompletableFuture<>());
    }

    void signal(MetricGroup metrics) {
        future(metrics).complete(null);
    }

    private static String jobId(MetricGroup metrics) {
        return metrics.getAllVariables().getOrDefault("<job_id>", "");
    }

    @Override
    public String toString() {
        return "FeedStop{" + id + "}";
    }
}
