package dev.winnow.flink.model.feed;

import dev.winnow.flink.source.ReaderAvailability;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.registry.RegistryClient;
import dev.winnow.registry.RegistryEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the registry's change feed on a thread of its own (long polls block; the task thread
 * must not) and hands alias moves to the task thread through a queue. The checkpointed position is
 * the last event emitted, not the last fetched, so nothing fetched but unemitted is lost on restore.
 * An unreachable registry is logged and retried with backoff: the models already serving keep
 * serving, so the feed never fails the job. When the enumerator says the job's data has ended
 * ({@link FeedStop}), the reader stops following, emits what it has fetched and ends.
 */
final class RegistryFeedReader implements SourceReader<ModelUpdate, RegistryFeedSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryFeedReader.class);

    private final SourceReaderContext context;
    private final FeedPoll poll;

    private final ConcurrentLinkedQueue<ModelUpdate> queue = new ConcurrentLinkedQueue<>();
    private final ReaderAvailability availability = new ReaderAvailability();
    private final AtomicLong errors = new AtomicLong();

    private RegistryFeedSplit split;
    private long emitted;
    private Thread poller;
    private volatile boolean running = true;
    private volatile boolean endRequested;
    private volatile boolean pollerDone;
    private volatile boolean noMoreSplits;

    RegistryFeedReader(SourceReaderContext context, FeedPoll poll) {
        this.context = context;
        this.poll = poll;
    }

    @Override
    public void start() {
        var g = context.metricGroup().addGroup("winnow");
        g.gauge("feedPosition", () -> emitted);
        g.gauge("feedErrors", errors::get);
        context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ModelUpdate> output) {
        ModelUpdate u = queue.poll();
        if (u != null) {
            output.collect(u, u.timestampMillis);
            emitted = u.sequence;
            return queue.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
        }
        if (split == null ? noMoreSplits : pollerDone && queue.isEmpty()) return InputStatus.END_OF_INPUT;
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return availability.future(() -> !queue.isEmpty() || pollerDone || (split == null && noMoreSplits));
    }

    @Override
    public List<RegistryFeedSplit> snapshotState(long checkpointId) {
        return split == null ? List.of() : List.of(new RegistryFeedSplit(emitted));
    }

    @Override
    public void addSplits(List<RegistryFeedSplit> splits) {
        if (splits.isEmpty()) return;
        if (split != null || splits.size() > 1) throw new IllegalStateException("the registry feed has one split; got " + splits + " while holding " + split);
        split = splits.get(0);
        emitted = split.afterSequence();
        poller = new Thread(() -> follow(split.afterSequence()), "winnow-registry-feed");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (!(event instanceof RegistryFeedEnumerator.EndFeed)) return;
        endRequested = true;
        if (poller != null) poller.interrupt();
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        availability.signal();
    }

    private void follow(long after) {
        long backoffMs = 100;
        RegistryClient client = null;
        try {
            while (running && !endRequested && after < poll.stopAtSequence()) {
                try {
                    if (client == null) client = poll.connection().open();
                    int waitSeconds = (int) Math.max(1, poll.pollWait().toSeconds());
                    for (RegistryEvent e : client.events(after, waitSeconds)) {
                        if (e.sequence() > poll.stopAtSequence()) break;
                        after = e.sequence();
                        if (e.movesAlias() && poll.follows(e.model())) {
                            queue.add(new ModelUpdate(e.sequence(), e.model(), e.alias(), e.version(), e.sha256(), e.timeMillis()));
                            availability.signal();
                        }
                    }
                    backoffMs = 100;
                } catch (Exception e) {
                    if (!running || endRequested) break;
                    errors.incrementAndGet();
                    LOG.warn("registry feed of {} unreachable after event {}, retrying in {} ms: {}", poll.connection(), after, backoffMs, e.toString());
                    if (client != null) client.close();
                    client = null;
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(10_000, backoffMs * 2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (client != null) client.close();
            pollerDone = running;
            availability.signal();
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (poller != null) {
            poller.interrupt();
            poller.join(5_000);
        }
    }
}
