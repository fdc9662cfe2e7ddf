package dev.winnow.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.testing.Tensors;
import dev.winnow.runtime.testing.TinyCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelTest {
    private final TinyCnn cnn = new TinyCnn(5, 24, 32);

    private List<float[]> images(long seed, int n) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Tensors.uniform(r, cnn.inputSize(), 0, 1));
        return out;
    }

    @Test
    void floatModelMatchesTheReferenceNetwork() throws Exception {
        Model m = Model.load(cnn.float32Artifact());
        Interpreter it = m.newInterpreter();
        float[] probs = new float[TinyCnn.CLASSES];
        for (float[] img : images(1, 20)) {
            it.predict(img, probs);
            double[][] ref = cnn.reference(img);
            assertTrue(Tensors.maxAbsDiff(probs, 0, ref[ref.length - 1]) < 1e-5);
        }
    }

    @Test
    void int8ModelTracksTheFloatModel() throws Exception {
        Model q = Model.load(cnn.int8Artifact(images(2, 30)));
        Interpreter it = q.newInterpreter();
        float[] probs = new float[TinyCnn.CLASSES];
        int agree = 0;
        double worst = 0;
        List<float[]> test = images(3, 50);
        for (float[] img : test) {
            it.predict(img, probs);
            double[] ref = cnn.reference(img)[8];
            worst = Math.max(worst, Tensors.maxAbsDiff(probs, 0, ref));
            if (argmax(probs) == argmax(ref)) agree++;
        }
        // seven quantized layers: each adds at most a step of its output; probabilities end within a few 1/256 steps
        assertTrue(worst < 0.06, "worst probability error " + worst);
        assertTrue(agree >= 45, "int8 agrees with float on " + agree + "/50");
    }

    @Test
    void predictAllocatesNothingAfterWarmUp() throws Exception {
        for (byte[] artifact : List.of(cnn.float32Artifact(), cnn.int8Artifact(images(2, 5)))) {
            Interpreter it = Model.load(artifact).newInterpreter();
            float[] img = images(4, 1).get(0);
            float[] probs = new float[TinyCnn.CLASSES];
            for (int i = 0; i < 20_000; i++) it.predict(img, probs);
            long overhead = 0;
            for (int i = 0; i < 3; i++) {
                long a = Tensors.allocatedBytes();
                overhead = Tensors.allocatedBytes() - a;
            }
            long before = Tensors.allocatedBytes();
            for (int i = 0; i < 1000; i++) it.predict(img, probs);
            assertEquals(0, Tensors.allocatedBytes() - before - overhead, "bytes allocated by 1000 predictions");
        }
    }

    @Test
    void reportsParametersMacsArtifactBytesAndPeakArena() throws Exception {
        byte[] bytes = cnn.float32Artifact();
        ModelReport r = Model.load(bytes).report();
        int sh = 12, sw = 16;
        long macs = (long) sh * sw * 8 * 9      // stem
                + (long) sh * sw * 8 * 9        // depthwise
                + (long) sh * sw * 8 * 8        // pointwise
                + (long) sh * sw * 8            // add
                + 6L * 8 * 8 * 4                // max pool 2x2 over a 6x8x8 output
                + 6L * 8 * 8                    // global average
                + 8 * 4                         // dense
                + 4;                            // softmax
        assertEquals(macs, r.macs());
        assertEquals(8 * 9 + 8 + 9 * 8 + 8 + 64 + 8 + 32 + 4, r.parameters());
        assertEquals(bytes.length, r.artifactBytes());
        // the stem output stays alive for the residual add, so three 12x16x8 maps are live at once, plus at
        // most one op's scratch (the vector convolution's gathered rows and tile, sized by this JVM's lanes)
        long maps = 4L * 3 * sh * sw * 8, scratch = 0;
        for (var op : Model.load(bytes).newInterpreter().graph().ops()) scratch = Math.max(scratch, 4L * op.scratchFloats());
        assertTrue(r.arenaBytes() >= maps && r.arenaBytes() <= maps + scratch, r.arenaBytes() + " B against " + maps + " B of maps and " + scratch + " B of scratch");
        assertTrue(r.unplannedBytes() > r.arenaBytes());
        assertTrue(r.toTable().contains("peak arena"));
        Model q = Model.load(cnn.int8Artifact(images(2, 5)));
        assertTrue(q.report().arenaBytes() < r.arenaBytes() / 2, "int8 activations take a quarter of the float ones");
    }

    @Test
    void badGraphsAreRejectedWithTheNodeNamed() {
        Metadata.Builder meta = Metadata.builder("bad", "cnn").input("x", new int[] {4}, "float32", "features", null);
        GraphBuilder unknown = new GraphBuilder().tensor("x", new int[] {4}).tensor("y", new int[] {4}).input("x").output("y")
                .node("gelu", "act", List.of("x"), List.of("y"), null, null);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(unknown.toBytes(meta)));
        assertTrue(e.getMessage().contains("node 'act' (gelu): unknown op type"), e.getMessage());

        GraphBuilder wrongShape = new GraphBuilder().tensor("x", new int[] {4}).tensor("y", new int[] {3}).input("x").output("y")
                .node("dense", "fc", List.of("x"), List.of("y"), Map.of("weights", "w"), null)
                .weightFloat("w", new int[] {2, 4}, new float[8]);
        e = assertThrows(ModelFormatException.class, () -> Model.load(wrongShape.toBytes(meta)));
        assertTrue(e.getMessage().contains("declared [3] but the op produces [2]"), e.getMessage());

        GraphBuilder missing = new GraphBuilder().tensor("x", new int[] {4}).tensor("y", new int[] {2}).input("x").output("y")
                .node("dense", "fc", List.of("x"), List.of("y"), Map.of("weights", "nope"), null);
        e = assertThrows(ModelFormatException.class, () -> Model.load(missing.toBytes(meta)));
        assertTrue(e.getMessage().contains("names tensor 'nope'"), e.getMessage());

        GraphBuilder huge = new GraphBuilder().tensor("x", new int[] {4}).tensor("y", new int[] {16384, 16384}).input("x").output("y")
                .node("relu", "r", List.of("x"), List.of("y"), null, null);
        assertThrows(ModelFormatException.class, () -> Model.load(huge.toBytes(meta)));

        GraphBuilder cycle = new GraphBuilder().tensor("x", new int[] {4}).tensor("y", new int[] {4}).tensor("z", new int[] {4})
                .input("x").output("z").node("relu", "a", List.of("y"), List.of("z"), null, null)
                .node("relu", "b", List.of("x"), List.of("y"), null, null);
        e = assertThrows(ModelFormatException.class, () -> Model.load(cycle.toBytes(meta)));
        assertTrue(e.getMessage().contains("before anything writes it"), e.getMessage());
    }

    @Test
    void binaryDenseModelRuns() throws Exception {
        Random r = new Random(9);
        float[] w = Tensors.gaussian(r, 3 * 100, 1);
        long[] bits = new long[3 * 2];
        float[] alpha = dev.winnow.runtime.kernel.BinaryPacking.packRows(w, 3, 100, bits);
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {100}).tensor("y", new int[] {3}).input("x").output("y")
                .node("binary_dense", "bin", List.of("x"), List.of("y"), Map.of("weights", "w"), null)
                .weight(wr -> wr.addBinary("w", new int[] {3, 100}, bits, alpha, true));
        Model m = Model.load(g.toBytes(Metadata.builder("bin", "cnn").input("x", new int[] {100}, "float32", "features", null)));
        float[] x = Tensors.gaussian(r, 100, 1);
        float[] y = m.newInterpreter().predict(x, new float[3]);
        double[] ref = dev.winnow.runtime.testing.ReferenceOps.binaryDense(Tensors.toDouble(x), Tensors.toDouble(w), null, 100, 3);
        assertTrue(Tensors.maxAbsDiff(y, 0, ref) < 1e-4);
        assertEquals(8L * 2, m.report().arenaBytes() - 4L * (100 + 4), "two words of packed input in the long bank");
    }

    static int argmax(float[] a) {
        int b = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[b]) b = i;
        return b;
    }

    static int argmax(double[] a) {
        int b = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[b]) b = i;
        return b;
    }
}
