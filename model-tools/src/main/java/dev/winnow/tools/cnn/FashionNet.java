package dev.winnow.tools.cnn;

import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.tools.nn.ClassifierOps;
import dev.winnow.tools.nn.FastGrnn;
import dev.winnow.tools.nn.GraphExport;
import dev.winnow.tools.nn.Ops;
import dev.winnow.tools.nn.Param;
import dev.winnow.tools.nn.ParamList;
import dev.winnow.tools.nn.RnnPoolOp;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small image classifier described by a spec string: layers separated by '-', then a dense
 * classifier over the flattened last map.
 * <pre>
 *   c16k3s2     conv k×k stride s to 16 channels, relu6
 *   r4s2h8      RNNPool patch 4, stride 2, h1 = h2 = 8 (4·8 = 32 channels out)
 *   mb2         MBConv: 1x1 expand ×2 relu6, 3x3 depthwise relu6, 1x1 linear project, residual
 *   mb2c48s2    MBConv to 48 channels, depthwise stride 2 (no residual)
 *   mp2s2 ap2s2 max / average pooling (SAME); gap: global average pooling
 *   fc32        hidden dense layer with relu6
 * </pre>
 * Every intermediate activation is named (for calibration and export) in the order it is computed.
 */
public final class FashionNet {
    public final String spec;
    public final int inH, inW, classes;
    final List<Layer> layers = new ArrayList<>();
    final Param fcW, fcB;
    private final ParamList params = new ParamList();

    interface Layer {
        Tensor forward(Tape t, Tensor x, Map<String, Tensor> acts);

        /** Adds the layer's nodes; returns the name of its output tensor. */
        String export(GraphExport e, String in, Map<String, Tensor> shapes, Map<String, float[]> ranges);
    }

    public FashionNet(String spec, int inH, int inW, int classes, int workers, long seed) {
        this.spec = spec;
        this.inH = inH;
        this.inW = inW;
        this.classes = classes;
        Random r = new Random(seed);
        int h = inH, w = inW, c = 1, idx = 0;
        for (String tok : spec.split("-")) {
            String n = "l" + idx++;
            Matcher m;
            if ((m = Pattern.compile("c(\\d+)k(\\d+)s(\\d+)").matcher(tok)).matches()) {
                int oc = Integer.parseInt(m.group(1)), k = Integer.parseInt(m.group(2)), s = Integer.parseInt(m.group(3));
                layers.add(new Conv(n + ".conv", params.add(new Param(n + ".conv.filter", new int[] {k, k, c, oc}, workers).init(r, k * k * c, Math.sqrt(2))),
                        params.add(new Param(n + ".conv.bias", new int[] {oc}, workers)), k, s));
                h = (h + s - 1) / s;
                w = (w + s - 1) / s;
                c = oc;
            } else if ((m = Pattern.compile("r(\\d+)s(\\d+)h(\\d+)").matcher(tok)).matches()) {
                int p = Integer.parseInt(m.group(1)), s = Integer.parseInt(m.group(2)), hid = Integer.parseInt(m.group(3));
                FastGrnn r1 = new FastGrnn(n + ".pool.rnn1", c, hid, workers, r), r2 = new FastGrnn(n + ".pool.rnn2", hid, hid, workers, r);
                r1.params().forEach(params::add);
                r2.params().forEach(params::add);
                layers.add(new Pool(n + ".pool", r1, r2, p, s));
                h = (h - p) / s + 1;
                w = (w - p) / s + 1;
                c = 4 * hid;
            } else if ((m = Pattern.compile("mb(\\d+)(?:c(\\d+))?(?:s(\\d+))?").matcher(tok)).matches()) {
                int e = Integer.parseInt(m.group(1)), oc = m.group(2) == null ? c : Integer.parseInt(m.group(2));
                int s = m.group(3) == null ? 1 : Integer.parseInt(m.group(3)), mid = c * e;
                String b = n + ".mb";
                layers.add(new MbConv(b,
                        params.add(new Param(b + ".expand.filter", new int[] {1, 1, c, mid}, workers).init(r, c, Math.sqrt(2))),
                        params.add(new Param(b + ".expand.bias", new int[] {mid}, workers)),
                        params.add(new Param(b + ".dw.filter", new int[] {3, 3, mid}, workers).init(r, 9, Math.sqrt(2))),
                        params.add(new Param(b + ".dw.bias", new int[] {mid}, workers)),
                        params.add(new Param(b + ".project.filter", new int[] {1, 1, mid, oc}, workers).init(r, mid, oc == c && s == 1 ? 0.5 : 1.0)),
                        params.add(new Param(b + ".project.bias", new int[] {oc}, workers)), s, oc == c && s == 1));
                h = (h + s - 1) / s;
                w = (w + s - 1) / s;
                c = oc;
            } else if ((m = Pattern.compile("([ma])p(\\d+)s(\\d+)").matcher(tok)).matches()) {
                int k = Integer.parseInt(m.group(2)), s = Integer.parseInt(m.group(3));
                layers.add(new Pooling(n + (m.group(1).equals("m") ? ".maxpool" : ".avgpool"), m.group(1).equals("m"), k, s));
                h = (h + s - 1) / s;
                w = (w + s - 1) / s;
            } else if (tok.equals("gap")) {
                layers.add(new GlobalPool(n + ".gap"));
                h = 1;
                w = 1;
            } else if ((m = Pattern.compile("fc(\\d+)").matcher(tok)).matches()) {
                int o = Integer.parseInt(m.group(1)), in = h * w * c;
                layers.add(new Dense(n + ".fc", params.add(new Param(n + ".fc.weights", new int[] {o, in}, workers).init(r, in, Math.sqrt(2))),
                        params.add(new Param(n + ".fc.bias", new int[] {o}, workers))));
                h = 1;
                w = 1;
                c = o;
            } else {
                throw new IllegalArgumentException("unknown layer '" + tok + "' in spec " + spec);
            }
            if (h < 1 || w < 1) throw new IllegalArgumentException("spec " + spec + " shrinks the map to nothing at '" + tok + "'");
        }
        int in = h * w * c;
        fcW = params.add(new Param("logits.weights", new int[] {classes, in}, workers).init(r, in, 1.0));
        fcB = params.add(new Param("logits.bias", new int[] {classes}, workers));
    }

