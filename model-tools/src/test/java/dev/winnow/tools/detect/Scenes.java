package dev.winnow.tools.detect;

import java.util.Random;

/** Test images for the detector: smooth random blobs, like a scene, rather than white noise. */
public final class Scenes {
    private Scenes() {}

    /** A 320x240 grey image (values 0..1) of 40 flat squares of random size, place and level; the same for the same seed. */
    public static float[] blobs(long seed) {
        Random r = new Random(seed);
        float[] img = new float[DetectorNet.IN_H * DetectorNet.IN_W];
        for (int k = 0; k < 40; k++) {
            int cx = r.nextInt(DetectorNet.IN_W), cy = r.nextInt(DetectorNet.IN_H), rad = 5 + r.nextInt(30);
            float v = r.nextFloat();
            for (int y = Math.max(0, cy - rad); y < Math.min(DetectorNet.IN_H, cy + rad); y++)
                for (int x = Math.max(0, cx - rad); x < Math.min(DetectorNet.IN_W, cx + rad); x++) img[y * DetectorNet.IN_W + x] = v;
        }
        return img;
    }
}
