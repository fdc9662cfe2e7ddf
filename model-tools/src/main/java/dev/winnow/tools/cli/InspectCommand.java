package dev.winnow.tools.cli;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow inspect model.wnm}: metadata, size per tensor, and the model's ops, MACs and peak RAM. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show an artifact: metadata, tensors, ops, MACs, peak arena RAM.")
final class InspectCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(description = "artifact (.wnm)") Path file;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Artifact a = ArtifactReader.read(file);   // an invalid artifact: exit 3 (Exits)
        out.printf("%s  family %s  format %d.%d  %,d B  sha256 %s  %s%n", a.metadata().name(), a.metadata().family(), a.majorVersion(),
                a.minorVersion(), a.sizeBytes(), a.sha256Hex().substring(0, 16), a.signature().isPresent() ? "signed" : "unsigned");
        out.printf("input %s   metrics %s%n%n", a.metadata().inputSpec(), a.metadata().metrics());
        out.printf("%-28s %-8s %-10s %-22s %10s%n", "tensor", "dtype", "codec", "shape", "bytes");
        for (TensorData t : a.tensors()) {
            out.printf("%-28s %-8s %-10s %-22s %10d%n", t.name(), t.dtype(), t.codec() + (t.huffmanCoded() ? "+H" : ""),
                    java.util.Arrays.toString(t.shape()), t.storedBytes());
        }
        out.println();
        if (a.metadata().graph().isPresent()) {
            try {
                out.print(Model.fromArtifact(a).report().toTable());
            } catch (ModelFormatException e) {
                throw new ModelFormatException("graph does not load: " + e.getMessage(), e);
            }
        }
        return 0;
    }
}
