package dev.winnow.flink.sensor;

import dev.winnow.flink.model.ServingMetrics;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The classification step both sensor classifiers share, with its metrics. */
final class SensorMetrics {
    private final ServingMetrics common;
    private final Counter kept, dropped;

    SensorMetrics(MetricGroup operatorGroup, Supplier<SensorScoring> serving) {
        common = new ServingMetrics(operatorGroup, serving);
        kept = common.group().counter("recordsKept");
        dropped = common.group().counter("recordsDropped");
    }

    SensorEvent score(SensorScoring scoring, FeatureVector v) {
        long t0 = System.nanoTime();
        SensorEvent e = scoring.score(v);
        common.scored(t0);
        (e == null ? dropped : kept).inc();
        return e;
    }
}
