package dev.winnow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link DetectorBenchmarks} (JMH, one thread) and prints frames per second per core for the
 * float and int8 person detectors, with the teacher's (OpenCV HOG, timed by
 * scripts/detector/label-teacher.py on one thread) beside them. Run from the repository root.
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
        for (String f : new String[] {"data/detector/teacher-holdout-timing.txt", "data/detector/teacher-timing.txt"}) {
            Path p = Path.of(f);
            if (!Files.exists(p)) continue;
            for (String kv : Files.readString(p).trim().split("\\s+")) {
                if (kv.startsWith("fps=")) {
                    double fps = Double.parseDouble(kv.substring(4));
                    System.out.printf(Locale.ROOT, "%-34s %12.2f %10.1f   (python3-opencv, %s)%n", "teacher OpenCV HOG 1.6x upscale", fps, 1000 / fps, f);
                }
            }
            break;
        }
    }
}
