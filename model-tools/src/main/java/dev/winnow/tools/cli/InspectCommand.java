package dev.winnow.tools.cli;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.kernel.KernelDispatch;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow inspect model.wnm}: metadata, size per tensor, and the model's ops, MACs and peak RAM. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = {"Show an artifact: metadata, tensors, ops, MACs, peak arena RAM.",
        "With --bench: each op's time per call on this machine and the kernel variant chosen for it (-Dwinnow.kernels=shape|timed|reference sets how)."})
final class InspectCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(description = "artifact (.wnm)") Path file;
    @CommandLine.Option(names = "--bench", description = "time every op on this machine and show the kernel chosen for it") boolean bench;
    @CommandLine.Option(names = "--runs", defaultValue = "200", description = "calls per op for --bench, after as many warm-up runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (runs < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1, not " + runs);
        try {
            KernelDispatch.mode();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() + " (-Dwinnow.kernels)");
        }
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
            Model model;
            try {
                model = Model.fromArtifact(a);
            } catch (ModelFormatException e) {
                throw new ModelFormatException("graph does not load: " + e.getMessage(), e);
            }
            out.print(model.report().toTable());
            if (bench) {
                out.println();
                out.print(OpTimings.table(model, runs));
            }
        }
        return 0;
    }
}
