package dev.winnow.flink.frames;

import java.awt.image.BufferedImage;

/**
 * An image's pixels as RGB24 bytes (red, green, blue per pixel, rows top down) through
 * {@link BufferedImage#getRGB}, which converts any ImageIO image type. Slow per pixel: the frame
 * operator reads the decoded bytes directly when the image type allows ({@link FramePreprocessor}).
 */
public final class RgbPixels {
    private RgbPixels() {}

    /** Writes {@code img}'s w·h·3 bytes into {@code rgb} (at least that long), a row at a time through {@code row} (at least w ints). */
    public static void toRgb24(BufferedImage img, byte[] rgb, int[] row) {
        int w = img.getWidth(), h = img.getHeight();
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x], i = 3 * (y * w + x);
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
    }
}
