package dev.winnow.tools.compress;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.eval.Evaluator;
import dev.winnow.tools.model.TensorEncoding;
import dev.winnow.tools.train.BonsaiModel;
import dev.winnow.tools.train.ModelExport;
import dev.winnow.tools.train.Sparsity;
import dev.winnow.tools.train.TrainableModel;
import dev.winnow.tools.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The compression steps as library calls. Each works on a trainable model plus a map of tensor
 * encodings, and the artifact is written through {@link ModelExport}, so every step can be
 * measured by loading the bytes into the runtime.
 * <ul>
 * <li>{@link #prune}: magnitude pruning of chosen matrices, then fine-tuning with the support fixed.</li>
 * <li>{@link #int8}: post-training int8 (symmetric, per row as TFLite stores weights); calibration data
 * picks each tensor's clipping range. Bonsai runs int8 arithmetic in the runtime
 * ({@code QuantizedBonsai}); ProtoNN's runtime op has no int8 kernel, so its int8 tensors are
 * dequantized at load and the arithmetic stays float.</li>
 * <li>{@link #share}: k-means weight sharing (codebook + packed indices).</li>
 * <li>{@link #huffman}: Huffman coding of every payload it shrinks.</li>
 * </ul>
 */
public final class Compressor {
    private Compressor() {}

    /** The matrices worth compressing per family, in the runtime's tensor names (Bonsai's θ is stored as T). */
    public static List<String> matrices(TrainableModel m) {
        return m instanceof BonsaiModel ? List.of("Z", "W", "V", "T") : List.of("W", "B", "Z");
    }

    static int block(TrainableModel m, String tensor) {
        String name = tensor.equals("T") ? "theta" : tensor;
        String[] names = m.paramNames();
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        throw new IllegalArgumentException("no tensor '" + tensor + "' in " + Arrays.toString(names) + " (Bonsai: Z, W, V, T; ProtoNN: W, B, Z)");
    }

    /**
     * Zeroes the smallest {@code ratio} of each named matrix, fixes the support, and fine-tunes for
     * {@code options.epochs()} epochs. Returns a pruned copy; the input is not changed.
     */
    public static TrainableModel prune(TrainableModel m, List<String> tensors, double ratio, Dataset train, Trainer.Options options) {
        if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("prune ratio must be in [0, 1)");
        TrainableModel c = m.copy();
        c.freezeSchedule();
        double[][] p = c.params();
        for (String t : tensors) {
            int b = block(c, t);
            // keep the larger of what is already zero and what the ratio asks
            int alreadyZero = p[b].length - Sparsity.nonZeros(p[b]);
            double keep = Math.min(1 - ratio, 1 - (double) alreadyZero / p[b].length);
            Sparsity.hardThreshold(p[b], keep);
            c.fixSupport(b);
        }
        if (options != null && options.epochs() > 0) Trainer.train(c, train, options);
        return c;
    }

    /**
     * Every matrix in int8, clip 1 (no calibration): per row for Bonsai (its int8 kernel needs row
     * scales) and ProtoNN's W; per tensor for ProtoNN's B and Z, whose rows (one per prototype) would
     * otherwise cost 4 bytes of scale each.
     */
    public static Map<String, TensorEncoding> int8(TrainableModel m) {
        Map<String, TensorEncoding> e = new LinkedHashMap<>();
        for (String t : matrices(m)) e.put(t, TensorEncoding.int8(m instanceof BonsaiModel || t.equals("W")));
        return e;
    }

    /**
     * Post-training int8 with calibration: for each matrix in turn, the clipping fraction (of the
     * row's maximum magnitude) that gives the best accuracy of the runtime on {@code calibration}.
     */
    public static Map<String, TensorEncoding> int8(TrainableModel m, Dataset calibration, ModelExport.Info info, Consumer<String> log) throws ModelFormatException {
        Map<String, TensorEncoding> e = int8(m);
        if (calibration == null || calibration.size() == 0) return e;
        double[] clips = {1.0, 0.9, 0.8, 0.7, 0.6};
        for (String t : matrices(m)) {
            double bestAcc = -1;
            TensorEncoding best = e.get(t);
            for (double clip : clips) {
                Map<String, TensorEncoding> trial = new LinkedHashMap<>(e);
                trial.put(t, e.get(t).withClip(clip));
                double acc = accuracy(ModelExport.toArtifact(m, trial, info), calibration);
                if (acc > bestAcc + 1e-9) {
                    bestAcc = acc;
                    best = trial.get(t);
                }
            }
            e.put(t, best);
            if (log != null) log.accept(String.format(Locale.ROOT, "calibration: %s clip %.2f -> %.2f%% on %d rows", t, best.clip(), 100 * bestAcc, calibration.size()));
        }
        return e;
    }

    /** Weight sharing: every matrix as a codebook of 2^bits centroids. */
    public static Map<String, TensorEncoding> share(TrainableModel m, int bits) {
        Map<String, TensorEncoding> e = new LinkedHashMap<>();
        for (String t : matrices(m)) e.put(t, TensorEncoding.codebook(bits));
        return e;
    }

    /** The same encodings with Huffman coding on (applied per tensor only where it shrinks the payload). */
    public static Map<String, TensorEncoding> huffman(TrainableModel m, Map<String, TensorEncoding> enc) {
        Map<String, TensorEncoding> e = new LinkedHashMap<>();
        for (String t : matrices(m)) e.put(t, enc.getOrDefault(t, TensorEncoding.FLOAT).withHuffman(true));
        return e;
    }

    public static double accuracy(byte[] artifact, Dataset d) throws ModelFormatException {
        return Evaluator.evaluate(Model.load(artifact), d, Runtime.getRuntime().availableProcessors()).accuracy();
    }

    /** One point the budget search tried. */
    public record Candidate(double pruneRatio, String encoding, int bytes, double validationAccuracy, byte[] artifact,
                            TrainableModel model, Map<String, TensorEncoding> encodings) {}

    public record BudgetResult(Candidate best, List<Candidate> tried) {
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-7s %-24s %8s %9s%n", "prune", "encoding", "bytes", "val acc"));
            for (Candidate c : tried) {
                sb.append(String.format(Locale.ROOT, "%-7s %-24s %8d %8.2f%%%s%n", String.format(Locale.ROOT, "%.0f%%", 100 * c.pruneRatio()), c.encoding(), c.bytes(),
                        100 * c.validationAccuracy(), c == best ? "  <- chosen" : ""));
            }
            return sb.toString();
        }
    }

    /**
     * Budget mode: tries prune ratios × bit widths (int8, codebooks of 6..3 bits), all with
     * Huffman coding, and keeps the most accurate artifact (on {@code validation}) whose size is at
     * most {@code maxBytes}. Pruned models are fine-tuned once per ratio and reused across bit widths.
     * Returns null in {@code best} when nothing fits.
     */
    public static BudgetResult budget(TrainableModel m, Dataset train, Dataset validation, Dataset calibration, int maxBytes,
                                      double[] pruneRatios, int[] bitWidths, List<String> pruneTensors, Trainer.Options fineTune,
                                      ModelExport.Info info, Consumer<String> log) throws ModelFormatException {
        List<Candidate> tried = new ArrayList<>();
        Candidate best = null;
        for (double ratio : pruneRatios) {
            TrainableModel pm = ratio == 0 ? m : prune(m, pruneTensors, ratio, train, fineTune);
            for (int bits : bitWidths) {
                Map<String, TensorEncoding> enc = bits == 8 ? int8(pm, calibration, info, null) : share(pm, bits);
                enc = huffman(pm, enc);
                byte[] a = ModelExport.toArtifact(pm, enc, info);
                double acc = accuracy(a, validation);
                Candidate c = new Candidate(ratio, bits == 8 ? "int8+huffman" : "codebook" + bits + "+huffman", a.length, acc, a, pm, enc);
                tried.add(c);
                if (log != null) log.accept(String.format(Locale.ROOT, "budget: prune %.0f%% %s: %d B, %.2f%%", 100 * ratio, c.encoding(), a.length, 100 * acc));
                if (a.length <= maxBytes && (best == null || acc > best.validationAccuracy() + 1e-9 || (Math.abs(acc - best.validationAccuracy()) < 1e-9 && a.length < best.bytes()))) best = c;
            }
        }
        return new BudgetResult(best, tried);
    }
}
