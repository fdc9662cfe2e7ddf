package dev.winnow.runtime;

import dev.winnow.runtime.graph.Graph;
import dev.winnow.runtime.graph.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a model costs: parameters, multiply-accumulates per prediction, artifact bytes and peak arena RAM. */
public record ModelReport(String name, String family, long parameters, long macs, long artifactBytes,
                          long arenaBytes, long unplannedBytes, List<OpLine> ops) {

    /** One row per op, for `winnow inspect`. */
    public record OpLine(String name, String type, String output, long parameters, long macs) {}

    static ModelReport of(String name, String family, Graph graph, long artifactBytes) {
        List<OpLine> lines = new ArrayList<>();
        for (Op op : graph.ops()) {
            lines.add(new OpLine(op.name(), op.type(), op.outputCount() > 0 ? op.output(0).toString() : "",
                    op.parameterCount(), op.macs()));
        }
        return new ModelReport(name, family, graph.parameterCount(), graph.macs(), artifactBytes,
                graph.plan().arenaBytes(), graph.plan().unplannedBytes(), List.copyOf(lines));
    }

    /** A compact one-table summary. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-24s %-18s %-34s %10s %12s%n", "op", "type", "output", "params", "MACs"));
        for (OpLine l : ops) {
            sb.append(String.format(Locale.ROOT, "%-24s %-18s %-34s %10d %12d%n",
                    clip(l.name(), 24), l.type(), clip(l.output(), 34), l.parameters(), l.macs()));
        }
        sb.append(String.format(Locale.ROOT,
                "model %s (%s): %,d parameters, %,d MACs, artifact %,d B, peak arena %,d B (%,d B without planning)%n",
                name, family, parameters, macs, artifactBytes, arenaBytes, unplannedBytes));
        return sb.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
