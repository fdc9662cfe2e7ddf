package dev.winnow.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link KernelBenchmarks} with JMH and prints GMAC/s per kernel and path, one table.
 * {@code java -jar benchmarks/target/benchmarks.jar} runs JMH directly; this main adds the ratios.
 */
public final class KernelThroughput {
    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder()
                .include(KernelBenchmarks.class.getName() + "|" + BinaryKernelBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "-Dwinnow.kernels.vector=true")
                .shouldDoGC(false)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        System.out.println();
        System.out.printf(Locale.ROOT, "Java %s, %d cores%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-26s %-8s %14s %12s%n", "kernel", "path", "calls/s", "GMAC/s");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            String path = r.getParams().getParam("path");
            if (r.getParams().getBenchmark().contains("BinaryKernelBenchmark")) {
                shape = "binary_dense:4096->1024";
                path = "popcount";
            }
            double ops = r.getPrimaryResult().getScore();
            double g = ops * KernelBenchmarks.macs(shape) / 1e9;
            System.out.printf(Locale.ROOT, "%-26s %-8s %14.1f %12.2f%s%n", shape, path, ops, g,
                    shape.startsWith("binary") ? " (G binary ops/s)" : "");
        }
    }
}
