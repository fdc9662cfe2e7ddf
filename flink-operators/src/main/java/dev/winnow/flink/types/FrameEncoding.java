package dev.winnow.flink.types;

/** How the pixels of a {@link Frame} are stored. */
public enum FrameEncoding {
    /** One byte per pixel, row-major. */
    GRAY8,
    /** Three bytes per pixel (R, G, B), row-major. */
    RGB24,
    /** A JPEG file; width and height are those of the decoded image. */
    JPEG
}
