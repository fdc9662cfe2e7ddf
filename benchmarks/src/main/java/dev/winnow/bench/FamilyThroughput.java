package dev.winnow.bench;

import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link FamilyBenchmarks} and prints predictions per second per core and microseconds each. */
public final class FamilyThroughput {
    public static void main(String[] args) throws Exception {
        var results = new Runner(new OptionsBuilder().include(FamilyBenchmarks.class.getName())
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1)).build()).run();
        System.out.printf(Locale.ROOT, "%nJava %s, one thread%n%-28s %16s %12s%n", Runtime.version(), "model", "predictions/s", "µs each");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            double ops = r.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "%-28s %16.0f %12.2f%n", name, ops, 1e6 / ops);
        }
    }
}
