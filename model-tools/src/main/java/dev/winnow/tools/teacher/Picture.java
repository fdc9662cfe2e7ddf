package dev.winnow.tools.teacher;

/**
 * A decoded frame: 8-bit samples, row-major, {@code channels} per pixel (1 grey, 3 RGB).
 * The array is not copied: the producer hands it over.
 */
public record Picture(int width, int height, int channels, byte[] data) {
    public Picture {
        if (width < 1 || height < 1) throw new IllegalArgumentException("picture size " + width + "x" + height);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("pictures have 1 or 3 channels, not " + channels);
        if (data.length != (long) width * height * channels) {
            throw new IllegalArgumentException("picture " + width + "x" + height + "x" + channels + " needs " + (long) width * height * channels + " bytes, has " + data.length);
        }
    }
}
