package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Empirical bias correction for the int8 student (Nagel et al. 2019, "Data-Free Quantization Through
 * Weight Equalization and Bias Correction", §4.2; the empirical form AIMET implements). Rounding
 * weights and activations shifts each layer's output mean a little, and the shifts add up through
 * the network: measured on run N's training frames, the int8 person logits near the decision
 * threshold sat 0.03 below the float ones, twice as many lower as higher, so the int8 model dropped
 * people the float one kept.
 *
 * <p>Layer by layer, in graph order, the int8 graph (with the corrections found so far) and the float
 * network run on the same frames; the per-channel mean of (int8 − float) output is subtracted from
 * that layer's bias. Only positions where the float output lies strictly inside the int8 tensor's
 * range and the activation's linear part count: where ReLU6 or the int8 range clips, a bias shift
 * changes nothing, and counting those positions would shrink the estimate.
 */
final class BiasCorrection {
    private BiasCorrection() {}

    /** The layers with a bias, in graph order, and their activation's index in {@link DetectorExport#activationNames}. */
    static Map<String, Integer> layers(DetectorNet net) {
        List<String> names = DetectorExport.activationNames(net);
        Map<String, Integer> r = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.equals("pool") || n.endsWith(".out") || n.equals("ctx.up")) continue; // RNNPool, the residual adds and the resize have no bias to move
            if (n.startsWith("presence")) continue; // one logit per frame: the mean shift is the head's threshold's business
            r.put(n, i);
        }
        return r;
    }

    /** Clip limits of a layer's float output: ReLU6 for the hidden convolutions, none for project, the context lift, score and box. */
    private static boolean relu6(String layer) {
        return !(layer.endsWith(".project") || layer.equals("ctx.lift") || layer.equals("score") || layer.equals("box"));
    }

    /**
     * Per layer, the amounts to add to its float bias so that the int8 graph's mean output matches
     * the float network's on {@code frames} (320x240 gray in [0, 1]).
     */
    static Map<String, float[]> estimate(DetectorNet net, float[][] ranges, List<float[]> frames) throws ModelFormatException {
        List<List<Tensor>> reference = new ArrayList<>();
        for (float[] f : frames) reference.add(net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, f)).activations());
        Map<String, float[]> correction = new LinkedHashMap<>();
        DetectorExport.Decode decode = new DetectorExport.Decode(0.5f, 0.3f);
        for (Map.Entry<String, Integer> layer : layers(net).entrySet()) {
            String name = layer.getKey();
            int idx = layer.getValue();
            Interpreter it = Model.load(DetectorExport.export(net, decode, ranges, correction, null, null, List.of(name))).newInterpreter();
            int channels = reference.get(0).get(idx).c;
            float lo = ranges[idx][0], hi = ranges[idx][1];
            if (relu6(name)) {
                lo = Math.max(lo, 0f);
                hi = Math.min(hi, 6f);
            }
            double[] sum = new double[channels];
            long[] n = new long[channels];
            float[] q = new float[reference.get(0).get(idx).data.length];
            for (int k = 0; k < frames.size(); k++) {
                it.setInput(0, frames.get(k), 0);
                it.invoke();
                it.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, q, 0);
                float[] f = reference.get(k).get(idx).data;
                for (int i = 0; i < f.length; i++) {
                    if (f[i] <= lo || f[i] >= hi) continue;
                    int c = i % channels;
                    sum[c] += q[i] - f[i];
                    n[c]++;
                }
            }
            float[] shift = new float[channels];
            for (int c = 0; c < channels; c++) shift[c] = n[c] == 0 ? 0f : (float) (-sum[c] / n[c]);
            correction.put(name, shift);
        }
        return correction;
    }
}
