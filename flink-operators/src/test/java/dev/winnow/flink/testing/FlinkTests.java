package dev.winnow.flink.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

/**
 * MiniCluster set-up shared by the tests of flink-operators and connectors (through this module's
 * test-jar): 1 TaskManager x 2 slots, and environments whose restart strategy is explicit, because the
 * default with checkpointing retries a failing job forever and hangs the build.
 */
public final class FlinkTests {
    private FlinkTests() {}

    public static MiniClusterExtension miniCluster() {
        return miniCluster(new Configuration());
    }

    /** A MiniCluster whose metrics the test reads from {@code reporter}. */
    public static MiniClusterExtension miniCluster(InMemoryReporter reporter) {
        return miniCluster(reporter.addToConfiguration(new Configuration()));
    }

    private static MiniClusterExtension miniCluster(Configuration conf) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(conf)
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }

    /** An environment on the MiniCluster where a failing job fails the test instead of restarting. */
    public static StreamExecutionEnvironment env(int parallelism, long checkpointMillis) {
        return env(new Configuration(), parallelism, checkpointMillis);
    }

    /**
     * An environment for tests that fail a task on purpose and check the restore: it restarts at most
     * {@code attempts} times, {@code delay} apart, then fails the job (and the test).
     */
    public static StreamExecutionEnvironment restartingEnv(int parallelism, long checkpointMillis, int attempts, Duration delay) {
        return env(restarting(new Configuration(), attempts, delay), parallelism, checkpointMillis);
    }

    /** What the stream of a bounded job carried, in arrival order, and the job's id (to read its metrics). */
    public record Run<T>(List<T> records, JobID jobId) {}

    /**
     * Runs the job {@code stream} belongs to until it ends and collects what the stream carried; a failed
     * job throws. The records are a mutable list the test may sort.
     */
    public static <T> Run<T> runToEnd(DataStream<T> stream, String jobName) throws Exception {
        List<T> records = new ArrayList<>();
        try (CloseableIterator<T> it = stream.collectAsync()) {
            JobClient job = stream.getExecutionEnvironment().executeAsync(jobName);
            it.forEachRemaining(records::add);
            job.getJobExecutionResult().get();
            return new Run<>(records, job.getJobID());
        }
    }

    /** Sets a fixed-delay restart strategy on {@code conf}, for tests that build their own configuration. */
    public static Configuration restarting(Configuration conf, int attempts, Duration delay) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        return conf;
    }

    /**
     * An environment with the test's own settings in {@code conf}; without a restart strategy there
     * (see {@link #restarting}) a failing job is not restarted.
     */
    public static StreamExecutionEnvironment env(Configuration conf, int parallelism, long checkpointMillis) {
        if (!conf.contains(RestartStrategyOptions.RESTART_STRATEGY)) conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        if (checkpointMillis > 0) env.enableCheckpointing(checkpointMillis);
        return env;
    }
}
