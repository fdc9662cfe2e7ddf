package dev.winnow.runtime.ops;

import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Float16;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The new ops as graph nodes: attributes, shapes, constant operands, and the errors a bad node gets. */
class ImageOpsGraphTest {
    static Model one(String op, int[] in, int[] out, Map<String, Object> attrs, GraphBuilder extra, Map<String, String> weights) throws ModelFormatException {
        GraphBuilder g = extra != null ? extra : new GraphBuilder();
        g.tensor("x", in).tensor("y", out).input("x").output("y").node(op, "n", List.of("x"), List.of("y"), weights, attrs);
        return Model.load(g.toBytes(Metadata.builder("t", "cnn").input("x", in, "float32", "HWC", null)));
    }

    @Test
    void meanOverHeightAndWidthKeepsChannels() throws Exception {
        Random r = new Random(2);
        float[] x = gaussian(r, 5 * 6 * 7, 1);
        Model m = one("mean", new int[] {5, 6, 7}, new int[] {1, 1, 7}, Map.of("axes", List.of(0L, 1L), "keep_dims", 1L), null, null);
        float[] y = m.newInterpreter().predict(x, new float[7]);
        for (int c = 0; c < 7; c++) {
            double s = 0;
            for (int p = 0; p < 30; p++) s += x[p * 7 + c];
            assertEquals(s / 30, y[c], 1e-6);
        }
        Model other = one("mean", new int[] {5, 6, 7}, new int[] {6}, Map.of("axes", List.of(0L, 2L)), null, null);
        float[] z = other.newInterpreter().predict(x, new float[6]);
        for (int w = 0; w < 6; w++) {
            double s = 0;
            for (int h = 0; h < 5; h++) for (int c = 0; c < 7; c++) s += x[(h * 6 + w) * 7 + c];
            assertEquals(s / 35, z[w], 1e-5);
        }
    }

    @Test
    void hardSwishUsesTheGivenScale() throws Exception {
        float s = Float16.toFloat(Float16.fromFloat(1f / 6));
        // 45 values: whole vectors and a tail on the Vector API path
        float[] x = new float[45];
        for (int i = 0; i < x.length; i++) x[i] = -5 + i * 0.25f;
        Model m = one("hard_swish", new int[] {45}, new int[] {45}, Map.of("scale", (double) s), null, null);
        float[] y = m.newInterpreter().predict(x, new float[45]);
        for (int i = 0; i < x.length; i++) assertEquals(x[i] * s * Math.min(Math.max(x[i] + 3, 0), 6), y[i], 1e-6);
        Model hs = one("hard_sigmoid", new int[] {45}, new int[] {45}, null, null, null);
        float[] z = hs.newInterpreter().predict(x, new float[45]);
        for (int i = 0; i < x.length; i++) assertEquals(Math.min(Math.max(x[i] + 3, 0), 6) / 6.0, z[i], 1e-6);
    }

    @Test
    void aConstantOperandCanComeFirst() throws Exception {
        GraphBuilder g = new GraphBuilder().weightFloat16("c", new int[] {1, 1, 2}, new short[] {Float16.fromFloat(10), Float16.fromFloat(20)});
        Model m = one("sub", new int[] {2, 1, 2}, new int[] {2, 1, 2}, Map.of("reverse", 1L), g, Map.of("b", "c"));
        float[] y = m.newInterpreter().predict(new float[] {1, 2, 3, 4}, new float[4]);
        assertEquals(List.of(9f, 18f, 7f, 16f), List.of(y[0], y[1], y[2], y[3]));
    }

    @Test
    void badNodesSayWhatIsWrong() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> one("mean", new int[] {4, 4, 2}, new int[] {2}, Map.of("axes", List.of(0L, 5L)), null, null));
        assertTrue(e.getMessage().contains("axis 5"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> one("resize_bilinear", new int[] {4, 4, 2}, new int[] {8, 8, 2},
                Map.of("size", List.of(8L, 8L), "align_corners", 1L, "half_pixel_centers", 1L), null, null));
        assertTrue(e.getMessage().contains("cannot both"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> one("resize_bilinear", new int[] {4, 4, 2}, new int[] {8, 8, 3},
                Map.of("size", List.of(8L, 8L)), null, null));
        assertTrue(e.getMessage().contains("declared"), e.getMessage());
        GraphBuilder g = new GraphBuilder().weightFloat("c", new int[] {3}, new float[3]);
        e = assertThrows(ModelFormatException.class, () -> one("mul", new int[] {4, 4, 2}, new int[] {4, 4, 2}, null, g, Map.of("b", "c")));
        assertTrue(e.getMessage().contains("do not broadcast"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> {
            GraphBuilder d = new GraphBuilder().tensor("h", new int[] {4, 4, 2}).tensor("w", new int[] {4, 4, 3}).tensor("y", new int[] {5, 6})
                    .input("h").output("y").node("centernet_decode", "d", List.of("h", "w"), List.of("y"), null, Map.of("max_detections", 5L));
            Model.load(d.toBytes(Metadata.builder("t", "cnn").input("h", new int[] {4, 4, 2}, "float32", "HWC", null)));
        });
        assertTrue(e.getMessage().contains("box map"), e.getMessage());
    }
}
