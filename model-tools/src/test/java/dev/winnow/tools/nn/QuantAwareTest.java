package dev.winnow.tools.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.quant.QuantParams;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quantization-aware training's two halves: fake-quantized activations and int8-rounded filters. */
class QuantAwareTest {
    @Test
    void fakeQuantRoundsToTheInt8GridAndPassesGradientsInsideIt() {
        QuantParams q = QuantParams.forRange(-1, 3);
        float[] v = {-2f, -1f, -0.3f, 0f, 0.01f, 1.234f, 2.99f, 3.5f};
        Tensor x = new Tensor(1, 1, v.length, v.clone());
        Tape t = new Tape(0, true);
        Tensor y = Ops.fakeQuant(t, x, q);
        for (int i = 0; i < v.length; i++) assertEquals(q.dequantize(q.quantize(v[i])), y.data[i], 0f, "value " + v[i]);
        java.util.Arrays.fill(y.grad(), 1f);
        t.backward();
        float lo = q.dequantize(-128), hi = q.dequantize(127);
        for (int i = 0; i < v.length; i++) assertEquals(v[i] >= lo && v[i] <= hi ? 1f : 0f, x.grad()[i], "gradient at " + v[i]);
    }

    @Test
    void filterRoundingGivesInt8ValuesPerOutputChannelAndPutsTheFloatsBack() {
        Random r = new Random(4);
        Param p = new Param("f", new int[] {3, 3, 5, 6}, 1).init(r, 45, 1);
        p.w[7] = 0.9f; // one channel with an outlier, so channels get different scales
        float[] original = p.w.clone();
        FilterRounding rounding = new FilterRounding(List.of(p));
        rounding.round();
        assertThrows(IllegalStateException.class, rounding::round);
        int channels = 6;
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c; i < original.length; i += channels) max = Math.max(max, Math.abs(original[i]));
            float scale = max / 127f;
            for (int i = c; i < original.length; i += channels) {
                float k = p.w[i] / scale;
                assertEquals(Math.round(k), k, 1e-3, "a multiple of the channel's scale");
                assertTrue(Math.abs(Math.round(k)) <= 127);
                assertEquals(original[i], p.w[i], scale / 2 + 1e-7, "rounded to the nearest step");
            }
        }
        // the rounded filter is what the int8 export stores: its own symmetric quantization, scaled back
        float[] ohwi = GraphExport.toOhwi(p), floatOhwi = GraphExport.toOhwi(withValues(p.shape, original));
        float[] scales = QuantParams.symmetricScales(floatOhwi, channels);
        byte[] q = QuantParams.quantizeSymmetric(floatOhwi, scales);
        for (int i = 0; i < ohwi.length; i++) assertEquals(q[i] * scales[i / (ohwi.length / channels)], ohwi[i], 1e-6f * Math.abs(ohwi[i]) + 1e-9f, "entry " + i);
        rounding.restore();
        assertArrayEquals(original, p.w, 0f);
        assertThrows(IllegalStateException.class, rounding::restore);
    }

    private static Param withValues(int[] shape, float[] values) {
        Param p = new Param("copy", shape, 1);
        System.arraycopy(values, 0, p.w, 0, values.length);
        return p;
    }
}
