package dev.winnow.flink.model;

import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics every model-serving function reports in its operator's {@code winnow} group, under the
 * same names whatever the function: {@code recordsScored}, {@code inferenceLatencyNanos} and the
 * {@link ServingGauges}. A function adds its own counters to {@link #group()}. Create it in
 * {@code open()}; {@link #scored} allocates nothing.
 */
public final class ServingMetrics {
    private final MetricGroup group;
    private final Counter scored;
    private final Histogram latency;

    /** For a function whose model can change while it runs: the gauges read {@code serving} each time. */
    public ServingMetrics(MetricGroup operatorGroup, Supplier<? extends ServingModel> serving) {
        this(operatorGroup);
        ServingGauges.register(group, serving);
    }

    /** For a function that loads one model in {@code open()} and serves it until it closes. */
    public ServingMetrics(MetricGroup operatorGroup, int version, long arenaBytes) {
        this(operatorGroup);
        group.gauge("modelVersion", () -> version);
        group.gauge("arenaBytes", () -> arenaBytes);
    }

    private ServingMetrics(MetricGroup operatorGroup) {
        group = operatorGroup.addGroup("winnow");
        scored = group.counter("recordsScored");
        latency = group.histogram("inferenceLatencyNanos", new DescriptiveStatisticsHistogram(1000));
    }

    /** The {@code winnow} group, for the function's own counters. */
    public MetricGroup group() {
        return group;
    }

    /** Counts one inference that began at {@code startNanos} ({@link System#nanoTime()}) and has just ended. */
    public void scored(long startNanos) {
        latency.update(System.nanoTime() - startNanos);
        scored.inc();
    }
}
