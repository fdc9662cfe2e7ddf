package dev.winnow.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TeacherBenchmarks} (JMH, one thread) and, in the same run, TensorFlow.js (wasm backend,
 * node, tools/tfjs-reference/golden.mjs) on the same 512x512 input, one thread, then prints both and
 * the ratio. Run from the repository root after the teacher's golden test has written its inputs.
 */
public final class TeacherThroughput {
    private static final Pattern MEDIAN = Pattern.compile("median[^0-9]*([0-9]+(?:\\.[0-9]+)?)\\s*ms");

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".").toAbsolutePath().normalize();
        var opts = new OptionsBuilder().include(TeacherBenchmarks.class.getName()).forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(4)).measurementIterations(5).measurementTime(TimeValue.seconds(4))
                .jvmArgsAppend("-Dwinnow.root=" + root);
        var results = new Runner(opts.build()).run();
        double tfjsMs = tfjs(root, args.length > 0 ? Integer.parseInt(args[0]) : 20);
        System.out.printf(Locale.ROOT, "%nJava %s, one thread, CenterNet 512x512 (vtest frame 720, letterboxed)%n", Runtime.version());
        System.out.printf(Locale.ROOT, "%-40s %10s %10s %14s%n", "engine", "frames/s", "ms each", "vs TF.js wasm");
        for (RunResult r : results) {
            double fps = r.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "%-40s %10.2f %10.1f %13.2fx%n", "Winnow float32", fps, 1000 / fps, tfjsMs > 0 ? tfjsMs / (1000 / fps) : Double.NaN);
        }
        if (tfjsMs > 0) System.out.printf(Locale.ROOT, "%-40s %10.2f %10.1f %13.2fx%n", "TensorFlow.js 4.22.0 wasm (node, 1 thread)", 1000 / tfjsMs, tfjsMs, 1.0);
    }

    /** Median ms per frame of TF.js on the same input, or -1 (with the reason printed) when it cannot run. */
    static double tfjs(Path root, int repeat) throws Exception {
        Path tool = root.resolve("tools/tfjs-reference/golden.mjs");
        Path input = root.resolve(TeacherBenchmarks.INPUT);
        if (!Files.exists(tool) || !Files.exists(input)) {
            System.out.println("TF.js reference not run: " + (Files.exists(tool) ? input : tool) + " is missing");
            return -1;
        }
        Path inputs = Files.createTempDirectory("teacher-bench");
        Files.copy(input, inputs.resolve(input.getFileName()));
        List<String> cmd = new ArrayList<>(List.of("node", tool.toString(), "--model", root.resolve("models/teacher/centernet").toString(),
                "--inputs", inputs.toString(), "--out", inputs.resolve("out").toString(), "--repeat", String.valueOf(repeat), "--no-write"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.MINUTES);
        Matcher m = MEDIAN.matcher(out);
        double ms = -1;
        while (m.find()) ms = Double.parseDouble(m.group(1));
        if (ms < 0) System.out.println("TF.js reference gave no timing:\n" + out);
        return ms;
    }
}
