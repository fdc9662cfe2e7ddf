package dev.winnow.tools.onnx;

import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.format.Metadata;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ops of the CenterNet teacher's graph (MobileNetV3 squeeze-excite, upsampling head) in one small
 * graph: hard_swish, mean over H and W, hard_sigmoid, broadcast mul, resize_bilinear in each of
 * TensorFlow's coordinate modes, concat, a constant mul and sigmoid; ONNX Runtime gives Winnow's outputs.
 */
class TeacherOpsExportTest {
    static byte[] model(boolean align, boolean half) {
        Random r = new Random(3);
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {8, 8, 3}).tensor("c1", new int[] {4, 4, 8}).tensor("hs", new int[] {4, 4, 8})
                .tensor("m", new int[] {1, 1, 8}).tensor("se", new int[] {1, 1, 8}).tensor("gate", new int[] {1, 1, 8}).tensor("scaled", new int[] {4, 4, 8})
                .tensor("up", new int[] {8, 8, 8}).tensor("side", new int[] {8, 8, 4}).tensor("cat", new int[] {8, 8, 12})
                .tensor("k", new int[] {8, 8, 12}).tensor("y", new int[] {8, 8, 12}).input("x").output("y");
        g.weightFloat("c1.f", new int[] {8, 3, 3, 3}, FastGrnnExportTest.gaussian(r, 216, 0.5)).weightFloat("c1.b", new int[] {8}, FastGrnnExportTest.gaussian(r, 8, 0.1))
                .weightFloat("se.f", new int[] {8, 1, 1, 8}, FastGrnnExportTest.gaussian(r, 64, 0.5)).weightFloat("se.b", new int[] {8}, FastGrnnExportTest.gaussian(r, 8, 0.1))
                .weightFloat("side.f", new int[] {4, 1, 1, 3}, FastGrnnExportTest.gaussian(r, 12, 0.5)).weightFloat("side.b", new int[] {4}, new float[4])
                .weightFloat("k.b", new int[] {1}, new float[] {1.5f});
        g.node("conv2d", "c1", List.of("x"), List.of("c1"), Map.of("filter", "c1.f", "bias", "c1.b"), Map.of("stride", 2L))
                .node("hard_swish", "hs", List.of("c1"), List.of("hs"), null, Map.of("scale", 0.1666259765625))
                .node("mean", "m", List.of("hs"), List.of("m"), null, Map.of("axes", List.of(0L, 1L), "keep_dims", 1L))
                .node("conv2d", "se", List.of("m"), List.of("se"), Map.of("filter", "se.f", "bias", "se.b"), null)
                .node("hard_sigmoid", "gate", List.of("se"), List.of("gate"), null, Map.of("scale", 0.1666259765625))
                .node("mul", "scaled", List.of("gate", "hs"), List.of("scaled"), null, null)
                .node("resize_bilinear", "up", List.of("scaled"), List.of("up"), null,
                        Map.of("size", List.of(8L, 8L), "align_corners", align ? 1L : 0L, "half_pixel_centers", half ? 1L : 0L))
                .node("conv2d", "side", List.of("x"), List.of("side"), Map.of("filter", "side.f", "bias", "side.b"), Map.of("activation", "relu"))
                .node("concat", "cat", List.of("side", "up"), List.of("cat"), null, null)
                .node("mul", "k", List.of("cat"), List.of("k"), Map.of("b", "k.b"), null)
                .node("sigmoid", "y", List.of("k"), List.of("y"), null, null);
        return g.toBytes(Metadata.builder("teacher-ops", "cnn").input("x", new int[] {8, 8, 3}, "float32", "HWC", null));
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true"})
    void teacherOpsAgree(boolean align, boolean half) throws Exception {
        try (OrtTwin t = new OrtTwin(model(align, half))) {
            float[] x = FastGrnnExportTest.gaussian(new Random(4), 192, 1);
            OnnxExportTest.compare(t, t.winnow(x), t.ort(x), 1e-5);
        }
    }
}
