package dev.winnow.connectors.testing;

import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** Sums a counter over all subtasks of a finished job, from an {@link InMemoryReporter} that retains metrics. */
public final class Metrics {
    private Metrics() {}

    public static long sumCounters(InMemoryReporter reporter, JobID job, String name) {
        long sum = 0;
        int found = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> e : reporter.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(e.getKey().getAllVariables().get("<job_id>"))) continue;
            Metric m = e.getValue().get(name);
            if (m instanceof Counter) {
                sum += ((Counter) m).getCount();
                found++;
            }
        }
        if (found == 0) throw new AssertionError("no counter named " + name + " in job " + job);
        return sum;
    }

    /** The counter's sum once it reaches {@code expected}, or its last value after 5 s. */
    public static long waitForCounter(InMemoryReporter reporter, JobID job, String name, long expected)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        long v = sumCounters(reporter, job, name);
        while (v != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            v = sumCounters(reporter, job, name);
        }
        return v;
    }
}
