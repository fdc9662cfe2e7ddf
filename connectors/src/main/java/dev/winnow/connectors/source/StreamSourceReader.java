package dev.winnow.connectors.source;

import dev.winnow.flink.source.ReaderAvailability;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each assigned stream on its own thread (camera and network reads block) into one bounded
 * hand-over queue, and emits from the task thread. Each split's position advances only when its
 * record is emitted, so a checkpoint holds exactly the next record to emit per stream; records still
 * in the queue are read again after a restore. Per-split outputs give per-stream watermarks.
 */
final class StreamSourceReader<T> implements SourceReader<T, StreamSplit<T>> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSourceReader.class);

    private enum Kind { RECORD, END, FAILURE }

    private record Item<T>(String splitId, Kind kind, RecordStream.Positioned<T> value, Throwable failure) {}

    private final class Active implements StreamContext {
        final StreamSplit<T> split;
        volatile long position;
        volatile boolean running = true;
        volatile RecordStream<T> stream;
        SourceOutput<T> output;
        Thread thread;

        Active(StreamSplit<T> split) {
            this.split = split;
            this.position = split.position();
        }

        @Override
        public MalformedRecords malformed() {
            return malformed;
        }

        @Override
        public MetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public boolean running() {
            return running && !closed;
        }

        void run() {
            try {
                RecordStream<T> s = split.spec().open(split.position(), this);
                stream = s;
                try (s) {
                    while (running()) {
                        RecordStream.Positioned<T> p = s.next();
                        if (p == null) break;
                        if (!put(new Item<>(split.splitId(), Kind.RECORD, p, null))) return;
                    }
                }
                if (running()) put(new Item<>(split.splitId(), Kind.END, null, null));
            } catch (Throwable t) {
                if (running()) {
                    put(new Item<>(split.splitId(), Kind.FAILURE, null, t));
                } else {
                    LOG.debug("{} stopped while closing: {}", split.splitId(), t.toString());
                }
            }
        }

        private boolean put(Item<T> item) {
            try {
                while (running()) {
                    if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                        availability.signal();
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private final SourceReaderContext context;
    private final MalformedRecords malformed;
    private final String threadPrefix;
    private final BlockingQueue<Item<T>> queue;
    private final Map<String, Active> active = new LinkedHashMap<>();
    private final ReaderAvailability availability = new ReaderAvailability();
    private volatile boolean noMoreSplits;
    private volatile boolean closed;

    StreamSourceReader(SourceReaderContext context, MalformedRecords malformed, String threadPrefix, int queueCapacity) {
        this.context = context;
        this.malformed = malformed;
        this.threadPrefix = threadPrefix;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    @Override
    public void start() {
        // the enumerator pushes this reader's splits when it registers
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        Item<T> item = queue.poll();
        if (item == null) return idleStatus();
        Active a = active.get(item.splitId());
        if (a == null) return queue.isEmpty() ? idleStatus() : InputStatus.MORE_AVAILABLE; // split already gone
        switch (item.kind()) {
            case RECORD -> {
                if (a.output == null) a.output = output.createOutputForSplit(a.split.splitId());
                a.output.collect(item.value().record(), item.value().timestampMillis());
                a.position = item.value().nextPosition();
            }
            case END -> {
                LOG.info("Stream {} ended at position {}", a.split.splitId(), a.position);
                active.remove(item.splitId());
                if (a.output != null) output.releaseOutputForSplit(a.split.splitId());
            }
            case FAILURE -> throw new IOException("Stream " + a.split.splitId() + " failed at position " + a.position
                    + ": " + item.failure().getMessage(), item.failure());
        }
        return queue.isEmpty() ? idleStatus() : InputStatus.MORE_AVAILABLE;
    }

    private InputStatus idleStatus() {
        return noMoreSplits && active.isEmpty() && queue.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return availability.future(() -> !queue.isEmpty() || (noMoreSplits && active.isEmpty()));
    }

    @Override
    public List<StreamSplit<T>> snapshotState(long checkpointId) {
        List<StreamSplit<T>> out = new ArrayList<>(active.size());
        for (Active a : active.values()) out.add(a.split.at(a.position));
        return out;
    }

    @Override
    public void addSplits(List<StreamSplit<T>> splits) {
        for (StreamSplit<T> s : splits) {
            Active a = new Active(s);
            active.put(s.splitId(), a);
            a.thread = new Thread(a::run, threadPrefix + "-" + s.splitId());
            a.thread.setDaemon(true);
            LOG.info("Opening stream {} at position {}", s.splitId(), s.position());
            a.thread.start();
        }
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        availability.signal();
    }

    @Override
    public void close() throws Exception {
        closed = true;
        for (Active a : active.values()) {
            a.running = false;
            RecordStream<T> s = a.stream;
            if (s != null) {
                try {
                    s.close();
                } catch (Exception e) {
                    LOG.debug("closing {}: {}", a.split.splitId(), e.toString());
                }
            }
            if (a.thread != null) a.thread.interrupt();
        }
        for (Active a : active.values()) {
            if (a.thread != null) a.thread.join(5000);
        }
        queue.clear();
    }
}
