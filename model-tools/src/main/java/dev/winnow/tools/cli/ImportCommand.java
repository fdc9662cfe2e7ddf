package dev.winnow.tools.cli;

import dev.winnow.runtime.Model;
import dev.winnow.tools.imports.EdgeMlImporter;
import dev.winnow.tools.imports.tfjs.TfjsImporter;
import dev.winnow.tools.imports.tfjs.TfjsModel;
import dev.winnow.tools.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow import}: EdgeML's saved .npy parameters, or a TensorFlow.js graph model, into a .wnm artifact. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a model into a .wnm artifact:",
                "  bonsai, protonn, fastgrnn: the .npy files Microsoft EdgeML saves;",
                "  tfjs: a TensorFlow.js graph model (model.json and its weight shards)."})
final class ImportCommand implements Callable<Integer> {
    enum Family { bonsai, protonn, fastgrnn, tfjs }

    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "family: ${COMPLETION-CANDIDATES}") Family family;
    @Parameters(index = "1", description = "directory with the .npy files, or with the TF.js model.json (or that file)") Path dir;
    @Option(names = {"-o", "--output"}, required = true, description = "artifact to write") Path output;
    @Option(names = "--name", description = "model name (default: the directory's name)") String name;
    @Option(names = "--sigma", defaultValue = "1.0", description = "Bonsai's sigma (hyperParam.npy is a pickle, so it is given here)") float sigma;
    @Option(names = "--steps", description = "FastGRNN sequence length") Integer steps;
    @Option(names = "--outputs", split = ",", description = "tfjs: the graph's outputs (TF node names; default: the signature's outputs)") List<String> outputs;
    @Option(names = "--keep", split = ",", description = "tfjs: intermediate tensors (TF node names) to keep as extra outputs") List<String> keep;
    @Option(names = "--labels", description = "tfjs: a text file of class names, one per line (written to the metadata)") Path labels;
    @Option(names = "--no-fuse", description = "tfjs: translate op for op, without fusing activations and hard swish") boolean noFuse;

    @Override
    public Integer call() throws Exception {
        String n = name != null ? name : dir.toAbsolutePath().getFileName().toString().toLowerCase();
        if (family == Family.tfjs) return tfjs();
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

    private Integer tfjs() throws Exception {
        long t0 = System.nanoTime();
        TfjsModel tf = TfjsModel.read(dir);
        Path json = Files.isDirectory(dir) ? dir.toAbsolutePath() : dir.toAbsolutePath().getParent();
        TfjsImporter.Options o = new TfjsImporter.Options()
                .name(name != null ? name : json.getFileName().toString().toLowerCase())
                .fuse(!noFuse);
        if (outputs != null) o.outputs(outputs);
        if (keep != null) o.extraOutputs(keep);
        if (labels != null) o.labels(Files.readAllLines(labels).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        TfjsImporter.Result r = TfjsImporter.translate(tf, o);
        Model m = Model.load(r.artifact());
        AtomicFiles.write(output, r.artifact());
        var out = spec.commandLine().getOut();
        out.print(m.report().toTable());
        out.printf("TF ops %s%nWinnow ops %s%nfused nodes %d, CenterNet decode tail %s%n", r.tfOps(), r.winnowOps(), r.fused(), r.decodeTail() ? "replaced by centernet_decode" : "none");
        out.printf("wrote %s (%d bytes) in %.1f s%n", output, r.artifact().length, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