    public List<Param> params() { return params.all(); }

    public long parameterCount() { return params.count(); }

    /** Logits [1, 1, classes] of an [inH, inW, 1] image; intermediates go to {@code acts} by name when it is not null. */
    public Tensor forward(Tape t, Tensor image, Map<String, Tensor> acts) {
        Map<String, Tensor> a = acts == null ? new LinkedHashMap<>() : acts;
        Tensor x = image;
        for (Layer l : layers) x = l.forward(t, x, a);
        Tensor y = ClassifierOps.dense(t, x, fcW, fcB);
        a.put("logits", y);
        return y;
    }

    /** Every named activation of a forward pass, in order (the shapes the exporter declares). */
    public Map<String, Tensor> activations(float[] image) {
        Map<String, Tensor> acts = new LinkedHashMap<>();
        forward(Tape.inference(), new Tensor(inH, inW, 1, image.clone()), acts);
        return acts;
    }

    /** Input quantization of the int8 graph: pixels in [0, 1]. */
    public static final QuantParams INPUT_Q = new QuantParams(1f / 255f, -128);

    /**
     * The graph: input "image" [inH, inW, 1] (float32 in both graphs; the int8 graph quantizes it
     * first), output "probabilities" [classes] float32 (softmax of the logits, dequantized in the int8
     * graph). int8 when {@code ranges} (min, max per activation name) is given.
     */
    public GraphExport export(Map<String, float[]> ranges) {
        boolean q = ranges != null;
        GraphExport e = new GraphExport(q);
        Map<String, Tensor> shapes = activations(new float[inH * inW]);
        e.input("image", new int[] {inH, inW, 1}, INPUT_Q);
        String x = "image";
        for (Layer l : layers) x = l.export(e, x, shapes, ranges);
        int[] out = {classes};
        e.activation("logits", out, q ? ranges.get("logits") : null);
        e.dense("logits", x, "logits", fcW, fcB, "none");
        String logits = "logits";
        if (q) {
            e.floatTensor("logits_f", out).node("dequantize", "logits.dq", "logits", "logits_f");
            logits = "logits_f";
        }
        e.floatTensor("probabilities", out).node("softmax", "softmax", logits, "probabilities");
        e.builder().output("probabilities");
        return e;
    }

    /** Metadata of an exported artifact: the image input (gray, 0..1) and the class labels. */
    public dev.winnow.runtime.format.Metadata.Builder metadata(String name) {
        Map<String, Object> pre = new LinkedHashMap<>(); // ordered: the artifact's bytes repeat run to run
        pre.put("colorSpace", "gray");
        pre.put("scale", 1.0 / 255);
        pre.put("width", (long) inW);
        pre.put("height", (long) inH);
        return dev.winnow.runtime.format.Metadata.builder(name, "cnn")
                .input("image", new int[] {inH, inW, 1}, "float32", "HWC", pre)
                .labels(classes == dev.winnow.tools.data.FashionMnist.CLASSES.size() ? dev.winnow.tools.data.FashionMnist.CLASSES
                        : java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList());
    }

    static int[] shape(Tensor t) {
        return t.h == 1 && t.w == 1 ? new int[] {t.c} : new int[] {t.h, t.w, t.c};
    }

