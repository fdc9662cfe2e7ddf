package dev.winnow.tools.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.runtime.family.FastGrnnCell;
import dev.winnow.runtime.family.RnnPool;
import dev.winnow.runtime.family.RnnPoolLayer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The trainer's RNNPool forward equals the runtime's float RNNPool layer (ζ = 1, ν = 0). */
class RnnPoolRuntimeTest {
    @Test
    void sameOutputsAsTheRuntime() {
        Random r = new Random(1);
        FastGrnn a = new FastGrnn("a", 5, 6, 1, r), b = new FastGrnn("b", 6, 4, 1, r);
        Tensor x = GradientCheckTest.randomTensor(12, 16, 5, 1);
        Tensor y = RnnPoolOp.apply(Tape.inference(), x, a, b, 4, 4);
        RnnPool pool = new RnnPool(cell(a), cell(b), 4, 4);
        RnnPoolLayer layer = new RnnPoolLayer(pool, 12, 16, 4, false);
        float[] out = new float[layer.outH() * layer.outW() * layer.outC()], s = new float[layer.scratchSize()];
        layer.run(x.data, 0, out, 0, s, 0);
        for (int i = 0; i < out.length; i++) assertEquals(out[i], y.data[i], 2e-5f);
    }

    static FastGrnnCell cell(FastGrnn c) {
        return new FastGrnnCell(c.input, c.hidden, c.w.w, null, null, c.u.w, null, null, c.bg.w, c.bh.w, 1f, 0f);
    }
}
