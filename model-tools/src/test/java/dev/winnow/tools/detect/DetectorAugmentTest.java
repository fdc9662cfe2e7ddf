package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorAugmentTest {
    /** A dark frame with one bright 20x50 person whose box's top left corner is ({@code x0}, {@code y0}). */
    static DetectorTrainer.Sample brightPerson(int x0, int y0) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        byte[] px = new byte[W * H];
        for (int y = y0; y < y0 + 50; y++) for (int x = x0; x < x0 + 20; x++) px[y * W + x] = (byte) 220;
        return new DetectorTrainer.Sample("vtest", 0, px, List.of(new float[] {x0, y0, 20, 50}));
    }

    /** The mean of {@code img} over the pixels well inside box {@code b} (a pixel in from each edge); NaN when there are none. */
    static double meanInside(float[] img, float[] b) {
        int W = DetectorNet.IN_W;
        double in = 0, n = 0;
        for (int y = (int) Math.ceil(b[1]) + 1; y < (int) (b[1] + b[3]) - 1; y++)
            for (int x = (int) Math.ceil(b[0]) + 1; x < (int) (b[0] + b[2]) - 1; x++) {
                in += img[y * W + x];
                n++;
            }
        return n > 0 ? in / n : Double.NaN;
    }

    /** A bright box on a dark frame: after flips, shrinking and photometric changes, the box still lies on the bright pixels. */
    @Test
    void boxesFollowFlipAndZoom() {
        int W = DetectorNet.IN_W;
        DetectorTrainer.Sample s = brightPerson(200, 60);
        int shrunk = 0;
        for (long seed = 0; seed < 40; seed++) {
            List<float[]> out = new ArrayList<>();
            float[] img = DetectorTrainer.augment(s, seed, 0.25f, out);
            assertEquals(1, out.size());
            float[] b = out.get(0);
            assertTrue(b[2] >= 0.75f * 20 - 1e-3 && b[2] <= 20 + 1e-3, "width " + b[2]);
            assertEquals(b[2] / 20f, b[3] / 50f, 1e-4f);
            if (b[2] < 19.9f) shrunk++;
            double mean = meanInside(img, b);
            double out0 = 0, m = 0;
            for (int x = 0; x < 40; x++) {
                out0 += img[5 * W + x];
                m++;
            }
            assertTrue(mean > out0 / m + 0.4, "seed " + seed + ": box mean " + mean + ", background " + out0 / m);
        }
        assertTrue(shrunk > 5 && shrunk < 35, "shrunk " + shrunk + " of 40");
    }

    /** Enlarged frames: the kept box lies inside the frame, on the bright pixels, larger; a box pushed out is dropped. */
    @Test
    void enlargedBoxesAreClippedToTheFrameAndFollowThePerson() {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        DetectorTrainer.Sample s = brightPerson(150, 100);
        int enlarged = 0, dropped = 0;
        for (long seed = 0; seed < 90; seed++) {
            List<float[]> out = new ArrayList<>();
            float[] img = DetectorTrainer.augment(s, seed, 0f, 4f, out);
            double lit = 0;
            for (float v : img) lit += v > 0.5f ? 1 : 0;
            if (lit > 1.3 * 20 * 50) enlarged++; // the person covers more pixels
            if (out.isEmpty()) {
                dropped++;
                continue;
            }
            float[] b = out.get(0);
            assertTrue(b[0] >= -1e-3 && b[1] >= -1e-3 && b[0] + b[2] <= W + 1e-3 && b[1] + b[3] <= H + 1e-3, "inside the frame: " + java.util.Arrays.toString(b));
            double mean = meanInside(img, b);
            if (!Double.isNaN(mean)) assertTrue(mean > 0.55, "seed " + seed + ": the box lies on the person, mean " + mean);
        }
        assertTrue(enlarged > 15 && enlarged < 50, "about a third enlarged: " + enlarged + " of 90");
        assertTrue(dropped < enlarged, "most enlarged frames keep the person: dropped " + dropped);
    }
}
