package dev.winnow.runtime.demo;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.quant.QuantParams;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes a small int8 CNN artifact, loads it, and runs it: the artifact round trip, the memory plan
 * and the per-prediction cost, in one screen. Runs until the job examples take over the first
 * set-up command.
 */
public final class RuntimeDemo {
    public static void main(String[] args) throws Exception {
        Random r = new Random(7);
        int h = 120, w = 160, c = 16;
        QuantParams img = QuantParams.forRange(0, 1), act = QuantParams.forRange(0, 6);
        GraphBuilder g = new GraphBuilder()
                .tensor("image", new int[] {h, w, 1})
                .tensorInt8("image_q", new int[] {h, w, 1}, img)
                .tensorInt8("stem", new int[] {h / 2, w / 2, c}, act)
                .tensorInt8("dw", new int[] {h / 2, w / 2, c}, act)
                .tensorInt8("pool", new int[] {c}, act)
                .tensorInt8("logits_q", new int[] {2}, QuantParams.forRange(-8, 8))
                .tensor("logits", new int[] {2})
                .input("image").output("logits")
                .node("quantize", "q", List.of("image"), List.of("image_q"), null, null)
                .node("conv2d", "stem", List.of("image_q"), List.of("stem"), Map.of("filter", "stem.w"),
                        Map.of("stride", 2L, "activation", "relu6"))
                .node("depthwise_conv2d", "dw", List.of("stem"), List.of("dw"), Map.of("filter", "dw.w"), Map.of("activation", "relu6"))
                .node("global_avg_pool", "gap", List.of("dw"), List.of("pool"), null, null)
                .node("dense", "fc", List.of("pool"), List.of("logits_q"), Map.of("weights", "fc.w"), null)
                .node("dequantize", "dq", List.of("logits_q"), List.of("logits"), null, null);
        g.weightInt8("stem.w", new int[] {c, 3, 3, 1}, randomBytes(r, c * 9), 0, scales(c, 0.01f));
        g.weightInt8("dw.w", new int[] {3, 3, c}, randomBytes(r, 9 * c), 2, scales(c, 0.02f));
        g.weightInt8("fc.w", new int[] {2, c}, randomBytes(r, 2 * c), 0, scales(2, 0.05f));
        byte[] artifact = g.toBytes(Metadata.builder("demo-cnn-int8", "cnn")
                .input("image", new int[] {h, w, 1}, "float32", "HWC", Map.of("colorSpace", "gray", "scale", 1.0 / 255))
                .labels(List.of("empty", "person")).provenance("tool", "RuntimeDemo"));

        Model model = Model.load(artifact);
        System.out.println("loaded " + model.name() + ", sha256 " + model.sha256Hex().substring(0, 16) + "…");
        System.out.print(model.report().toTable());

        Interpreter it = model.newInterpreter();
        float[] frame = new float[h * w];
        for (int i = 0; i < frame.length; i++) frame[i] = r.nextFloat();
        float[] out = new float[2];
        for (int i = 0; i < 2000; i++) it.predict(frame, out);
        int n = 5000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) it.predict(frame, out);
        double us = (System.nanoTime() - t0) / 1e3 / n;
        System.out.printf(Locale.ROOT, "%d predictions at %.1f µs each (%.0f frames/s on one core), logits %.3f %.3f%n",
                n, us, 1e6 / us, out[0], out[1]);
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (r.nextInt(255) - 127);
        return b;
    }

    private static float[] scales(int n, float s) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, s);
        return a;
    }
}
