package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.testing.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An int8 Bonsai artifact computes with the integers and row scales it stores. The rows here do not
 * reach ±127 (scale = 2·max/127, as a learned or clipped-then-rescaled scale could be), which is the
 * case where re-deriving max/127 from the dequantized values would compute something else.
 */
class QuantizedBonsaiStoredScalesTest {
    static final int D = 16, PROJ = 16, L = 26, NODES = 15, INTERNAL = 7;

    static Int8Rows halfRange(float[] m, int rows, int cols) {
        float[] s = new float[rows];
        byte[] q = new byte[m.length];
        for (int r = 0; r < rows; r++) {
            float mx = 0;
            for (int c = 0; c < cols; c++) mx = Math.max(mx, Math.abs(m[r * cols + c]));
            s[r] = mx > 0 ? 2 * mx / 127 : 1;
            for (int c = 0; c < cols; c++) q[r * cols + c] = (byte) Math.round(m[r * cols + c] / s[r]);
        }
        return new Int8Rows(q, s);
    }

    static float[] real(Int8Rows q, int cols) {
        float[] f = new float[q.values().length];
        for (int i = 0; i < f.length; i++) f[i] = q.values()[i] * q.scales()[i / cols];
        return f;
    }

    @Test
    void storedIntegersAndScalesAreUsedAsTheyAre() throws Exception {
        Random r = new Random(311);
        Bonsai f = QuantizedBonsaiTest.letterSized(r);
        Bonsai.Weights w = f.weights();
        Int8Rows z = halfRange(w.z(), PROJ, D + 1), wq = halfRange(w.w(), L * NODES, PROJ), v = halfRange(w.v(), L * NODES, PROJ),
                t = halfRange(w.theta(), INTERNAL, PROJ);
        float[] std = new float[D + 1];
        for (int i = 0; i <= D; i++) std[i] = 1 / w.invStd()[i];
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {D}).tensor("scores", new int[] {L}).input("x").output("scores")
                .node("bonsai", "tree", List.of("x"), List.of("scores"), Map.of("mean", "mean", "std", "std", "Z", "Z", "W", "W", "V", "V", "theta", "T"),
                        Map.of("depth", 3L, "projection", (long) PROJ, "classes", (long) L, "sigma", 1.0, "arithmetic", "int8"))
                .weightFloat("mean", new int[] {D + 1}, w.mean()).weightFloat("std", new int[] {D + 1}, std)
                .weightInt8("Z", new int[] {PROJ, D + 1}, z.values(), 0, z.scales())
                .weightInt8("W", new int[] {L * NODES, PROJ}, wq.values(), 0, wq.scales())
                .weightInt8("V", new int[] {L * NODES, PROJ}, v.values(), 0, v.scales())
                .weightInt8("T", new int[] {INTERNAL, PROJ}, t.values(), 0, t.scales());
        Model m = Model.load(g.toBytes(Metadata.builder("bonsai-int8-half-range", "bonsai").input("x", new int[] {D}, "float32", "features", null)));
        // the float Bonsai of exactly the stored values, and the two integer forms of it
        Bonsai deq = new Bonsai(D, PROJ, L, 3, 1f, w.mean(), std, real(z, D + 1), real(wq, PROJ), real(v, PROJ), real(t, PROJ));
        QuantizedBonsai stored = Int8Bonsai.of(deq, z, wq, v, t), rederived = new Int8Bonsai(deq);
        Interpreter it = m.newInterpreter();
        float[] qf = new float[stored.scratchFloats()];
        short[] qs = new short[stored.scratchInts()];
        int differ = 0, agree = 0, n = 300;
        for (int k = 0; k < n; k++) {
            float[] x = Tensors.gaussian(r, D, 1.5), got = it.predict(x, new float[L]), a = new float[L], b = new float[L], ref = new float[L];
            stored.predict(x, 0, a, 0, qf, 0, qs, 0);
            rederived.predict(x, 0, b, 0, qf, 0, qs, 0);
            deq.predict(x, 0, ref, 0, new float[deq.scratchSize()], 0);
            assertArrayEquals(a, got, "the artifact runs the stored integers");
            if (!java.util.Arrays.equals(a, b)) differ++;
            if (QuantizedBonsaiTest.argmax(got) == QuantizedBonsaiTest.argmax(ref)) agree++;
        }
        assertTrue(differ > n / 2, "re-deriving max/127 changes the integers, so the scores: " + differ + "/" + n);
        assertTrue(agree >= 0.95 * n, "int8 agrees with the float model of the same values on " + agree + "/" + n);
    }

    @Test
    void rowsThatAreNotSymmetricPerRowAreRefused() {
        Random r = new Random(312);
        Bonsai f = QuantizedBonsaiTest.letterSized(r);
        Int8Rows ok = Int8Rows.quantize(f.weights().z(), PROJ, D + 1);
        Int8Rows bad = new Int8Rows(ok.values(), new float[PROJ - 1]);
        Int8Rows w = Int8Rows.quantize(f.weights().w(), L * NODES, PROJ);
        Int8Rows t = Int8Rows.quantize(f.weights().theta(), INTERNAL, PROJ);
        assertThrows(IllegalArgumentException.class, () -> Int8Bonsai.of(f, bad, w, w, t));
    }
}
