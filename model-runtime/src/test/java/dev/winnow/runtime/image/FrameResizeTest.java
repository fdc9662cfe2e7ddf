package dev.winnow.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameResizeTest {
    @Test
    void greyIsRec601Luma() {
        byte[] rgb = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, (byte) 200, (byte) 200, (byte) 200};
        float[] plane = new float[4];
        FrameResize.toPlane(rgb, 4, 1, 3, 1, plane);
        assertArrayEquals(new float[] {0.299f * 255, 0.587f * 255, 0.114f * 255, 200f}, plane, 1e-3f);
    }

    @Test
    void sameSizeIsTheIdentityAndHalvingAveragesPairs() {
        Random r = new Random(3);
        byte[] g = new byte[8 * 6];
        r.nextBytes(g);
        float[] out = new float[8 * 6], plane = new float[8 * 6];
        FrameResize.greyStretch(g, 8, 6, 1, 8, 6, out, plane);
        for (int i = 0; i < g.length; i++) assertEquals((g[i] & 0xff) / 255f, out[i], 1e-6f);
        // half-pixel centres: output (x, y) of a 2x downscale samples source (2x + 0.5, 2y + 0.5), the mean of a 2x2 block
        float[] half = new float[4 * 3];
        FrameResize.greyStretch(g, 8, 6, 1, 4, 3, half, plane);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 4; x++) {
                float m = ((g[2 * y * 8 + 2 * x] & 0xff) + (g[2 * y * 8 + 2 * x + 1] & 0xff) + (g[(2 * y + 1) * 8 + 2 * x] & 0xff)
                        + (g[(2 * y + 1) * 8 + 2 * x + 1] & 0xff)) / 4f / 255f;
                assertEquals(m, half[y * 4 + x], 1e-5f);
            }
    }

    @Test
    void letterboxAreaLeavesTheRestAlone() {
        byte[] g = {10, 20, 30, 40};
        float[] out = new float[3 * 3];
        java.util.Arrays.fill(out, -1f);
        FrameResize.toPlane(g, 2, 2, 1, 1, new float[4]);
        float[] plane = {10, 20, 30, 40};
        FrameResize.resize(plane, 2, 2, 1, out, 0, 3, 2, 2, 1, 1, 1f, new float[] {0f}, new float[] {1f});
        assertArrayEquals(new float[] {-1, -1, -1, -1, 10, 20, -1, 30, 40}, out, 1e-6f);
    }

    @Test
    void sameSizeCopyGivesTheBilinearSumsBits() {
        Random r = new Random(11);
        for (int c : new int[] {1, 3}) {
            int w = 37, h = 23, outW = 41, outH = 27, offX = 2, offY = 3;
            float[] plane = new float[w * h * c];
            for (int i = 0; i < plane.length; i++) plane[i] = r.nextInt(256) + (c == 3 ? 0.25f * r.nextInt(4) : 0f);
            float[] mean = new float[c], invStd = new float[c];
            for (int k = 0; k < c; k++) {
                mean[k] = 0.3f + 0.1f * k;
                invStd[k] = 1f / (0.2f + 0.05f * k);
            }
            float[] fast = new float[5 + outW * outH * c], slow = new float[fast.length];
            java.util.Arrays.fill(fast, -7f);
            java.util.Arrays.fill(slow, -7f);
            FrameResize.resize(plane, w, h, c, fast, 5, outW, w, h, offX, offY, 1f / 255, mean, invStd);
            // at the plane's own size every sample sits on a pixel: the bilinear sum (a·1 + b·0)·1 + (d·1 + e·0)·0
            // is that pixel exactly, so each output is the pixel normalised, in the same float operations
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int k = 0; k < c; k++) {
                        float a = plane[(y * w + x) * c + k];
                        float v = (a * (1 - 0f) + a * 0f) * (1 - 0f) + (a * (1 - 0f) + a * 0f) * 0f;
                        slow[5 + ((y + offY) * outW + x + offX) * c + k] = (v * (1f / 255) - mean[k]) * invStd[k];
                    }
            assertArrayEquals(slow, fast, 0f, c + " channels");
        }
    }
}
