package dev.winnow.tools.cnn;

import dev.winnow.tools.nn.OptimiserOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code winnow train-cnn}: trains a Fashion-MNIST CNN (RNNPool, MBConv, conv, pooling and dense
 * layers from a spec string) and writes its float32 and int8 artifacts with the evaluation table.
 * The options of {@link FashionTrainer}, which reads them from this object; register it in WinnowCli's
 * {@code subcommands}.
 */
@Command(name = "train-cnn", mixinStandardHelpOptions = true,
        description = "Train a small CNN on Fashion-MNIST (e.g. --spec c16k3s2-r4s2h8-mb2), export float32 and int8 .wnm, evaluate both through the runtime.")
public final class TrainCnnCommand implements Callable<Integer> {
    @Spec CommandSpec cli;
    @Option(names = "--name", defaultValue = "fashion-cnn", description = "artifact base name (default: ${DEFAULT-VALUE})") String name;
    @Option(names = "--spec", defaultValue = "c16k3s2-r4s2h8-mb2", description = "layers, see FashionNet (default: ${DEFAULT-VALUE})") String spec;
    @Mixin OptimiserOptions optimiser = OptimiserOptions.defaults().epochs(8).batch(64).lr(0.003).seed(1).threads(2);
    @Option(names = "--weight-decay", defaultValue = "0.0001", description = "Adam weight decay (default: ${DEFAULT-VALUE})") float weightDecay;
    @Option(names = "--smoothing", defaultValue = "0", description = "label smoothing (default: ${DEFAULT-VALUE})") float smoothing;
    @Option(names = "--shift", description = "augment with random ±1 pixel shifts") boolean shift;
    @Option(names = "--limit", defaultValue = "0", description = "train on the first N images only (0: all)") int limit;
    @Option(names = "--calibration", defaultValue = "1000", description = "training images for int8 calibration (default: ${DEFAULT-VALUE})") int calibration;
    @Option(names = {"--data-path", "--data"}, description = "Fashion-MNIST directory (default: the Debian package's)") Path data;
    @Option(names = "--work", defaultValue = "model-tools/target/fashion", description = "where the trained parameters go (default: ${DEFAULT-VALUE})") Path work;
    @Option(names = {"-o", "--out"}, defaultValue = "model-tools/target/fashion", description = "where the artifacts go (default: ${DEFAULT-VALUE})") Path out;
    @Option(names = "--export-only", description = "load the parameters from --work instead of training") boolean exportOnly;

    @Override
    public Integer call() throws Exception {
        optimiser.check(cli.commandLine());
        FashionTrainer.run(this);
        return 0;
    }
}
