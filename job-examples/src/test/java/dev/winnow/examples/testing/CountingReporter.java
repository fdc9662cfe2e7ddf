package dev.winnow.examples.testing;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for MiniCluster tests: keeps every counter a job registers, by its metric
 * identifier, in one static map that outlives the job. Add it with {@link #configure}.
 */
public final class CountingReporter implements MetricReporter {
    public static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();
    /** Every gauge, by its metric identifier; read them while the job that registered them is alive or after it ended. */
    public static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

    public static Configuration configure(Configuration conf) {
        conf.setString("metrics.reporter.counting.factory.class", Factory.class.getName());
        return conf;
    }

    /** The sum of every counter whose identifier ends with {@code suffix}, e.g. {@code camera.cam.gaps}. */
    public static long sum(String suffix) {
        return COUNTERS.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToLong(e -> e.getValue().getCount()).sum();
    }

    /** The sum of the counters whose identifier contains {@code part} (e.g. a job name) and ends with {@code suffix}. */
    public static long sum(String part, String suffix) {
        return COUNTERS.entrySet().stream().filter(e -> e.getKey().contains(part) && e.getKey().endsWith(suffix)).mapToLong(e -> e.getValue().getCount()).sum();
    }

    /** The value of the one gauge whose identifier contains {@code part} and ends with {@code suffix}; null when none. */
    public static Object gauge(String part, String suffix) {
        return GAUGES.entrySet().stream().filter(e -> e.getKey().contains(part) && e.getKey().endsWith(suffix)).map(e -> (Object) e.getValue().getValue())
                .findFirst().orElse(null);
    }

    @Override public void open(MetricConfig config) {}
    @Override public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter c) COUNTERS.put(group.getMetricIdentifier(name), c);
        if (metric instanceof Gauge<?> g) GAUGES.put(group.getMetricIdentifier(name), g);
    }

    @Override public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CountingReporter();
        }
    }
}
