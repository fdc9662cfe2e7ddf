package dev.winnow.tools.eval;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.tools.data.Dataset;
import java.util.List;
import java.util.Locale;

/** One model's figures for the tables every step prints: size, parameters, MACs, peak RAM, accuracy. */
public record Measured(String step, long bytes, long parameters, long macs, long arenaBytes, double accuracy, String note) {
    public static Measured of(String step, byte[] artifact, Dataset test, int threads, String note) throws ModelFormatException {
        Model m = Model.load(artifact);
        double acc = test == null ? Double.NaN : Evaluator.evaluate(m, test, threads).accuracy();
        return new Measured(step, artifact.length, m.report().parameters(), m.report().macs(), m.report().arenaBytes(), acc, note);
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-26s %9s %8s %8s %9s %9s  %s%n", "step", "bytes", "params", "MACs", "peak RAM", "accuracy", "");
    }

    public String row() {
        return String.format(Locale.ROOT, "%-26s %9d %8d %8d %9d %9s  %s%n", step, bytes, parameters, macs, arenaBytes,
                Double.isNaN(accuracy) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * accuracy), note == null ? "" : note);
    }

    public static String table(List<Measured> rows) {
        StringBuilder sb = new StringBuilder(header());
        for (Measured r : rows) sb.append(r.row());
        return sb.toString();
    }
}
