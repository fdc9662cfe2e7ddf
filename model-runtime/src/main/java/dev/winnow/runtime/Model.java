package dev.winnow.runtime;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.InputSpec;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Graph;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.graph.OpRegistry;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.ops.BuiltinOps;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A loaded model: the artifact, its graph of ready ops and its memory plan. Immutable and
 * thread-safe; every thread that runs it takes its own {@link #newInterpreter() interpreter}, which
 * owns the arena the plan sized.
 */
public final class Model {
    private final Artifact artifact;
    private final Graph graph;
    private final ModelReport report;

    private Model(Artifact artifact, Graph graph) {
        this.artifact = artifact;
        this.graph = graph;
        Metadata m = artifact.metadata();
        this.report = ModelReport.of(m.name(), m.family(), graph, artifact);
    }

    public static Model load(Path file) throws IOException, ModelFormatException {
        return fromArtifact(ArtifactReader.read(file));
    }

    public static Model load(byte[] bytes) throws ModelFormatException {
        return fromArtifact(ArtifactReader.read(bytes));
    }

    public static Model fromArtifact(Artifact artifact) throws ModelFormatException {
        return fromArtifact(artifact, BuiltinOps.REGISTRY);
    }

    public static Model fromArtifact(Artifact artifact, OpRegistry ops) throws ModelFormatException {
        return new Model(artifact, GraphLoader.load(artifact, ops));
    }

    public String name() { return artifact.metadata().name(); }
    public String family() { return artifact.metadata().family(); }
    public Metadata metadata() { return artifact.metadata(); }
    public Artifact artifact() { return artifact; }
    public InputSpec inputSpec() { return artifact.metadata().inputSpec(); }
    public String sha256Hex() { return artifact.sha256Hex(); }
    public ModelReport report() { return report; }

    public TensorSpec input(int i) { return graph.inputs().get(i); }
    public int inputCount() { return graph.inputs().size(); }
    public TensorSpec output(int i) { return graph.outputs().get(i); }
    public int outputCount() { return graph.outputs().size(); }

    /** A fresh interpreter with its own arena; one per thread. */
    public Interpreter newInterpreter() {
        return new Interpreter(graph);
    }

    @Override
    public String toString() {
        return "Model{" + name() + " (" + family() + "), " + report.macs() + " MACs, arena " + report.arenaBytes() + " B}";
    }
}
