package dev.winnow.connectors.source;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;

/**
 * Counts malformed input (a metric) and logs one clear line per record: what it was, where it came
 * from and why it was skipped. After the first {@value #LOGGED_IN_FULL} lines only every
 * {@value #LOG_EVERY}th is logged, so a flood of garbage cannot flood the log; the counter stays exact.
 * Thread-safe: camera and sensor threads report concurrently.
 */
public final class MalformedRecords {
    static final int LOGGED_IN_FULL = 100;
    static final int LOG_EVERY = 1000;

    private final Logger log;
    private final String kind;
    private final Counter counter;
    private final AtomicLong total = new AtomicLong();

    /**
     * @param group  where the counter lives (null: no metric, count only)
     * @param metric counter name, e.g. {@code malformedFrames}
     * @param kind   what is counted, for the log line ("frame", "Kafka record", "CSV line")
     */
    public MalformedRecords(MetricGroup group, String metric, String kind, Logger log) {
        this.log = log;
        this.kind = kind;
        this.counter = group == null ? new ThreadSafeSimpleCounter() : group.counter(metric, new ThreadSafeSimpleCounter());
    }

    /** Counts one malformed record and logs why it was skipped. */
    public void skip(String where, String reason) {
        counter.inc();
        long n = total.incrementAndGet();
        if (n <= LOGGED_IN_FULL || n % LOG_EVERY == 0) {
            log.warn("Skipping malformed {} ({}): {} [{} malformed so far{}]", kind, where, reason, n,
                    n >= LOGGED_IN_FULL ? "; logging every " + LOG_EVERY + "th from now on" : "");
        }
    }

    public long count() {
        return total.get();
    }
}
