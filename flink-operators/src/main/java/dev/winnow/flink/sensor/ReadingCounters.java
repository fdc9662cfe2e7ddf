package dev.winnow.flink.sensor;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters both streaming FastGRNN operators ({@link StreamingFastGrnn}, {@link PerGroupFastGrnn})
 * keep under the same names, so a dashboard reads either the same way. Registered in {@code open()}.
 */
final class ReadingCounters {
    /** Readings that advanced a sensor's state. */
    final Counter applied;
    /** Readings older than what their sensor (or the watermark) has passed. */
    final Counter late;
    /** Readings that must not touch a state ({@link FastGrnnReadings#problem}). */
    final Counter bad;
    final Counter predictions;

    /** @param winnow the operator's {@code winnow} metric group */
    ReadingCounters(MetricGroup winnow) {
        applied = winnow.counter("readingsApplied");
        late = winnow.counter("readingsLate");
        bad = winnow.counter("readingsBad");
        predictions = winnow.counter("predictions");
    }
}
