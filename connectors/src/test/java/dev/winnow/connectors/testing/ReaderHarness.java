package dev.winnow.connectors.testing;

import dev.winnow.connectors.source.StreamSource;
import dev.winnow.connectors.source.StreamSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * Drives a source's reader the way a task does (poll, wait for availability, snapshot), without a
 * cluster: for exact checks of checkpointed positions and of restores from them.
 */
public final class ReaderHarness<T> implements AutoCloseable {
    public final List<T> records = new ArrayList<>();
    public final List<Long> timestamps = new ArrayList<>();
    public final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final SourceReader<T, StreamSplit<T>> reader;
    private boolean ended;

    /** What {@link #checkpointAndRestore} saw: the records before the checkpoint, the checkpoint, the records after. */
    public record Restore<T>(List<T> beforeCheckpoint, List<StreamSplit<T>> checkpoint, List<T> afterRestore) {
        public List<T> all() {
            List<T> all = new ArrayList<>(beforeCheckpoint);
            all.addAll(afterRestore);
            return all;
        }
    }

    /**
     * One reader reads {@code start} until {@code n} records, checkpoints and closes (as a failing task
     * does); a second reader restored from that checkpoint reads to the end.
     */
    public static <T> Restore<T> checkpointAndRestore(StreamSource<T> source, StreamSplit<T> start, int n, Duration timeout)
            throws Exception {
        List<StreamSplit<T>> checkpoint;
        List<T> before;
        try (ReaderHarness<T> h = new ReaderHarness<>(source)) {
            h.addSplits(List.of(start), true);
            h.pollUntil(n, timeout);
            checkpoint = h.snapshot(1);
            before = new ArrayList<>(h.records);
        }
        return new Restore<>(before, checkpoint, readToEnd(source, checkpoint, timeout));
    }

    /** The records of {@code splits}, read to their end by one reader. */
    public static <T> List<T> readToEnd(StreamSource<T> source, List<StreamSplit<T>> splits, Duration timeout) throws Exception {
        try (ReaderHarness<T> h = new ReaderHarness<>(source)) {
            h.addSplits(splits, true);
            if (!h.pollToEnd(timeout)) throw new AssertionError("the reader did not end");
            return new ArrayList<>(h.records);
        }
    }

    public ReaderHarness(StreamSource<T> source) {
        reader = source.createReader(new Context());
        reader.start();
    }

    public void addSplits(List<StreamSplit<T>> splits, boolean noMore) {
        reader.addSplits(splits);
        if (noMore) reader.notifyNoMoreSplits();
    }

    /** Polls until {@code total} records have been emitted in all, or the input ends; true when ended. */
    public boolean pollUntil(int total, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended && records.size() < total) {
            InputStatus s = reader.pollNext(output);
            if (s == InputStatus.END_OF_INPUT) {
                ended = true;
            } else if (s == InputStatus.NOTHING_AVAILABLE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("timed out with " + records.size() + " records");
                try {
                    reader.isAvailable().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("timed out with " + records.size() + " records");
                }
            }
        }
        return ended;
    }

    public boolean pollToEnd(Duration timeout) throws Exception {
        return pollUntil(Integer.MAX_VALUE, timeout);
    }

    public List<StreamSplit<T>> snapshot(long checkpointId) {
        return reader.snapshotState(checkpointId);
    }

    public long counter(String name) {
        Counter c = counters.get(name);
        return c == null ? 0 : c.getCount();
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }

    private final ReaderOutput<T> output = new ReaderOutput<>() {
        @Override public void collect(T record) { collect(record, Long.MIN_VALUE); }
        @Override public void collect(T record, long timestamp) { records.add(record); timestamps.add(timestamp); }
        @Override public void emitWatermark(Watermark watermark) {}
        @Override public void markIdle() {}
        @Override public void markActive() {}
        @Override public SourceOutput<T> createOutputForSplit(String splitId) { return this; }
        @Override public void releaseOutputForSplit(String splitId) {}
    };

    private final class Group extends UnregisteredMetricsGroup implements SourceReaderMetricGroup {
        @Override
        public <C extends Counter> C counter(String name, C counter) {
            counters.put(name, counter);
            return counter;
        }

        /** Counters of a subgroup are kept as {@code key.value.name}, e.g. {@code camera.door.gaps}. */
        @Override
        public org.apache.flink.metrics.MetricGroup addGroup(String key, String value) {
            String prefix = key + "." + value + ".";
            return new UnregisteredMetricsGroup() {
                @Override
                public <C extends Counter> C counter(String name, C counter) {
                    counters.put(prefix + name, counter);
                    return counter;
                }

                @Override
                public Counter counter(String name) {
                    return counter(name, new org.apache.flink.metrics.SimpleCounter());
                }
            };
        }

        @Override public Counter getNumRecordsInErrorsCounter() { return counter("numRecordsInErrors", new org.apache.flink.metrics.SimpleCounter()); }
        @Override public void setPendingBytesGauge(Gauge<Long> g) {}
        @Override public void setPendingRecordsGauge(Gauge<Long> g) {}
        @Override public OperatorIOMetricGroup getIOMetricGroup() { return UnregisteredMetricsGroup.createOperatorIOMetricGroup(); }
    }

    private final class Context implements SourceReaderContext {
        private final Group group = new Group();

        @Override public SourceReaderMetricGroup metricGroup() { return group; }
        @Override public Configuration getConfiguration() { return new Configuration(); }
        @Override public String getLocalHostName() { return "localhost"; }
        @Override public int getIndexOfSubtask() { return 0; }
        @Override public void sendSplitRequest() {}
        @Override public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}
        @Override public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }
}
