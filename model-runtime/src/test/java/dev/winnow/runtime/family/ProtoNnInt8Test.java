package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.QuantizationInfo;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.runtime.testing.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The integer ProtoNN against a plain double-precision ProtoNN on the same (dequantized) weights
 * and input: the only approximations are the requantized projection (half a step of B's scale
 * per coordinate) and the float exp. Letter-sized: D = 16 integer features in [0, 15], d̂ = 16, L = 26.
 */
class ProtoNnInt8Test {
    static final int D = 16, PROJ = 16, M = 78, L = 26;
    static final float GAMMA = 0.35f;

    record Quantized(QuantParams in, byte[] w8, float[] ws, byte[] b8, float bs, byte[] z8, float zs) {
        double[] w() { double[] o = new double[w8.length]; for (int i = 0; i < o.length; i++) o[i] = w8[i] * (double) ws[i / D]; return o; }
        double[] b() { double[] o = new double[b8.length]; for (int i = 0; i < o.length; i++) o[i] = b8[i] * (double) bs; return o; }
        double[] z() { double[] o = new double[z8.length]; for (int i = 0; i < o.length; i++) o[i] = z8[i] * (double) zs; return o; }
    }

    /** A random Letter-shaped ProtoNN whose prototypes sit where the projected inputs fall, then int8 as the exporter stores it. */
    static final float[][] SOURCES = new float[M][];

    static Quantized model(Random r, double wZeros, double zZeros) {
        float[] w = Tensors.gaussian(r, PROJ * D, 0.25);
        for (int i = 0; i < w.length; i++) if (r.nextDouble() < wZeros) w[i] = 0;
        float[] b = new float[M * PROJ];
        for (int j = 0; j < M; j++) {
            float[] x = integers(r);
            SOURCES[j] = x;
            for (int k = 0; k < PROJ; k++) {
                double acc = 0;
                for (int c = 0; c < D; c++) acc += w[k * D + c] * x[c];
                b[j * PROJ + k] = (float) (acc + r.nextGaussian() * 0.5);
            }
        }
        float[] z = Tensors.uniform(r, M * L, -0.2, 1);
        for (int i = 0; i < z.length; i++) if (r.nextDouble() < zZeros) z[i] = 0;
        float[] ws = QuantParams.symmetricScales(w, PROJ);
        float bs = maxAbs(b) / 127, zs = maxAbs(z) / 127;
        return new Quantized(QuantParams.forRange(0, 15), QuantParams.quantizeSymmetric(w, ws), ws,
                QuantParams.quantizeSymmetric(b, new float[] {bs}), bs, QuantParams.quantizeSymmetric(z, new float[] {zs}), zs);
    }

    static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    static float[] integers(Random r) {
        float[] x = new float[D];
        for (int i = 0; i < D; i++) x[i] = r.nextInt(16);
        return x;
    }

    /** A point near one of the prototypes' source points (each feature moved by up to ±2), as test data lies near what was learned. */
    static float[] near(Random r) {
        float[] x = SOURCES[r.nextInt(M)].clone();
        for (int i = 0; i < D; i++) x[i] = Math.max(0, Math.min(15, x[i] + r.nextInt(5) - 2));
        return x;
    }

    static ProtoNn.Int8 kernel(Quantized q) {
        float[] z = new float[q.z8.length];
        for (int i = 0; i < z.length; i++) z[i] = q.z8[i] * q.zs;
        return new ProtoNn.Int8(D, PROJ, M, L, q.in.scale(), q.in.zeroPoint(), q.w8, q.ws, q.b8, q.bs, z, GAMMA);
    }

    /** y = Σ_j Z_j exp(−γ² ‖B_j − W x‖²) in double precision. */
    static double[] reference(Quantized q, float[] x) {
        double[] w = q.w(), b = q.b(), z = q.z(), p = new double[PROJ], y = new double[L];
        for (int k = 0; k < PROJ; k++) for (int c = 0; c < D; c++) p[k] += w[k * D + c] * q.in.dequantize(q.in.quantize(x[c]));
        for (int j = 0; j < M; j++) {
            double d2 = 0;
            for (int k = 0; k < PROJ; k++) d2 += (b[j * PROJ + k] - p[k]) * (b[j * PROJ + k] - p[k]);
            double kj = Math.exp(-(double) GAMMA * GAMMA * d2);
            for (int l = 0; l < L; l++) y[l] += z[j * L + l] * kj;
        }
        return y;
    }