    // ---- layers ----

    record Conv(String name, Param w, Param b, int k, int stride) implements Layer {
        public Tensor forward(Tape t, Tensor x, Map<String, Tensor> acts) {
            Tensor y = Ops.relu6(t, Ops.conv2d(t, x, w, b, k, stride));
            acts.put(name, y);
            return y;
        }

        public String export(GraphExport e, String in, Map<String, Tensor> s, Map<String, float[]> r) {
            e.activation(name, shape(s.get(name)), r == null ? null : r.get(name));
            e.conv(name, in, name, w, b, stride, "relu6");
            return name;
        }
    }

    record Pool(String name, FastGrnn rnn1, FastGrnn rnn2, int patch, int stride) implements Layer {
        public Tensor forward(Tape t, Tensor x, Map<String, Tensor> acts) {
            Tensor y = RnnPoolOp.apply(t, x, rnn1, rnn2, patch, stride);
            acts.put(name, y);
            return y;
        }

        public String export(GraphExport e, String in, Map<String, Tensor> s, Map<String, float[]> r) {
            e.activation(name, shape(s.get(name)), r == null ? null : r.get(name));
            e.rnnpool(name, in, name, rnn1, rnn2, patch, stride);
            return name;
        }
    }

    record MbConv(String name, Param expandW, Param expandB, Param dwW, Param dwB, Param projectW, Param projectB, int stride,
                  boolean residual) implements Layer {
        public Tensor forward(Tape t, Tensor x, Map<String, Tensor> acts) {
            Tensor e = Ops.relu6(t, Ops.conv2d(t, x, expandW, expandB, 1, 1));
            acts.put(name + ".expand", e);
            Tensor d = Ops.relu6(t, Ops.depthwise(t, e, dwW, dwB, 3, stride));
            acts.put(name + ".dw", d);
            Tensor p = Ops.conv2d(t, d, projectW, projectB, 1, 1);
            acts.put(name + ".project", p);
            if (!residual) return p;
            Tensor o = Ops.add(t, x, p);
            acts.put(name + ".out", o);
            return o;
        }

        public String export(GraphExport e, String in, Map<String, Tensor> s, Map<String, float[]> r) {
            String ex = name + ".expand", dw = name + ".dw", pr = name + ".project", out = name + ".out";
            e.activation(ex, shape(s.get(ex)), r == null ? null : r.get(ex));
            e.activation(dw, shape(s.get(dw)), r == null ? null : r.get(dw));
            e.activation(pr, shape(s.get(pr)), r == null ? null : r.get(pr));
            e.conv(ex, in, ex, expandW, expandB, 1, "relu6");
            e.depthwise(dw, ex, dw, dwW, dwB, stride, "relu6");
            e.conv(pr, dw, pr, projectW, projectB, 1, "none");
            if (!residual) return pr;
            e.activation(out, shape(s.get(out)), r == null ? null : r.get(out));
            e.add(name + ".residual", in, pr, out);
            return out;
        }
    }

    record Pooling(String name, boolean max, int size, int stride) implements Layer {
        public Tensor forward(Tape t, Tensor x, Map<String, Tensor> acts) {
            Tensor y = max ? ClassifierOps.maxPool(t, x, size, stride) : ClassifierOps.avgPool(t, x, size, stride);
            acts.put(name, y);
            return y;
        }

        public String export(GraphExport e, String in, Map<String, Tensor> s, Map<String, float[]> r) {
            e.activationLike(name, shape(s.get(name)), in);
            e.pool(max ? "max_pool2d" : "avg_pool2d", name, in, name, size, stride);
            return name;
        }
    }

    record GlobalPool(String name) implements Layer {
        public Tensor forward(Tape t, Tensor x, Map<String, Tensor> acts) {
            Tensor y = ClassifierOps.globalAvgPool(t, x);
            acts.put(name, y);
            return y;
        }

        public String export(GraphExport e, String in, Map<String, Tensor> s, Map<String, float[]> r) {
            e.activationLike(name, shape(s.get(name)), in);
            e.node("global_avg_pool", name, in, name);
            return name;
        }
    }

    record Dense(String name, Param w, Param b) implements Layer {
        public Tensor forward(Tape t, Tensor x, Map<String, Tensor> acts) {
            Tensor y = Ops.relu6(t, ClassifierOps.dense(t, x, w, b));
            acts.put(name, y);
            return y;
        }

        public String export(GraphExport e, String in, Map<String, Tensor> s, Map<String, float[]> r) {
            e.activation(name, shape(s.get(name)), r == null ? null : r.get(name));
            e.dense(name, in, name, w, b, "relu6");
            return name;
        }
    }
}
