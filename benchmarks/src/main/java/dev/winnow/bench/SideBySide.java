package dev.winnow.bench;

import dev.winnow.tools.onnx.OnnxExport;
import dev.winnow.tools.onnx.OnnxExportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link SideBySideBenchmarks} for every case (or those named on the command line) in Winnow and
 * in ONNX Runtime and prints one table and one CSV block {@code case,jdk,winnow,onnxruntime,unit,ratio}
 * (ratio = Winnow / ONNX Runtime, both throughputs). Each figure is the best one-second iteration
 * of the case's fork: the two cores here are shared with other builds, and the best iteration is the
 * one least disturbed by them (a mean mixes in however busy the machine was). A case whose export
 * ONNX cannot express is timed in Winnow alone and printed {@code n/a} with the reason.
 * {@code --quick}: 3 warm-up and 5 measured iterations instead of 5 and 10.
 */
public final class SideBySide {
    private SideBySide() {}

    record Row(String name, String unit, double winnow, double ort, String reason) {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        List<String> names = new ArrayList<>();
        for (String a : args) if (!a.startsWith("--")) names.add(a);
        if (names.isEmpty()) names.addAll(SideBySideCases.NAMES);
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String jdk = Runtime.version().feature() + (vector ? "+vector" : "");
        List<Row> rows = new ArrayList<>();
        for (String name : names) rows.add(run(name, quick, vector));
        print(rows, jdk);
    }

    private static Row run(String name, boolean quick, boolean vector) throws Exception {
        SideBySideCases.Case c;
        try {
            c = SideBySideCases.build(name);
        } catch (java.nio.file.NoSuchFileException e) {
            return new Row(name, "-", Double.NaN, Double.NaN, "missing " + e.getFile());
        }
        String reason = null;
        try {
            OnnxExport.toOnnx(c.model().artifact());
        } catch (OnnxExportException e) {
            reason = e.getMessage();
        }
        if (reason == null) {
            // the twins must agree before either is timed; a disagreement ends the run here
            try (OrtTwin t = new OrtTwin(c.model(), c.input())) {
                for (String line : t.check(c.floatTol(), c.int8Codes(), c.floatAbs()).split("\n")) System.out.println(name + ": " + line);
            }
        }
        ChainedOptionsBuilder o = new OptionsBuilder().include(SideBySideBenchmarks.class.getName() + ".call")
                .param("name", name).param("runtime", reason == null ? new String[] {"winnow", "onnxruntime"} : new String[] {"winnow-only"})
                .forks(1).shouldDoGC(false).verbosity(VerboseMode.SILENT)
                .warmupIterations(quick ? 3 : 5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 5 : 10).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Dwinnow.root=" + System.getProperty("winnow.root", "."));
        if (vector) o = o.jvmArgsPrepend("--add-modules", "jdk.incubator.vector");
        Map<String, Double> score = new LinkedHashMap<>();
        for (RunResult r : new Runner(o.build()).run()) score.put(r.getParams().getParam("runtime"), r.getPrimaryResult().getStatistics().getMax() * c.perCall());
        double w = score.getOrDefault("winnow", score.getOrDefault("winnow-only", Double.NaN));
        return new Row(name, c.unit(), w, score.getOrDefault("onnxruntime", Double.NaN), reason);
    }

    private static void print(List<Row> rows, String jdk) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Java %s (%s), %d cores, ONNX Runtime 1.20.0 on one intra-op thread; best 1 s iteration of each%n", Runtime.version(), jdk,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-16s %12s %12s %-9s %7s%n", "case", "winnow", "onnxruntime", "unit", "ratio");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-16s %12s %12s %-9s %7s%s%n", r.name, fmt(r.winnow), fmt(r.ort), r.unit, ratio(r),
                    r.reason == null ? "" : "  (ONNX: " + r.reason + ")");
        }
        System.out.println();
        System.out.println("case,jdk,winnow,onnxruntime,unit,ratio");
        for (Row r : rows) {
            String ort = r.reason == null ? fmt(r.ort) : "n/a: " + r.reason.split(";")[0].replace(',', ' ');
            System.out.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%s%n", r.name, jdk, fmt(r.winnow), ort, r.unit, ratio(r));
        }
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String ratio(Row r) {
        return Double.isNaN(r.winnow) || Double.isNaN(r.ort) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.winnow / r.ort);
    }
}
