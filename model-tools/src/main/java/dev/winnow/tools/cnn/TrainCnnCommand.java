package dev.winnow.tools.cnn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code winnow train-cnn}: trains a Fashion-MNIST CNN (RNNPool, MBConv, conv, pooling and dense
 * layers from a spec string) and writes its float32 and int8 artifacts with the evaluation table.
 * A thin front for {@link FashionTrainer}; register it in WinnowCli's {@code subcommands}.
 */
@Command(name = "train-cnn", mixinStandardHelpOptions = true,
        description = "Train a small CNN on Fashion-MNIST (e.g. --spec c16k3s2-r4s2h8-mb2), export float32 and int8 .wnm, evaluate both through the runtime.")
public final class TrainCnnCommand implements Callable<Integer> {
    @Option(names = "--name", defaultValue = "fashion-cnn", description = "artifact base name (default: ${DEFAULT-VALUE})") String name;
    @Option(names = "--spec", defaultValue = "c16k3s2-r4s2h8-mb2", description = "layers, see FashionNet (default: ${DEFAULT-VALUE})") String spec;
    @Option(names = "--epochs", defaultValue = "8") int epochs;
    @Option(names = "--batch", defaultValue = "64") int batch;
    @Option(names = "--lr", defaultValue = "0.003") float lr;
    @Option(names = "--weight-decay", defaultValue = "0.0001") float weightDecay;
    @Option(names = "--smoothing", defaultValue = "0", description = "label smoothing") float smoothing;
    @Option(names = "--shift", description = "augment with random ±1 pixel shifts") boolean shift;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--threads", defaultValue = "2") int threads;
    @Option(names = "--limit", defaultValue = "0", description = "train on the first N images only (0: all)") int limit;
    @Option(names = "--calibration", defaultValue = "1000", description = "training images for int8 calibration") int calibration;
    @Option(names = "--data-path", description = "Fashion-MNIST directory (default: the Debian package's)") Path data;
    @Option(names = "--work", defaultValue = "model-tools/target/fashion", description = "where the trained parameters go") Path work;
    @Option(names = {"-o", "--out"}, defaultValue = "model-tools/target/fashion", description = "where the artifacts go") Path out;
    @Option(names = "--export-only", description = "load the parameters from --work instead of training") boolean exportOnly;

    @Override
    public Integer call() throws Exception {
        List<String> a = new ArrayList<>(List.of("--name", name, "--spec", spec, "--epochs", "" + epochs, "--batch", "" + batch, "--lr", "" + lr,
                "--weight-decay", "" + weightDecay, "--smoothing", "" + smoothing, "--shift", "" + shift, "--seed", "" + seed,
                "--threads", "" + threads, "--limit", "" + limit, "--calibration", "" + calibration, "--work", work.toString(), "--out", out.toString()));
        if (data != null) a.addAll(List.of("--data", data.toString()));
        if (exportOnly) a.add("--export-only");
        FashionTrainer.main(a.toArray(new String[0]));
        return 0;
    }
}
