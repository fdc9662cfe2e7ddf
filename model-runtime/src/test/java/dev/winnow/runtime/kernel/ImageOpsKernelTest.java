package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.Arithmetic;

import static dev.winnow.runtime.testing.Tensors.allocationAfterWarmUp;
import static dev.winnow.runtime.testing.Tensors.gaussian;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernels the TF.js CenterNet needs, each against a plain double-precision loop written from
 * TensorFlow's definitions: broadcast arithmetic, bilinear resize (and a hand-worked known answer),
 * and the decode (against a brute-force stable sort of the whole masked heatmap).
 */
class ImageOpsKernelTest {

    /** out[i] = a[ia] op b[ib] by explicit multi-index arithmetic, in double. */
    static double[] broadcastReference(Arithmetic kind, float[] a, int[] as, float[] b, int[] bs) {
        int[] out = Broadcast.shape(as, bs);
        int r = out.length, n = 1;
        for (int d : out) n *= d;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int rest = i, ia = 0, ib = 0, sa = 1, sb = 1;
            for (int k = r - 1; k >= 0; k--) {
                int c = rest % out[k];
                rest /= out[k];
                int ka = k - (r - as.length), kb = k - (r - bs.length);
                if (ka >= 0) { ia += (as[ka] == 1 ? 0 : c) * sa; sa *= as[ka]; }
                if (kb >= 0) { ib += (bs[kb] == 1 ? 0 : c) * sb; sb *= bs[kb]; }
            }
            double x = a[ia], z = b[ib];
            y[i] = kind == Arithmetic.ADD ? x + z : kind == Arithmetic.SUB ? x - z : x * z;
        }
        return y;
    }

    @Test
    void broadcastMatchesTheIndexDefinitionOnEveryPath() {
        Random r = new Random(3);
        int[][][] cases = {
            {{4, 5, 6}, {4, 5, 6}},      // same
            {{4, 5, 6}, {1}},            // scalar right
            {{1}, {4, 5, 6}},            // scalar left
            {{4, 5, 6}, {1, 1, 6}},      // squeeze-excite row
            {{6}, {4, 5, 6}},            // row left
            {{4, 1, 6}, {5, 1}},         // general both ways
            {{2, 3, 1, 5}, {3, 4, 1}},   // rank 4 general
            {{7, 9, 37}, {7, 9, 37}},    // runs longer than a vector, with a tail
            {{7, 9, 40}, {1, 1, 40}},
            {{40}, {3, 5, 40}},
            {{11, 13, 4}, {1}},
            {{1}, {11, 13, 4}},
        };
        for (boolean vector : new boolean[] {false, true}) {
            for (Activation act : Activation.values()) {
                for (Arithmetic kind : Arithmetic.values()) {
                    for (int[][] c : cases) {
                        Broadcast k = new Broadcast(kind, c[0], c[1], act, vector);
                        float[] a = gaussian(r, count(c[0]), 2), b = gaussian(r, count(c[1]), 2), y = new float[k.size() + 3];
                        java.util.Arrays.fill(y, Float.NaN);
                        k.run(a, 0, b, 0, y, 1);
                        double[] want = broadcastReference(kind, a, c[0], b, c[1]);
                        String where = kind + " " + act + (vector ? " vector " : " plain ") + java.util.Arrays.deepToString(c);
                        for (int i = 0; i < want.length; i++) {
                            double v = Math.min(act.max, Math.max(act.min, want[i]));
                            assertEquals(v, y[1 + i], 1e-6 * Math.max(1, Math.abs(v)), where + " at " + i);
                        }
                        assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[k.size() + 1]), "wrote outside the output: " + where);
                    }
                }
            }
        }
        assertNull(Broadcast.shape(new int[] {4, 5}, new int[] {3}));
        Broadcast relu6 = new Broadcast(Arithmetic.ADD, new int[] {3}, new int[] {3}, Activation.RELU6);
        float[] y = new float[3];
        relu6.run(new float[] {-5, 2, 9}, 0, new float[] {1, 1, 1}, 0, y, 0);
        assertArrayEquals(new float[] {0, 3, 6}, y);
    }

    static int count(int[] s) {
        int n = 1;
        for (int d : s) n *= d;
        return n;
    }

    @Test
    void resizeGivesTensorFlowsLegacyAnswerOnAHandWorkedCase() {
        // 2x2 → 4x4, align_corners = half_pixel_centers = false: source rows 0, .5, 1, 1.5 → row 3 clamps to row 1
        ResizeBilinear k = new ResizeBilinear(2, 2, 1, 4, 4, false, false);
        float[] y = new float[16];
        k.run(new float[] {0, 1, 2, 3}, 0, y, 0);
        assertArrayEquals(new float[] {0, 0.5f, 1, 1, 1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 2, 2.5f, 3, 3}, y);
        // align_corners: 2 → 3 maps the corners onto each other
        ResizeBilinear a = new ResizeBilinear(1, 2, 1, 1, 3, true, false);
        float[] z = new float[3];
        a.run(new float[] {0, 4}, 0, z, 0);
        assertArrayEquals(new float[] {0, 2, 4}, z);
    }

    /** TF's compute_interpolation_weights and compute_lerp in double. */
    static double[] resizeReference(float[] x, int h, int w, int c, int oh, int ow, boolean align, boolean half) {
        double[] y = new double[oh * ow * c];
        double sh = align && oh > 1 ? (h - 1) / (double) (oh - 1) : h / (double) oh;
        double sw = align && ow > 1 ? (w - 1) / (double) (ow - 1) : w / (double) ow;
        for (int i = 0; i < oh; i++) {
            double sy = half ? (i + 0.5) * sh - 0.5 : i * sh;
            int y0 = Math.max((int) Math.floor(sy), 0), y1 = Math.min((int) Math.ceil(sy), h - 1);
            double dy = sy - Math.floor(sy);
            for (int j = 0; j < ow; j++) {
                double sx = half ? (j + 0.5) * sw - 0.5 : j * sw;
                int x0 = Math.max((int) Math.floor(sx), 0), x1 = Math.min((int) Math.ceil(sx), w - 1);
                double dx = sx - Math.floor(sx);
                for (int k = 0; k < c; k++) {
                    double tl = x[(y0 * w + x0) * c + k], tr = x[(y0 * w + x1) * c + k], bl = x[(y1 * w + x0) * c + k], br = x[(y1 * w + x1) * c + k];
                    double top = tl + (tr - tl) * dx, bottom = bl + (br - bl) * dx;
                    y[(i * ow + j) * c + k] = top + (bottom - top) * dy;
                }
            }
        }
        return y;
    }

    @Test
    void resizeMatchesTheReferenceInEveryMode() {
        Random r = new Random(5);
        int[][] sizes = {{16, 16, 3, 32, 32}, {7, 5, 4, 13, 9}, {9, 11, 2, 4, 3}, {1, 1, 2, 3, 3}};
        boolean[][] modes = {{false, false}, {true, false}, {false, true}};
        for (int[] s : sizes) {
            for (boolean[] m : modes) {
                float[] x = gaussian(r, s[0] * s[1] * s[2], 3);
                ResizeBilinear k = new ResizeBilinear(s[0], s[1], s[2], s[3], s[4], m[0], m[1]);
                float[] y = new float[s[3] * s[4] * s[2]];
                k.run(x, 0, y, 0);
                double[] want = resizeReference(x, s[0], s[1], s[2], s[3], s[4], m[0], m[1]);
                for (int i = 0; i < want.length; i++) assertEquals(want[i], y[i], 1e-5, java.util.Arrays.toString(s) + " align " + m[0] + " half " + m[1]);
            }
        }
    }

    /** The TF tail spelled out: mask by 3x3 peaks, stable sort of every value, first k. */
    static float[] decodeReference(float[] heat, float[] wh, int h, int w, int c, int k, int pool, float stride) {
        int rad = pool / 2;
        List<float[]> all = new ArrayList<>();
        for (int i = 0; i < h * w * c; i++) {
            int ch = i % c, p = i / c, y = p / w, x = p % w;
            float max = Float.NEGATIVE_INFINITY;
            for (int yy = y - rad; yy <= y + rad; yy++) for (int xx = x - rad; xx <= x + rad; xx++) {
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) max = Math.max(max, heat[(yy * w + xx) * c + ch]);
            }
            all.add(new float[] {heat[i] == max ? heat[i] : 0f, i});
        }
        all.sort(Comparator.<float[]>comparingDouble(v -> -v[0]).thenComparingDouble(v -> v[1]));
        float[] out = new float[k * 6];
        for (int r = 0; r < k; r++) {
            int i = (int) all.get(r)[1], ch = i % c, p = i / c, y = p / w, x = p % w;
            out[r * 6] = x * stride - wh[p * 4];
            out[r * 6 + 1] = y * stride - wh[p * 4 + 1];
            out[r * 6 + 2] = x * stride + wh[p * 4 + 2];
            out[r * 6 + 3] = y * stride + wh[p * 4 + 3];
            out[r * 6 + 4] = all.get(r)[0];
            out[r * 6 + 5] = ch;
        }
        return out;
    }

    @Test
    void decodeGivesTopKsExactOrderIncludingTiesAndZeros() {
        Random r = new Random(9);
        int h = 12, w = 10, c = 3;
        for (int trial = 0; trial < 30; trial++) {
            float[] heat = new float[h * w * c];
            for (int i = 0; i < heat.length; i++) {
                // plateaus and repeated values make ties; some trials are mostly zero
                heat[i] = trial % 3 == 0 ? (r.nextInt(10) == 0 ? r.nextInt(4) / 4f : 0f) : r.nextInt(trial % 3 == 1 ? 6 : 1000) / 1000f;
            }
            float[] wh = gaussian(r, h * w * 4, 5);
            int k = 1 + r.nextInt(trial % 2 == 0 ? 40 : 200);
            CenterNetDecode d = new CenterNetDecode(h, w, c, k, 3, 4f);
            float[] got = new float[k * 6], sv = new float[d.scratchFloats()];
            int[] si = new int[d.scratchInts()];
            d.run(heat, 0, wh, 0, got, 0, sv, 0, si, 0);
            assertArrayEquals(decodeReference(heat, wh, h, w, c, k, 3, 4f), got, "trial " + trial + " k " + k);
        }
    }

    @Test
    void theNewKernelsAllocateNothingAfterWarmUp() {
        Random r = new Random(11);
        Broadcast row = new Broadcast(Arithmetic.MUL, new int[] {16, 16, 32}, new int[] {1, 1, 32}, Activation.NONE);
        Broadcast general = new Broadcast(Arithmetic.SUB, new int[] {4, 1, 6}, new int[] {5, 1}, Activation.NONE);
        float[] a = gaussian(r, 16 * 16 * 32, 1), b = gaussian(r, 32, 1), y = new float[16 * 16 * 32];
        ResizeBilinear rs = new ResizeBilinear(8, 8, 16, 16, 16, false, false);
        CenterNetDecode d = new CenterNetDecode(16, 16, 8, 20, 3, 4f);
        float[] heat = gaussian(r, 16 * 16 * 8, 1), wh = gaussian(r, 16 * 16 * 4, 1), dets = new float[120], sv = new float[20];
        int[] si = new int[20];
        Broadcast same = new Broadcast(Arithmetic.ADD, new int[] {16, 16, 32}, new int[] {16, 16, 32}, Activation.RELU);
        Broadcast scalar = new Broadcast(Arithmetic.SUB, new int[] {1}, new int[] {16, 16, 32}, Activation.NONE);
        Runnable[] kernels = {
            () -> row.run(a, 0, b, 0, y, 0),
            () -> same.run(a, 0, a, 0, y, 0),
            () -> scalar.run(b, 0, a, 0, y, 0),
            () -> general.run(a, 0, b, 0, y, 0),
            () -> rs.run(a, 0, y, 0),
            () -> d.run(heat, 0, wh, 0, dets, 0, sv, 0, si, 0),
        };
        StringBuilder report = new StringBuilder();
        for (int k = 0; k < kernels.length; k++) {
            long bytes = allocationAfterWarmUp(kernels[k], 200);
            if (bytes != 0) report.append("kernel ").append(k).append(": ").append(bytes).append(" B; ");
        }
        assertEquals("", report.toString(), "bytes allocated by 200 calls after warm-up");
    }
}
