package dev.winnow.tools.cli;

import dev.winnow.runtime.Model;
import dev.winnow.tools.imports.EdgeMlImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow import}: EdgeML's saved .npy parameters into a .wnm artifact. */
@Command(name = "import", description = "Import a model EdgeML saved as .npy files (Bonsai, ProtoNN, FastGRNN).")
final class ImportCommand implements Callable<Integer> {
    enum Family { bonsai, protonn, fastgrnn }

    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "family: ${COMPLETION-CANDIDATES}") Family family;
    @Parameters(index = "1", description = "directory with the .npy files") Path dir;
    @Option(names = {"-o", "--output"}, required = true, description = "artifact to write") Path output;
    @Option(names = "--name", description = "model name (default: the directory's name)") String name;
    @Option(names = "--sigma", defaultValue = "1.0", description = "Bonsai's sigma (hyperParam.npy is a pickle, so it is given here)") float sigma;
    @Option(names = "--steps", description = "FastGRNN sequence length") Integer steps;

    @Override
    public Integer call() throws Exception {
        String n = name != null ? name : dir.toAbsolutePath().getFileName().toString().toLowerCase();
        byte[] bytes;
        switch (family) {
            case bonsai: bytes = EdgeMlImporter.bonsai(dir, n, sigma); break;
            case protonn: bytes = EdgeMlImporter.protoNn(dir, n); break;
            default:
                if (steps == null) throw new CommandLine.ParameterException(spec.commandLine(), "FastGRNN needs --steps");
                bytes = EdgeMlImporter.fastGrnn(dir, n, steps);
        }
        Model m = Model.load(bytes);
        Files.write(output, bytes);
        spec.commandLine().getOut().print(m.report().toTable());
        spec.commandLine().getOut().println("wrote " + output);
        return 0;
    }
}
