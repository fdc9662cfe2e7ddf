package dev.winnow.examples.testing;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
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

    public static Configuration configure(Configuration conf) {
        conf.setString("metrics.reporter.counting.factory.class", Factory.class.getName());
        return conf;
    }

    /** The sum of every counter whose identifier ends with {@code suffix}, e.g. {@code camera.cam.gaps}. */
    public static long sum(String suffix) {
        return COUNTERS.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToLong(e -> e.getValue().getCount()).sum();
    }

    @Override public void open(MetricConfig config) {}
    @Override public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter c) COUNTERS.put(group.getMetricIdentifier(name), c);
    }

    @Override public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CountingReporter();
        }
    }
}
