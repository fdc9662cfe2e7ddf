package dev.winnow.examples.testing;

import dev.winnow.examples.io.RunOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster and environments the job tests run on. No restarts: a failing operator fails the
 * test at once instead of retrying until the timeout. With explicit uids, an operator the job left
 * without a uid fails the build of the graph, so the test also checks that every operator has one.
 */
public final class TestJobs {
    private TestJobs() {}

    /** One task manager with {@code slots} slots, for a test class's {@code @RegisterExtension}. */
    public static MiniClusterExtension cluster(int slots) {
        return cluster(new Configuration(), slots);
    }

    /** The same with a configuration (e.g. {@link CountingReporter#configure}). */
    public static MiniClusterExtension cluster(Configuration conf, int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(conf).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(slots).build());
    }

    /** An environment on the test's MiniCluster at {@code parallelism}, without restarts. */
    public static StreamExecutionEnvironment env(int parallelism) {
        return env(noRestarts(), parallelism);
    }

    /** The same, refusing operators without an explicit uid. */
    public static StreamExecutionEnvironment envWithExplicitUids(int parallelism) {
        Configuration conf = noRestarts();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        return env(conf, parallelism);
    }

    /** Builds {@code graph} on {@link #env} and runs it to its end as {@code name}. */
    public static void execute(String name, int parallelism, RunOptions.Graph graph) throws Exception {
        execute(env(parallelism), name, graph);
    }

    /** Builds {@code graph} on {@link #envWithExplicitUids} and runs it to its end as {@code name}. */
    public static void executeWithExplicitUids(String name, int parallelism, RunOptions.Graph graph) throws Exception {
        execute(envWithExplicitUids(parallelism), name, graph);
    }

    /** Something a test does beside a running job (move an alias, feed a topic). */
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Calls {@code job} on its own thread while {@code meanwhile} runs on another, and returns the job's exit code.
     * {@code timeout} guards against a job that would never end; a failure of either side fails the call.
     */
    public static int callWhile(Callable<Integer> job, Step meanwhile, Duration timeout) throws Exception {
        CompletableFuture<Void> side = CompletableFuture.runAsync(() -> {
            try {
                meanwhile.run();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        int code = CompletableFuture.supplyAsync(() -> {
            try {
                return job.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        side.get();
        return code;
    }

    private static void execute(StreamExecutionEnvironment env, String name, RunOptions.Graph graph) throws Exception {
        graph.build(env);
        env.execute(name);
    }

    private static Configuration noRestarts() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    private static StreamExecutionEnvironment env(Configuration conf, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }
}
