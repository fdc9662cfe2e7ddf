package dev.winnow.tools.cli;

import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.tools.io.AtomicFiles;
import dev.winnow.tools.onnx.GraphSlice;
import dev.winnow.tools.onnx.OnnxExport;
import dev.winnow.tools.onnx.OnnxExportException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code winnow export}: an artifact in another runtime's format. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write an artifact in another runtime's format.",
        subcommands = ExportCommand.Onnx.class)
final class ExportCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code winnow export onnx --model m.wnm --out m.onnx}. */
    @Command(name = "onnx", mixinStandardHelpOptions = true,
            description = {"Export a graph artifact as an ONNX model (opset 17) with the same weights.",
                "HWC tensors become NCHW with a batch of one; int8 graphs stay int8 (QLinearConv, QuantizeLinear, DequantizeLinear).",
                "RNNPool, FastGRNN and float Bonsai are unrolled into standard ops; ops with no ONNX form here (detect, centernet_decode, protonn, int8 lookup-table activations, ...) are refused by name."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:written", "2:usage error", "3:not a valid artifact", "7:the artifact cannot be read",
                "8:the graph holds an op or tensor type with no ONNX export (nothing written)"})
    static final class Onnx implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", required = true, description = "artifact to export (.wnm)") Path model;
        @Option(names = "--out", required = true, description = "ONNX file to write") Path out;
        @Option(names = "--stop-before", paramLabel = "NODE", description = "export only the nodes before this one (e.g. the detector's 'detect'); "
                + "tensors they write that nothing after reads become the outputs") String stopBefore;

        @Override
        public Integer call() throws Exception {
            Artifact a = ArtifactReader.read(model);
            if (stopBefore != null) a = ArtifactReader.read(GraphSlice.before(a, stopBefore));
            byte[] onnx;
            try {
                onnx = OnnxExport.toOnnx(a);
            } catch (OnnxExportException e) {
                spec.commandLine().getErr().println("winnow: cannot export " + model + " to ONNX: " + e.getMessage());
                return Exits.BAD_DATA;
            }
            AtomicFiles.write(out, onnx);
            spec.commandLine().getOut().printf("wrote %s (%,d bytes, ONNX opset 17) from %s%n", out, onnx.length, a.metadata().name());
            return Exits.OK;
        }
    }
}
