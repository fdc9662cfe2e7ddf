package dev.winnow.runtime.family;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.Tensors;
import org.junit.jupiter.api.Test;

class RnnPoolKnownAnswerTest {

    static RnnPool vww() throws Exception {
        KnownAnswers k = new KnownAnswers("rnnpool_vww_float.json");
        int c = k.integer("INPUT_DIMS"), h1 = k.integer("HIDDEN_DIMS1"), h2 = k.integer("HIDDEN_DIMS2"), p = k.integer("PATCH_DIM");
        FastGrnnCell rnn1 = new FastGrnnCell(c, h1, k.floats("W1"), null, null, k.floats("U1"), null, null,
                k.floats("Bg1"), k.floats("Bh1"), k.number("sigmoid_zeta1"), k.number("sigmoid_nu1"));
        FastGrnnCell rnn2 = new FastGrnnCell(h1, h2, k.floats("W2"), null, null, k.floats("U2"), null, null,
                k.floats("Bg2"), k.floats("Bh2"), k.number("sigmoid_zeta2"), k.number("sigmoid_nu2"));
        return new RnnPool(rnn1, rnn2, p, p);
    }

    @Test
    void vwwBlockMatchesEdgeMlsCReference() throws Exception {
        KnownAnswers k = new KnownAnswers("rnnpool_vww_float.json");
        RnnPool pool = vww();
        float[] out = new float[32];
        pool.pool(k.floats("input"), 0, 6 * 8, out, 0, new float[pool.scratchSize()], 0);
        float[] expected = k.floats("output");
        for (int i = 0; i < 32; i++) assertEquals(expected[i], out[i], 1e-5, "output " + i);
        assertEquals(0.5294126868f, out[0], 1e-5);
    }

    @Test
    void layerGeometryOfTheFaceModels() throws Exception {
        RnnPool p = vww();
        RnnPoolLayer layer = new RnnPoolLayer(new RnnPool(p.rnn1(), p.rnn2(), 8, 8), 240, 320, 4, true);
        assertEquals(60, layer.outH());
        assertEquals(80, layer.outW());
        assertEquals(32, layer.outC());
        RnnPoolLayer unpadded = new RnnPoolLayer(new RnnPool(p.rnn1(), p.rnn2(), 8, 8), 240, 320, 4, false);
        assertEquals(59, unpadded.outH());
        assertEquals(79, unpadded.outW());
    }

    @Test
    void layerPoolsEveryPatchAndReplicatesTheEdge() throws Exception {
        RnnPool pool = vww();
        int h = 14, w = 18, c = 8;
        float[] x = Tensors.uniform(new java.util.Random(3), h * w * c, -1, 1);
        RnnPoolLayer layer = new RnnPoolLayer(pool, h, w, 4, true);
        float[] out = new float[layer.outH() * layer.outW() * 32];
        float[] s = new float[layer.scratchSize()];
        layer.run(x, 0, out, 0, s, 0);
        // patch (1, 2) by hand: copy it out and pool it alone
        float[] patch = new float[6 * 6 * 8];
        for (int r = 0; r < 6; r++) System.arraycopy(x, ((4 + r) * w + 8) * c, patch, r * 6 * c, 6 * c);
        float[] one = new float[32];
        pool.pool(patch, 0, 6 * c, one, 0, new float[pool.scratchSize()], 0);
        for (int i = 0; i < 32; i++) assertEquals(one[i], out[(1 * layer.outW() + 2) * 32 + i], 0f);
        int gh = layer.outH() - 1, gw = layer.outW() - 1;
        for (int i = 0; i < 32; i++) {
            assertEquals(out[(0 * layer.outW() + gw - 1) * 32 + i], out[(0 * layer.outW() + gw) * 32 + i], 0f);
            assertEquals(out[((gh - 1) * layer.outW() + gw) * 32 + i], out[(gh * layer.outW() + gw) * 32 + i], 0f);
        }
    }

    @Test
    void poolingAllocatesNothing() throws Exception {
        RnnPool pool = vww();
        float[] x = new float[288], out = new float[32], s = new float[pool.scratchSize()];
        // warm-up rounds until the JIT's final code runs (the Vector API cells allocate until C2 has compiled them)
        assertEquals(0, Tensors.allocationAfterWarmUp(() -> pool.pool(x, 0, 48, out, 0, s, 0), 1000));
    }
}
