package dev.winnow.tools.cli;

import dev.winnow.registry.cli.Exits;
import dev.winnow.tools.compress.Compressor;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.eval.Measured;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.model.TensorEncoding;
import dev.winnow.tools.train.ModelExport;
import dev.winnow.tools.train.TrainableModel;
import dev.winnow.tools.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code winnow compress}: prune (with fine-tuning), then int8 or weight sharing, then Huffman, or a
 * budget search; prints one row per step (bytes, parameters, MACs, peak RAM, test accuracy).
 */
@Command(name = "compress", mixinStandardHelpOptions = true, description = "Compress a Bonsai or ProtoNN artifact: --prune, --binarize, --int8 (with quantization-aware fine-tuning when it loses > 1 point) | --share-bits, --huffman; or a budget search: --budget BYTES and/or --max-ram BYTES.")
final class CompressCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "artifact to compress (.wnm, bonsai or protonn)") Path input;
    @Mixin DataOptions data = new DataOptions();
    @Option(names = {"-o", "--out"}, required = true, description = "compressed artifact to write") Path out;
    @Option(names = "--prune", defaultValue = "0", description = "fraction of each pruned matrix set to zero (magnitude pruning)") double prune;
    @Option(names = "--prune-tensors", split = ",", description = "matrices to prune (default: bonsai Z, protonn Z)") List<String> pruneTensors;
    @Option(names = "--fine-tune-epochs", defaultValue = "5", description = "epochs of fine-tuning after --prune or --binarize (default: ${DEFAULT-VALUE})") int fineTuneEpochs;
    @Option(names = "--lr", defaultValue = "0.002", description = "fine-tuning learning rate") double lr;
    @Option(names = "--batch", defaultValue = "64", description = "mini-batch of the fine-tuning and QAT steps (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the calibration sample and the fine-tuning shuffles (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--int8", description = "post-training int8, clipping calibrated on --calibration-rows training rows") boolean int8;
    @Option(names = "--bits", defaultValue = "8", description = "with --int8: integer levels of this many bits (stored as int8; default ${DEFAULT-VALUE})") int bits;
    @Option(names = "--qat", defaultValue = "AUTO", description = "quantization-aware fine-tuning after --int8: AUTO (when post-training loses more than --qat-threshold points), ALWAYS, NEVER") Compressor.Qat qat;
    @Option(names = "--qat-threshold", defaultValue = "1.0", description = "accuracy points post-training may lose before AUTO fine-tunes (default ${DEFAULT-VALUE})") double qatThreshold;
    @Option(names = "--qat-epochs", defaultValue = "5", description = "epochs of quantization-aware fine-tuning (default: ${DEFAULT-VALUE})") int qatEpochs;
    @Option(names = "--qat-lr", defaultValue = "0.001", description = "learning rate of the quantization-aware fine-tuning (default: ${DEFAULT-VALUE})") double qatLr;
    @Option(names = "--binarize", split = ",", description = "matrices to binarize (sign × mean|row|, XNOR-Net), fine-tuned for --fine-tune-epochs") List<String> binarize;
    @Option(names = "--calibration-rows", defaultValue = "2000", description = "training rows sampled to calibrate the int8 clipping (default: ${DEFAULT-VALUE})") int calibrationRows;
    @Option(names = "--share-bits", description = "k-means weight sharing with 2^bits centroids per matrix") Integer shareBits;
    @Option(names = "--huffman", description = "Huffman-code every payload it shrinks") boolean huffman;
    @Option(names = "--budget", description = "search prune ratio and bit width for the best artifact of at most this many bytes") Integer budget;
    @Option(names = "--max-ram", description = "budget search: peak arena RAM of at most this many bytes") Integer maxRam;
    @Option(names = "--budget-prune", split = ",", defaultValue = "0,0.25,0.5,0.75", description = "prune ratios the budget search tries") double[] budgetPrune;
    @Option(names = "--budget-bits", split = ",", defaultValue = "8,6,5,4,3", description = "bit widths the budget search tries (8 = int8, else codebook)") int[] budgetBits;
    @Option(names = "--threads", description = "threads for fine-tuning and evaluation (default: available processors)") Integer threads;
    @Option(names = "--max-loss", defaultValue = "2", description = "warn when a step (or the whole chain) loses more than this many points of test accuracy (default ${DEFAULT-VALUE})") double maxLoss;
    @Option(names = "--strict", description = "exit 10 (after writing the artifact) when a warning is printed: near-chance accuracy or a loss above --max-loss") boolean strict;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (int8 && shareBits != null) throw new CommandLine.ParameterException(spec.commandLine(), "choose --int8 or --share-bits, not both");
        byte[] in = Files.readAllBytes(input);
        TrainableModel m = ModelExport.fromArtifact(in);
        ModelExport.Info info = ModelExport.Info.of(dev.winnow.runtime.format.ArtifactReader.read(in).metadata());
        Dataset.Split s = data.load();
        int th = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Dataset calibration = s.train().sample(calibrationRows, seed);
        Trainer.Options ft = new Trainer.Options(fineTuneEpochs, batch, lr, seed, th, null, line -> { o.println("  fine-tune " + line); o.flush(); });
        Steps steps = new Steps(Measured.of("input", in, s.test(), th, input.getFileName().toString()));
        byte[] result = budget != null || maxRam != null
                ? budgetSearch(m, info, s, calibration, ft, th, steps)
                : compressStepByStep(m, info, s, calibration, ft, th, steps);
        if (result == null) return Exits.QUALITY;
        Files.write(out, result);
        o.print(Measured.table(steps.rows));
        o.println("wrote " + out + " (" + result.length + " B)");
        return warn(steps, s);
    }

    /**
     * The rows the table prints, and the chain: the rows whose models lead to the result (not a
     * post-training row that QAT replaced), which is what --max-loss checks step by step.
     */
    private static final class Steps {
        final List<Measured> rows = new ArrayList<>();
        final List<Measured> chain = new ArrayList<>();

        Steps(Measured input) {
            rows.add(input);
            chain.add(input);
        }

        void add(Measured row, boolean inChain) {
            rows.add(row);
            if (inChain) chain.add(row);
        }

        /** The last row is the written artifact: show its size as written (metadata and metrics included), as inspect does. */
        void writtenSize(int bytes) {
            if (rows.size() < 2) return;
            Measured last = rows.get(rows.size() - 1);
            Measured written = new Measured(last.step(), bytes, last.parameters(), last.macs(), last.arenaBytes(), last.accuracy(), last.note());
            rows.set(rows.size() - 1, written);
            if (chain.get(chain.size() - 1) == last) chain.set(chain.size() - 1, written);
        }
    }

    /** The budget search: its table, then the chosen artifact as written, or null (one line on stderr) when nothing fits. */
    private byte[] budgetSearch(TrainableModel m, ModelExport.Info info, Dataset.Split s, Dataset calibration, Trainer.Options ft, int th, Steps steps)
            throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        // the candidates are built as written (compression provenance and test metrics included), so the table's bytes are inspect's
        Compressor.BudgetResult r = Compressor.budget(m, s.train(), calibration, s.test(), calibration, budget == null ? Integer.MAX_VALUE : budget,
                maxRam == null ? Long.MAX_VALUE : maxRam, budgetPrune, budgetBits, tensors(), ft.progress(line -> {}), info.provenance("compression", describeSteps()),
                line -> { o.println(line); o.flush(); });
        o.print(r.table());
        o.flush();
        if (r.best() == null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.root().name() + ": nothing tried fits in " + (budget == null ? "" : budget + " bytes") + (budget != null && maxRam != null ? " and " : "")
                    + (maxRam == null ? "" : maxRam + " bytes of peak RAM"));
            err.flush();
            return null;
        }
        byte[] result = r.best().artifact();
        steps.add(Measured.of(String.format(Locale.ROOT, "budget: prune %.0f%% %s", 100 * r.best().pruneRatio(), r.best().encoding()), result, s.test(), th,
                (budget == null ? "" : "≤ " + budget + " B") + (maxRam == null ? "" : " RAM ≤ " + maxRam + " B")), true);
        return result;
    }

    /** Prune, binarize, int8 or weight sharing, Huffman: a row per step; returns the artifact with its test metrics. */
    private byte[] compressStepByStep(TrainableModel m, ModelExport.Info info, Dataset.Split s, Dataset calibration, Trainer.Options ft, int th, Steps steps)
            throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        TrainableModel cur = m;
        Map<String, TensorEncoding> enc = FamilyArtifacts.encodings();
        if (prune > 0) {
            cur = Compressor.prune(m, tensors(), prune, s.train(), ft);
            steps.add(Measured.of(String.format(Locale.ROOT, "prune %.0f%% %s +%d ep", 100 * prune, String.join(",", tensors()), fineTuneEpochs),
                    ModelExport.toArtifact(cur, enc, info), s.test(), th, "sparse float32"), true);
        }
        if (binarize != null && !binarize.isEmpty()) {
            Compressor.Binarized b = Compressor.binarize(cur, binarize, s.train(), ft);
            cur = b.model();
            enc.putAll(b.encodings());
            steps.add(Measured.of("binarize " + String.join(",", binarize) + " +" + fineTuneEpochs + " ep", ModelExport.toArtifact(cur, enc, info), s.test(), th, describe(enc)), true);
        }
        if (int8) {
            Map<String, TensorEncoding> start = Compressor.intBits(cur, bits);
            start.putAll(enc); // binarized tensors stay binary
            Trainer.Options qo = new Trainer.Options(qatEpochs, batch, qatLr, seed, th, null, line -> { log.println("  qat " + line); log.flush(); });
            Compressor.Quantized q = Compressor.quantize(cur, start, s.train(), calibration, calibration, qat, qatThreshold / 100, qo, info,
                    line -> { log.println(line); log.flush(); });
            String label = bits == 8 ? "int8" : "int" + bits;
            // quantize keeps the post-training model when QAT did not beat it: then that row is the chain's
            boolean ptqKept = q.model() == q.ptqModel() || !q.qatRan();
            steps.add(Measured.of(label + " (calibrated)", ModelExport.toArtifact(q.ptqModel(), q.encodings(), info), s.test(), th, describe(q.encodings())), ptqKept);
            cur = q.model();
            enc = q.encodings();
            if (q.qatRan()) steps.add(Measured.of(label + " + QAT " + qatEpochs + " ep", ModelExport.toArtifact(cur, enc, info), s.test(), th, describe(enc)), !ptqKept);
        } else if (shareBits != null) {
            enc = Compressor.share(cur, shareBits);
            steps.add(Measured.of("weight sharing " + shareBits + " bit", ModelExport.toArtifact(cur, enc, info), s.test(), th, describe(enc)), true);
        }
        if (huffman) {
            enc = Compressor.huffman(cur, enc);
            steps.add(Measured.of("huffman", ModelExport.toArtifact(cur, enc, info), s.test(), th, describe(enc)), true);
        }
        byte[] result = withMetrics(cur, enc, info.provenance("compression", describeSteps()), s);
        steps.writtenSize(result.length);
        return result;
    }

    /** WARNING lines for a step past --max-loss and for a result near chance; with --strict they make the exit code QUALITY. */
    private int warn(Steps steps, Dataset.Split s) {
        List<Quality.Step> chain = new ArrayList<>();
        for (Measured r : steps.chain) chain.add(new Quality.Step(r.step(), r.accuracy()));
        List<String> warnings = new ArrayList<>(Quality.losses(chain, maxLoss));
        String chance = Quality.nearChance("compressed model", chain.get(chain.size() - 1).accuracy(), s.train(), s.test());
        if (chance != null) warnings.add(chance);
        PrintWriter err = spec.commandLine().getErr();
        for (String w : warnings) err.println(w);
        err.flush();
        return strict && !warnings.isEmpty() ? Exits.QUALITY : Exits.OK;
    }

    private List<String> tensors() {
        return pruneTensors != null ? pruneTensors : List.of("Z");
    }

    private String describeSteps() {
        List<String> st = new ArrayList<>();
        if (budget != null) st.add("budget " + budget);
        if (prune > 0) st.add("prune " + prune + " " + (pruneTensors == null ? "Z" : pruneTensors) + " +" + fineTuneEpochs + " epochs");
        if (binarize != null && !binarize.isEmpty()) st.add("binarize " + binarize + " +" + fineTuneEpochs + " epochs");
        if (int8) st.add((bits == 8 ? "int8" : "int" + bits) + " (qat " + qat.name().toLowerCase(Locale.ROOT) + ")");
        if (shareBits != null) st.add("codebook " + shareBits + " bit");
        if (huffman) st.add("huffman");
        return String.join(", ", st);
    }

    /** The artifact with its test accuracy as the "accuracy" metric (same tensors, metadata rewritten). */
    private static byte[] withMetrics(TrainableModel m, Map<String, TensorEncoding> enc, ModelExport.Info info, Dataset.Split s) throws Exception {
        double acc = Compressor.accuracy(ModelExport.toArtifact(m, enc, info), s.test());
        return ModelExport.toArtifact(m, enc, info.metric("accuracy", acc).metric("testRows", s.test().size()));
    }

    static String describe(Map<String, TensorEncoding> enc) {
        StringBuilder sb = new StringBuilder();
        enc.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append(' ').append(v));
        return sb.toString();
    }

}
