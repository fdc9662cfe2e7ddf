package dev.winnow.examples.io;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/**
 * Where an example job writes and how wide it runs, and the run itself: build the graph at
 * --parallelism, execute it to its end, and hand back the time taken and the local output directory
 * the job's report is written from. Each job gives its own defaults.
 */
public final class RunOptions {
    /** How often the jobs checkpoint, so also about how long their outputs wait to be committed. */
    public static final long CHECKPOINT_MILLIS = 2_000;

    @Option(names = "--out", description = "output directory (its previous outputs are replaced) or file system URI (s3://, hdfs://) "
            + "(default: ${DEFAULT-VALUE})")
    public String out;

    @Option(names = "--parallelism", description = "parallelism of the job's operators (default: ${DEFAULT-VALUE})")
    public int parallelism;

    /** The job's graph on an environment, as {@code build} methods write it. */
    public interface Graph {
        void build(StreamExecutionEnvironment env) throws Exception;
    }

    /** A finished run: its wall time, and the local output directory (null when --out is a remote file system). */
    public record Finished(double seconds, Path local) {
        /** Where the job's HTML report goes. */
        public Path reportPage() {
            return local.resolve("report.html");
        }
    }

    public RunOptions(String defaultOut, int defaultParallelism) {
        this.out = defaultOut;
        this.parallelism = defaultParallelism;
    }

    public OutputDir output() {
        return OutputDir.of(out);
    }

    /**
     * The start of every job's graph: a checkpoint every {@link #CHECKPOINT_MILLIS}, which the jobs'
     * exactly-once sinks (CSV part files, Kafka transactions) commit on, and the output directory with
     * the previous run's {@code outputs} deleted from a local one, so the report reads this run's only.
     */
    public OutputDir begin(StreamExecutionEnvironment env, String... outputs) throws java.io.IOException {
        env.enableCheckpointing(CHECKPOINT_MILLIS);
        OutputDir output = output();
        output.clearLocal(outputs);
        return output;
    }

    /**
     * Builds the graph at --parallelism and runs it as {@code winnow <job>} to its end. Reports are written only
     * for a local --out of an attached run: for a remote one this prints where the outputs are, for a detached
     * submission ({@code flink run -d}) the job id, and the result has no local directory.
     */
    public Finished run(String job, Graph graph) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        graph.build(env);
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("winnow " + job);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!result.isJobExecutionResult()) {
            // `flink run -d`: the client returns once the job is submitted, before any output exists to report on
            System.out.printf(Locale.ROOT, "%s submitted detached as job %s; outputs in %s as it runs (no report: the client does not wait)%n",
                    job, result.getJobID(), out);
            return new Finished(seconds, null);
        }
        Path local = output().local();
        if (local == null) {
            System.out.printf(Locale.ROOT, "%s finished in %.1f s; outputs in %s (reports are written for local output directories)%n", job, seconds, out);
        }
        return new Finished(seconds, local);
    }
}
