package dev.winnow.flink.model;

import java.util.function.Supplier;
import org.apache.flink.metrics.MetricGroup;

/** The gauges every model-serving function reports: the serving version and its arena bytes (-1 before a model serves). */
public final class ServingGauges {
    private ServingGauges() {}

    public static void register(MetricGroup winnowGroup, Supplier<? extends ServingModel> serving) {
        winnowGroup.gauge("modelVersion", () -> {
            ServingModel s = serving.get();
            return s == null ? -1 : s.version();
        });
        winnowGroup.gauge("arenaBytes", () -> {
            ServingModel s = serving.get();
            return s == null ? -1L : s.model().report().arenaBytes();
        });
    }
}
