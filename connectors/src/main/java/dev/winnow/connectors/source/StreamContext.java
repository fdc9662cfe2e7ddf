package dev.winnow.connectors.source;

import org.apache.flink.metrics.MetricGroup;

/** What a {@link RecordStream} may use: the malformed-input counter, metrics, and whether to go on. */
public interface StreamContext {
    MalformedRecords malformed();

    MetricGroup metricGroup();

    /** False once the reader is closing; long waits (pacing, reconnect back-off) should stop. */
    boolean running();

    /** Sleeps up to {@code millis}, returning early (false) when the reader closes. */
    default boolean sleep(long millis) {
        long end = System.currentTimeMillis() + millis;
        try {
            while (running()) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) return true;
                Thread.sleep(Math.min(left, 100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