    static int argmax(double[] a) {
        int b = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[b]) b = i;
        return b;
    }

    /**
     * The integer pipeline written out in double precision: int32 projection, p rounded to B's step
     * and clamped, then distances, exp and Z in double. Differs from the kernel only by float exp
     * and float accumulation.
     */
    static double[] integerReference(Quantized q, byte[] xq) {
        double[] b = q.b(), z = q.z(), y = new double[L];
        long[] p = new long[PROJ];
        for (int k = 0; k < PROJ; k++) {
            long acc = 0;
            for (int c = 0; c < D; c++) acc += q.w8[k * D + c] * (xq[c] - q.in.zeroPoint());
            p[k] = Math.max(-ProtoNn.Int8.P_LIMIT, Math.min(ProtoNn.Int8.P_LIMIT, Math.round(acc * ((double) q.ws[k] * q.in.scale() / q.bs))));
        }
        for (int j = 0; j < M; j++) {
            double d2 = 0;
            for (int k = 0; k < PROJ; k++) d2 += Math.pow(q.b8[j * PROJ + k] - p[k], 2);
            double kj = Math.exp(-(double) GAMMA * GAMMA * q.bs * q.bs * d2);
            for (int l = 0; l < L; l++) y[l] += z[j * L + l] * kj;
        }
        return y;
    }

    /** Largest score change that rounding the projection to B's step can cause: |Δd²_j| ≤ s_B Σ|B_j − p| + d̂ s_B²/4. */
    static double[] roundingBound(Quantized q, float[] x) {
        double[] w = q.w(), b = q.b(), z = q.z(), p = new double[PROJ], bound = new double[L];
        for (int k = 0; k < PROJ; k++) for (int c = 0; c < D; c++) p[k] += w[k * D + c] * q.in.dequantize(q.in.quantize(x[c]));
        for (int j = 0; j < M; j++) {
            double d2 = 0, l1 = 0;
            for (int k = 0; k < PROJ; k++) {
                double dd = b[j * PROJ + k] - p[k];
                d2 += dd * dd;
                l1 += Math.abs(dd);
            }
            double g2 = (double) GAMMA * GAMMA, delta = q.bs * l1 + PROJ * q.bs * q.bs / 4;
            double kj = Math.exp(-g2 * d2), change = Math.max(Math.exp(g2 * delta) - 1, 1 - Math.exp(-g2 * delta));
            for (int l = 0; l < L; l++) bound[l] += Math.abs(z[j * L + l]) * kj * change;
        }
        return bound;
    }

    @Test
    void integerPathMatchesADoubleReference() {
        Random r = new Random(301);
        Quantized q = model(r, 0, 0);
        ProtoNn.Int8 k = kernel(q);
        byte[] xq = new byte[D];
        int[] p = new int[k.scratchInts()];
        float[] y = new float[L];
        double worstInt = 0, worstFloat = 0, worstFloatRel = 0;
        int agree = 0, n = 2000;
        for (int t = 0; t < n; t++) {
            float[] x = near(r);
            for (int i = 0; i < D; i++) xq[i] = q.in.quantize(x[i]);
            k.predict(xq, 0, y, 0, p, 0);
            double[] exact = integerReference(q, xq), real = reference(q, x), bound = roundingBound(q, x);
            double scale = Math.max(1e-6, Tensors.maxAbs(real));
            worstInt = Math.max(worstInt, Tensors.maxAbsDiff(y, 0, exact) / Math.max(1e-6, Tensors.maxAbs(exact)));
            for (int l = 0; l < L; l++) assertTrue(Math.abs(y[l] - real[l]) <= bound[l] + 1e-5 * scale, "row " + t + " class " + l + ": error beyond half a step of s_B");
            worstFloat = Math.max(worstFloat, Tensors.maxAbsDiff(y, 0, real));
            worstFloatRel = Math.max(worstFloatRel, Tensors.maxAbsDiff(y, 0, real) / scale);
            if (argmax(Tensors.toDouble(y)) == argmax(real)) agree++;
        }
        System.out.printf("ProtoNN int8: vs the integer pipeline in double, max error %.2g of the largest score; vs double ProtoNN on the same"
                + " int8 weights, max |error| %.3g (%.3g of the largest score), same class %d/%d%n", worstInt, worstFloat, worstFloatRel, agree, n);
        assertTrue(worstInt < 2e-6, "float exp and accumulation only: " + worstInt);
        assertTrue(agree >= 0.97 * n, "same class on " + agree + "/" + n);
    }

    @Test
    void inputsAreExactForIntegerFeaturesAndTheProjectionIsRequantizedIntoBsScale() {
        Random r = new Random(302);
        Quantized q = model(r, 0, 0);
        for (int v = 0; v <= 15; v++) assertEquals(v, q.in.dequantize(q.in.quantize(v)), 1e-5, "feature value " + v);
        // a W whose only entry maps input 15 to exactly 100 steps of B's scale
        byte[] w8 = new byte[PROJ * D];
        float[] ws = new float[PROJ];
        java.util.Arrays.fill(ws, 1f);
        w8[0] = 100;
        ws[0] = q.bs / (15f);
        float[] z = new float[M * L];
        ProtoNn.Int8 k = new ProtoNn.Int8(D, PROJ, M, L, q.in.scale(), q.in.zeroPoint(), w8, ws, q.b8, q.bs, z, GAMMA);
        int[] p = new int[PROJ];
        byte[] xq = new byte[D];
        for (int i = 0; i < D; i++) xq[i] = q.in.quantize(0);
        xq[0] = q.in.quantize(15);
        k.predict(xq, 0, new float[L], 0, p, 0);
        assertEquals(100, p[0]);
        // far outside B's range the projection saturates at ±P_LIMIT rather than wrapping
        ws[0] = q.bs * 100;
        k = new ProtoNn.Int8(D, PROJ, M, L, q.in.scale(), q.in.zeroPoint(), w8, ws, q.b8, q.bs, z, GAMMA);
        k.predict(xq, 0, new float[L], 0, p, 0);
        assertEquals(ProtoNn.Int8.P_LIMIT, p[0]);
    }

    static byte[] artifact(Quantized q) {
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {D}).tensorInt8("xq", new int[] {D}, q.in).tensor("scores", new int[] {L})
                .input("x").output("scores")
                .node("quantize", "q", List.of("x"), List.of("xq"), null, null)
                .node("protonn", "protonn", List.of("xq"), List.of("scores"), Map.of("W", "W", "B", "B", "Z", "Z"), Map.of("gamma", (double) GAMMA))
                .weightInt8("W", new int[] {PROJ, D}, q.w8, 0, q.ws)
                .weight(w -> w.addInt8("B", new int[] {M, PROJ}, q.b8, QuantizationInfo.perTensor(q.bs, 0), false))
                .weight(w -> w.addInt8("Z", new int[] {M, L}, q.z8, QuantizationInfo.perTensor(q.zs, 0), true));
        return g.toBytes(Metadata.builder("protonn-int8", "protonn").input("x", new int[] {D}, "float32", "features", null));
    }

    @Test
    void artifactRunsTheIntegerKernelWithoutAllocatingAndCountsOnlyNonZeros() throws Exception {
        Random r = new Random(303);
        Quantized q = model(r, 0.5, 0.7);
        Model m = Model.load(artifact(q));
        ProtoNn.Int8 k = kernel(q);
        Interpreter it = m.newInterpreter();
        float[] got = new float[L], want = new float[L];
        byte[] xq = new byte[D];
        int[] p = new int[PROJ];
        for (int t = 0; t < 200; t++) {
            float[] x = integers(r);
            it.predict(x, got);
            for (int i = 0; i < D; i++) xq[i] = q.in.quantize(x[i]);
            k.predict(xq, 0, want, 0, p, 0);
            assertArrayEquals(want, got, "row " + t);
        }
        int wNnz = 0, zNnz = 0, bNnz = 0;
        for (byte v : q.w8) if (v != 0) wNnz++;
        for (byte v : q.z8) if (v != 0) zNnz++;
        for (byte v : q.b8) if (v != 0) bNnz++;
        var op = m.report().ops().stream().filter(o -> o.type().equals("protonn")).findFirst().orElseThrow();
        assertEquals(wNnz + (long) M * PROJ + zNnz, op.macs());
        assertEquals(wNnz + bNnz + zNnz + 1L, op.parameters());
        assertTrue(wNnz < PROJ * D * 0.6 && zNnz < M * L * 0.4, "the test model is sparse");
        // at most the float input, the int8 input, the int32 projection and the float scores: no float scratch
        assertTrue(m.report().arenaBytes() <= 4L * D + D + 4L * PROJ + 4L * L, m.report().arenaBytes() + " B");
        float[] x = integers(r), y = new float[L];
        for (int i = 0; i < 20_000; i++) it.predict(x, y);
        long overhead = -Tensors.allocatedBytes() + Tensors.allocatedBytes();
        long before = Tensors.allocatedBytes();
        for (int i = 0; i < 1000; i++) it.predict(x, y);
        assertEquals(0, Tensors.allocatedBytes() - before - overhead, "int8 ProtoNN predict allocates");
    }

    @Test
    void floatProtoNnSkipsZerosAndCountsThem() {
        Random r = new Random(304);
        float[] w = Tensors.gaussian(r, PROJ * D, 0.3), b = Tensors.gaussian(r, M * PROJ, 1), z = Tensors.uniform(r, M * L, 0, 1);
        for (int i = 0; i < z.length; i++) if (i % L != i / L % L) z[i] = 0; // one label per prototype
        for (int i = 0; i < w.length; i += 2) w[i] = 0;
        ProtoNn p = new ProtoNn(D, PROJ, M, L, w, b, z, GAMMA);
        assertEquals(PROJ * D / 2 + (long) M * PROJ + M, p.macs());
        assertEquals(PROJ * D / 2 + (long) M * PROJ + M + 1, p.parameters());
    }
}
