package dev.winnow.tools.detect;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.DType;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.tools.nn.Param;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a person-detector artifact ({@link DetectorExport}'s float or int8 graph) back into a trainable
 * {@link DetectorNet}, so fine-tuning starts from a shipped or published model rather than from a
 * checkpoint that only the machine which trained it has. int8 filters are dequantized with their
 * per-channel scales and int32 biases with s_in·s_w, the inverse of the export; the result then differs
 * from the float network it was exported from only by the int8 rounding of the weights.
 */
public final class DetectorImport {
    private DetectorImport() {}

    /** The network and the decode settings (score threshold, suppression) its detect node applies. */
    public record Imported(DetectorNet net, DetectorExport.Decode decode, boolean int8) {}

    /** {@code workers} gradient buffers per parameter, as {@link DetectorNet}'s constructor takes them. */
    public static Imported read(Artifact a, int workers) throws ModelFormatException {
        Map<String, Object> g = a.metadata().graph().orElseThrow(() -> new ModelFormatException(a.metadata().name() + " has no graph"));
        Map<String, Map<String, Object>> tensors = new HashMap<>(), nodes = new HashMap<>();
        for (Object o : (List<?>) g.get("tensors")) {
            Map<String, Object> t = cast(o);
            tensors.put((String) t.get("name"), t);
        }
        for (Object o : (List<?>) g.get("nodes")) {
            Map<String, Object> n = cast(o);
            nodes.put((String) n.get("name"), n);
        }
        Map<String, Object> detect = nodes.get("detect"), pool = nodes.get("pool");
        if (detect == null || pool == null || !a.hasTensor("stem.filter") || !a.hasTensor("score.filter"))
            throw new ModelFormatException(a.metadata().name() + " is not an RNNPool person detector (no stem, pool, score and detect nodes)");
        Map<String, Object> da = cast(detect.get("attrs")), pa = cast(pool.get("attrs"));
        List<?> anchors = (List<?>) da.get("anchors");
        int nAnchors = anchors.size() / 2;
        // the graph stores anchor sizes only; the sub-cell layout is how training assigns people to them
        int[] layout = switch (nAnchors) {
            case 1 -> new int[] {1, 1};
            case 2 -> new int[] {2, 1};
            case 4 -> new int[] {2, 2};
            default -> throw new ModelFormatException(a.metadata().name() + ": " + nAnchors + " anchors per cell, no known layout");
        };
        int c1 = a.tensor("stem.filter").dim(0), c2 = a.tensor("down.filter").dim(0);
        int hidden = a.tensor("pool.rnn1.W").dim(0), patch = ((Number) pa.get("patch")).intValue();
        int blocks = 0;
        while (a.hasTensor("mb" + blocks + ".expand.filter")) blocks++;
        int features = 4 * hidden;
        int expansion = blocks == 0 ? 1 : a.tensor("mb0.expand.filter").dim(0) / features;
        int context = a.hasTensor("ctx.down1.filter") ? a.tensor("ctx.down1.filter").dim(0) : 0;
        DetectorNet.Config cfg = new DetectorNet.Config(c1, c2, hidden, patch, blocks, expansion,
                ((Number) anchors.get(0)).floatValue(), ((Number) anchors.get(1)).floatValue(), layout[0], layout[1], context);
        int presenceHidden = a.hasTensor("presence.fc1.weights") ? a.tensor("presence.fc1.weights").dim(0) : 0;
        DetectorNet net = new DetectorNet(cfg, workers, 0L, presenceHidden);

        conv(a, tensors, nodes, "stem", net.stemW, net.stemB);
        conv(a, tensors, nodes, "down", net.downW, net.downB);
        for (String cell : new String[] {"rnn1", "rnn2"}) {
            var r = cell.equals("rnn1") ? net.rnn1 : net.rnn2;
            String p = "pool." + cell + ".";
            copy(a, p + "W", r.w);
            copy(a, p + "U", r.u);
            copy(a, p + "bg", r.bg);
            copy(a, p + "bh", r.bh);
        }
        for (int b = 0; b < blocks; b++) {
            DetectorNet.Block bl = net.blocks.get(b);
            String n = "mb" + b;
            conv(a, tensors, nodes, n + ".expand", bl.expandW(), bl.expandB());
            copy(a, n + ".dw.filter", bl.dwW()); // depthwise filters are stored [kh, kw, ch], as trained
            bias(a, tensors, nodes, n + ".dw", bl.dwB());
            conv(a, tensors, nodes, n + ".project", bl.projectW(), bl.projectB());
        }
        if (net.context != null) {
            conv(a, tensors, nodes, "ctx.down1", net.context.down1W(), net.context.down1B());
            conv(a, tensors, nodes, "ctx.down2", net.context.down2W(), net.context.down2B());
            conv(a, tensors, nodes, "ctx.lift", net.context.liftW(), net.context.liftB());
        }
        conv(a, tensors, nodes, "score", net.scoreW, net.scoreB);
        conv(a, tensors, nodes, "box", net.boxW, net.boxB);
        if (net.hasPresence()) {
            dense(a, tensors, nodes, "presence.fc1", net.presence.fc1W, net.presence.fc1B);
            dense(a, tensors, nodes, "presence.fc2", net.presence.fc2W, net.presence.fc2B);
        }
        Object cd = da.get("center_distance"), pt = da.get("presence_threshold"), pv = da.get("presence_veto");
        DetectorExport.Decode decode = new DetectorExport.Decode(((Number) da.get("score_threshold")).floatValue(),
                ((Number) da.get("iou_threshold")).floatValue(), cd == null ? 0f : ((Number) cd).floatValue(),
                pt == null ? 1f : ((Number) pt).floatValue(), pv == null ? 0f : ((Number) pv).floatValue());
        return new Imported(net, decode, a.tensor("stem.filter").dtype() == DType.INT8);
    }

    /** A conv filter stored OHWI (the runtime's layout) back to the trainer's HWIO, and its bias. */
    private static void conv(Artifact a, Map<String, Map<String, Object>> tensors, Map<String, Map<String, Object>> nodes,
                             String name, Param w, Param b) throws ModelFormatException {
        float[] ohwi = values(a, name + ".filter", w.size());
        int kh = w.shape[0], kw = w.shape[1], in = w.shape[2], out = w.shape[3];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int i = 0; i < in; i++)
                    for (int oc = 0; oc < out; oc++) w.w[((y * kw + x) * in + i) * out + oc] = ohwi[((oc * kh + y) * kw + x) * in + i];
        bias(a, tensors, nodes, name, b);
    }

    /** A dense layer's weights [O, I] (stored as trained, per-row scales when int8) and its bias. */
    private static void dense(Artifact a, Map<String, Map<String, Object>> tensors, Map<String, Map<String, Object>> nodes,
                              String name, Param w, Param b) throws ModelFormatException {
        copy(a, name + ".weights", w);
        bias(a, tensors, nodes, name, name + ".weights", b);
    }

    /** A conv's bias: see {@link #bias(Artifact, Map, Map, String, String, Param)}, its weights being {@code name.filter}. */
    private static void bias(Artifact a, Map<String, Map<String, Object>> tensors, Map<String, Map<String, Object>> nodes,
                             String name, Param b) throws ModelFormatException {
        bias(a, tensors, nodes, name, name + ".filter", b);
    }

    /** A float bias as stored; an int32 one times its scale, s_in·s_w[c], s_w from the {@code weights} tensor. */
    private static void bias(Artifact a, Map<String, Map<String, Object>> tensors, Map<String, Map<String, Object>> nodes,
                             String name, String weights, Param b) throws ModelFormatException {
        TensorData t = a.tensor(name + ".bias");
        if (t.elementCount() != b.size()) throw new ModelFormatException(name + ".bias: " + t.elementCount() + " values, the network needs " + b.size());
        if (t.dtype() != DType.INT32) {
            System.arraycopy(t.toFloatArray(), 0, b.w, 0, b.size());
            return;
        }
        int[] q = t.toInt32Array();
        String input = (String) ((List<?>) nodes.get(name).get("inputs")).get(0);
        Object s = tensors.get(input).get("scale");
        if (!(s instanceof Number)) throw new ModelFormatException(name + ": int32 bias but input '" + input + "' has no scale");
        double inScale = ((Number) s).doubleValue();
        TensorData f = a.tensor(weights);
        for (int c = 0; c < q.length; c++) b.w[c] = (float) (q[c] * inScale * f.quantization().scale(c));
    }

    private static void copy(Artifact a, String tensor, Param p) throws ModelFormatException {
        System.arraycopy(values(a, tensor, p.size()), 0, p.w, 0, p.size());
    }

    private static float[] values(Artifact a, String tensor, int expected) throws ModelFormatException {
        TensorData t = a.tensor(tensor);
        if (t.elementCount() != expected) throw new ModelFormatException(tensor + ": " + t.elementCount() + " values, the network needs " + expected);
        return t.toFloatArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
