package dev.winnow.runtime;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.graph.Graph;
import dev.winnow.runtime.graph.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a model costs: parameters, multiply-accumulates per prediction, artifact bytes and peak arena RAM. */
public record ModelReport(String name, String family, long parameters, long macs, long artifactBytes,
                          long arenaBytes, long unplannedBytes, List<OpLine> ops) {

    /** One row per op, for `winnow inspect`: its weights' bytes as stored in the artifact, and its MACs. */
    public record OpLine(String name, String type, String output, long parameters, long weightBytes, long macs) {}

    static ModelReport of(String name, String family, Graph graph, Artifact artifact) {
        Map<String, Long> bytes = weightBytesByNode(artifact);
        List<OpLine> lines = new ArrayList<>();
        for (Op op : graph.ops()) {
            lines.add(new OpLine(op.name(), op.type(), op.outputCount() > 0 ? op.output(0).toString() : "",
                    op.parameterCount(), bytes.getOrDefault(op.name(), 0L), op.macs()));
        }
        long artifactBytes = artifact.sizeBytes();
        return new ModelReport(name, family, graph.parameterCount(), graph.macs(), artifactBytes,
                graph.plan().arenaBytes(), graph.plan().unplannedBytes(), List.copyOf(lines));
    }

    /** Bytes each node's weights take in the artifact; a tensor shared by two nodes counts for both. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> weightBytesByNode(Artifact artifact) {
        Map<String, Long> out = new HashMap<>();
        Object nodes = artifact.metadata().graph().map(g -> g.get("nodes")).orElse(null);
        if (!(nodes instanceof List)) return out;
        for (Object o : (List<Object>) nodes) {
            if (!(o instanceof Map) || !(((Map<String, Object>) o).get("weights") instanceof Map)) continue;
            Map<String, Object> n = (Map<String, Object>) o;
            long sum = 0;
            for (Object t : ((Map<String, Object>) n.get("weights")).values()) {
                if (!(t instanceof String) || !artifact.hasTensor((String) t)) continue;
                try {
                    sum += artifact.tensor((String) t).storedBytes();
                } catch (dev.winnow.runtime.format.ModelFormatException e) {
                    throw new IllegalStateException(e); // hasTensor said it is there; a loaded artifact's tensors are all valid
                }
            }
            if (n.get("name") instanceof String) out.put((String) n.get("name"), sum);
        }
        return out;
    }

    /** A compact one-table summary. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-24s %-18s %-34s %10s %12s %12s%n", "op", "type", "output", "params", "weight B", "MACs"));
        for (OpLine l : ops) {
            sb.append(String.format(Locale.ROOT, "%-24s %-18s %-34s %10d %12d %12d%n",
                    clip(l.name(), 24), l.type(), clip(l.output(), 34), l.parameters(), l.weightBytes(), l.macs()));
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
