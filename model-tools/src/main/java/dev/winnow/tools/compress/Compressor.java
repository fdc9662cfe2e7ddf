package dev.winnow.tools.compress;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.eval.Evaluator;
import dev.winnow.tools.model.TensorEncoding;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.train.BonsaiModel;
import dev.winnow.tools.train.ProtoNnModel;
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
 * picks each tensor's clipping range and ProtoNN's input range. Both families then run integer
 * arithmetic in the runtime ({@code QuantizedBonsai}, {@code ProtoNn.Int8}).</li>
 * <li>{@link #quantizationAware}: quantization-aware fine-tuning (fake-quantized forward,
 * straight-through gradients); {@link #quantize} runs it when post-training quantization loses more
 * than a threshold.</li>
 * <li>{@link #binarize}: chosen matrices as sign × mean|row| (XNOR-Net), fine-tuned binarized.</li>
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
        return intBits(m, 8);
    }

    /** As {@link #int8} with integers of {@code bits} bits (stored as int8, levels ±(2^(bits−1) − 1)). */
    public static Map<String, TensorEncoding> intBits(TrainableModel m, int bits) {
        Map<String, TensorEncoding> e = new LinkedHashMap<>();
        for (String t : matrices(m)) e.put(t, TensorEncoding.intBits(bits, m instanceof BonsaiModel || t.equals("W")));
        return e;
    }

    /**
     * Post-training int8 with calibration: for each matrix in turn, the clipping fraction (of the
     * row's maximum magnitude) that gives the best accuracy of the runtime on {@code calibration}.
     */
    public static Map<String, TensorEncoding> int8(TrainableModel m, Dataset calibration, ModelExport.Info info, Consumer<String> log) throws ModelFormatException {
        return calibrate(m, int8(m), calibration, info, log);
    }

    /**
     * Calibration of given integer encodings: ProtoNN's input range from the calibration rows (the
     * int8 input's scale and zero point), then per tensor the clip with the best accuracy. Tensors
     * that are not integer-coded (float, binary, codebook) are left as they are.
     */
    public static Map<String, TensorEncoding> calibrate(TrainableModel m, Map<String, TensorEncoding> start, Dataset calibration, ModelExport.Info info,
                                                        Consumer<String> log) throws ModelFormatException {
        Map<String, TensorEncoding> e = new LinkedHashMap<>(start);
        if (calibration == null || calibration.size() == 0) return e;
        if (m instanceof ProtoNnModel) {
            float[] r = ProtoNnModel.rangeOf(calibration);
            ((ProtoNnModel) m).inputRange(r);
            if (log != null) log.accept(String.format(Locale.ROOT, "calibration: input range [%s, %s] -> int8 %s", r[0], r[1], FamilyArtifacts.inputParams(r)));
        }
        double[] clips = {1.0, 0.9, 0.8, 0.7, 0.6};
        for (String t : matrices(m)) {
            if (e.get(t) == null || e.get(t).kind() != TensorEncoding.Kind.INT8) continue;
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

    /** What {@link #quantize} did: post-training figures, and the quantization-aware fine-tuning if it ran. */
    public record Quantized(TrainableModel model, TrainableModel ptqModel, Map<String, TensorEncoding> encodings, double floatAccuracy, double ptqAccuracy,
                            boolean qatRan, double qatAccuracy) {
        public double accuracy() { return qatRan ? qatAccuracy : ptqAccuracy; }
    }

    public enum Qat { AUTO, ALWAYS, NEVER }

    /**
     * Post-training quantization with calibration ({@link #calibrate} of {@code start}), then, when it
     * loses more than {@code maxLoss} (a fraction: 0.01 = 1 point) against the unquantized model on
     * {@code validation} (or always / never), quantization-aware fine-tuning with {@code qatOptions}.
     * The fine-tuned model is kept only if it does better than post-training on {@code validation}.
     */
    public static Quantized quantize(TrainableModel m, Map<String, TensorEncoding> start, Dataset train, Dataset calibration, Dataset validation,
                                     Qat qat, double maxLoss, Trainer.Options qatOptions, ModelExport.Info info, Consumer<String> log) throws ModelFormatException {
        TrainableModel base = m.copy();
        Map<String, TensorEncoding> floatEnc = new LinkedHashMap<>();
        start.forEach((k, v) -> floatEnc.put(k, v.kind() == TensorEncoding.Kind.INT8 ? TensorEncoding.FLOAT.withHuffman(v.huffman()) : v));
        double floatAcc = accuracy(ModelExport.toArtifact(base, floatEnc, info), validation);
        Map<String, TensorEncoding> enc = calibrate(base, start, calibration, info, log);
        double ptq = accuracy(ModelExport.toArtifact(base, enc, info), validation);
        if (log != null) log.accept(String.format(Locale.ROOT, "post-training: %.2f%% -> %.2f%% on %d validation rows (%+.2f points)",
                100 * floatAcc, 100 * ptq, validation.size(), 100 * (ptq - floatAcc)));
        boolean run = qat == Qat.ALWAYS || (qat == Qat.AUTO && floatAcc - ptq > maxLoss);
        if (!run) return new Quantized(base, base, enc, floatAcc, ptq, false, Double.NaN);
        if (log != null) log.accept(qat == Qat.ALWAYS ? "quantization-aware fine-tuning (forced)"
                : String.format(Locale.ROOT, "post-training loses %.2f points > %.2f: quantization-aware fine-tuning", 100 * (floatAcc - ptq), 100 * maxLoss));
        TrainableModel q = quantizationAware(base, enc, train, qatOptions);
        double qa = accuracy(ModelExport.toArtifact(q, enc, info), validation);
        if (log != null) log.accept(String.format(Locale.ROOT, "quantization-aware: %.2f%% on %d validation rows (post-training %.2f%%)%s", 100 * qa, validation.size(),
                100 * ptq, qa >= ptq ? "" : "; keeping post-training"));
        return new Quantized(qa >= ptq ? q : base, base, enc, floatAcc, ptq, true, qa);
    }

    /**
     * Quantization-aware fine-tuning: a copy trained with every tensor of {@code enc} fake-quantized
     * in the forward pass and straight-through gradients; exporting it with {@code enc} stores exactly
     * the values it was trained with (same scale rule).
     */
    public static TrainableModel quantizationAware(TrainableModel m, Map<String, TensorEncoding> enc, Dataset train, Trainer.Options options) {
        TrainableModel c = m.copy();
        c.freezeSchedule();
        c.setFakeQuant(enc);
        Trainer.train(c, train, options);
        c.setFakeQuant(null);
        return c;
    }

    /**
     * Binarization (XNOR-Net): the named matrices as sign × α per row (α = mean|row|), fine-tuned with
     * the binarized forward pass. Returns the model and the encodings (other tensors float).
     */
    public record Binarized(TrainableModel model, Map<String, TensorEncoding> encodings) {}

    public static Binarized binarize(TrainableModel m, List<String> tensors, Dataset train, Trainer.Options options) {
        Map<String, TensorEncoding> enc = new LinkedHashMap<>();
        for (String t : tensors) {
            block(m, t);
            enc.put(t, TensorEncoding.BINARY);
        }
        TrainableModel c = m.copy();
        c.freezeSchedule();
        c.setFakeQuant(enc);
        if (options != null && options.epochs() > 0) Trainer.train(c, train, options);
        c.setFakeQuant(null);
        return new Binarized(c, enc);
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

    /**
     * One point the budget search tried. {@code artifact} is the exact artifact that would be
     * written (metadata included), so {@code bytes} is what {@code winnow inspect} reports for it;
     * {@code testAccuracy} is on held-out rows (NaN when none were given) and only reported, never
     * used to choose.
     */
    public record Candidate(double pruneRatio, String encoding, int bytes, long ramBytes, double validationAccuracy, double testAccuracy, byte[] artifact,
                            TrainableModel model, Map<String, TensorEncoding> encodings) {}

    public record BudgetResult(Candidate best, List<Candidate> tried, int validationRows, int testRows) {
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-7s %-24s %8s %9s %10s %9s%n", "prune", "encoding", "bytes", "peak RAM", "train acc", "test acc"));
            for (Candidate c : tried) {
                sb.append(String.format(Locale.ROOT, "%-7s %-24s %8d %9d %9.2f%% %9s%s%n", String.format(Locale.ROOT, "%.0f%%", 100 * c.pruneRatio()), c.encoding(), c.bytes(),
                        c.ramBytes(), 100 * c.validationAccuracy(), Double.isNaN(c.testAccuracy()) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * c.testAccuracy()),
                        c == best ? "  <- chosen" : ""));
            }
            sb.append(String.format(Locale.ROOT, "bytes: the artifact as written; train acc: %d sampled training rows (chooses); test acc: %s%n",
                    validationRows, testRows > 0 ? testRows + " held-out test rows (reported only)" : "no test rows given"));
            return sb.toString();
        }
    }

    public static BudgetResult budget(TrainableModel m, Dataset train, Dataset validation, Dataset calibration, int maxBytes,
                                      double[] pruneRatios, int[] bitWidths, List<String> pruneTensors, Trainer.Options fineTune,
                                      ModelExport.Info info, Consumer<String> log) throws ModelFormatException {
        return budget(m, train, validation, null, calibration, maxBytes, Long.MAX_VALUE, pruneRatios, bitWidths, pruneTensors, fineTune, info, log);
    }

    public static BudgetResult budget(TrainableModel m, Dataset train, Dataset validation, Dataset calibration, int maxBytes, long maxRam,
                                      double[] pruneRatios, int[] bitWidths, List<String> pruneTensors, Trainer.Options fineTune,
                                      ModelExport.Info info, Consumer<String> log) throws ModelFormatException {
        return budget(m, train, validation, null, calibration, maxBytes, maxRam, pruneRatios, bitWidths, pruneTensors, fineTune, info, log);
    }

    /**
     * Budget mode (in the spirit of AMC, by exhaustive search over a small grid): tries prune ratios ×
     * bit widths (8 = int8 with integer arithmetic; fewer bits = k-means codebooks, decoded to float
     * at load), all with Huffman coding, and keeps the most accurate artifact (on {@code validation})
     * whose size is at most {@code maxBytes} and whose peak arena RAM (the runtime's plan, what
     * {@code winnow inspect} prints) is at most {@code maxRam}; ties go to the smaller artifact.
     * Pruned models are fine-tuned once per ratio and reused across bit widths. Returns null in
     * {@code best} when nothing fits.
     *
     * <p>Each candidate's artifact is the final one: {@code info} with the candidate appended to its
     * "compression" provenance and, given {@code test}, its test accuracy as the "accuracy" metric.
     * The size compared with {@code maxBytes} is therefore the size written, metadata included, and
     * equals what {@code winnow inspect} reports for the chosen artifact.
     */
    public static BudgetResult budget(TrainableModel m, Dataset train, Dataset validation, Dataset test, Dataset calibration, int maxBytes, long maxRam,
                                      double[] pruneRatios, int[] bitWidths, List<String> pruneTensors, Trainer.Options fineTune,
                                      ModelExport.Info info, Consumer<String> log) throws ModelFormatException {
        List<Candidate> tried = new ArrayList<>();
        Candidate best = null;
        int threads = Runtime.getRuntime().availableProcessors();
        Object steps = info.provenance().get("compression");
        for (double ratio : pruneRatios) {
            TrainableModel pm = ratio == 0 ? m : prune(m, pruneTensors, ratio, train, fineTune);
            for (int bits : bitWidths) {
                TrainableModel qm = bits == 8 ? pm.copy() : pm;
                Map<String, TensorEncoding> enc = bits == 8 ? int8(qm, calibration, info, null) : share(pm, bits);
                enc = huffman(qm, enc);
                String name = bits == 8 ? "int8+huffman" : "codebook" + bits + "+huffman";
                ModelExport.Info ci = info.provenance("compression", (steps == null ? "" : steps + ": ") + String.format(Locale.ROOT, "prune %s, %s", ratio, name));
                byte[] a = ModelExport.toArtifact(qm, enc, ci);
                double testAcc = Double.NaN;
                if (test != null && test.size() > 0) {
                    testAcc = Evaluator.evaluate(Model.load(a), test, threads).accuracy();
                    a = ModelExport.toArtifact(qm, enc, ci.metric("accuracy", testAcc).metric("testRows", test.size()));
                }
                Model loaded = Model.load(a);
                long ram = loaded.report().arenaBytes();
                double acc = Evaluator.evaluate(loaded, validation, threads).accuracy();
                Candidate c = new Candidate(ratio, name, a.length, ram, acc, testAcc, a, qm, enc);
                tried.add(c);
                if (log != null) log.accept(String.format(Locale.ROOT, "budget: prune %.0f%% %s: %d B, peak RAM %d B, %.2f%% on training rows", 100 * ratio, c.encoding(), a.length, ram, 100 * acc));
                boolean fits = a.length <= maxBytes && ram <= maxRam;
                if (fits && (best == null || acc > best.validationAccuracy() + 1e-9 || (Math.abs(acc - best.validationAccuracy()) < 1e-9 && a.length < best.bytes()))) best = c;
            }
        }
        return new BudgetResult(best, tried, validation.size(), test == null ? 0 : test.size());
    }
}
