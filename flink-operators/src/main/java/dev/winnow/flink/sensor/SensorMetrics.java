package dev.winnow.flink.sensor;

import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.model.ServingGauges;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The classification step both sensor classifiers share, with its metrics. */
final class SensorMetrics {
    private final Counter scored, kept, dropped;
    private final Histogram latency;

    SensorMetrics(MetricGroup operatorGroup, Supplier<SensorScoring> serving) {
        MetricGroup g = operatorGroup.addGroup("winnow");
        scored = g.counter("recordsScored");
        kept = g.counter("recordsKept");
        dropped = g.counter("recordsDropped");
        latency = g.histogram("inferenceLatencyNanos", new DescriptiveStatisticsHistogram(1000));
        ServingGauges.register(g, serving);
    }

    SensorEvent score(SensorScoring scoring, FeatureVector v) {
        long t0 = System.nanoTime();
        SensorEvent e = scoring.score(v);
        latency.update(System.nanoTime() - t0);
        scored.inc();
        (e == null ? dropped : kept).inc();
        return e;
    }
}
