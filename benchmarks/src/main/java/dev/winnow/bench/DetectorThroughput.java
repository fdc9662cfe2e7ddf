package dev.winnow.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link DetectorBenchmarks} (JMH, one thread) and prints frames per second per core for the
 * float and int8 person detectors on a vtest frame converted as the Flink frame operator converts it
 * ({@code TeacherThroughput} times the CenterNet teacher). Run from the repository root.
 */
public final class DetectorThroughput {
    public static void main(String[] args) throws Exception {
        var opts = new OptionsBuilder().include(DetectorBenchmarks.class.getName()).forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Dwinnow.root=" + Path.of(".").toAbsolutePath().normalize());
        var results = new Runner(opts.build()).run();
        System.out.printf(Locale.ROOT, "%nJava %s, one thread, 320x240 frame%n%-34s %12s %10s%n", Runtime.version(), "model", "frames/s", "ms each");
        for (RunResult r : results) {
            double fps = r.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "%-34s %12.1f %10.2f%n", "student " + r.getParams().getParam("variant"), fps, 1000 / fps);
        }
    }
}
