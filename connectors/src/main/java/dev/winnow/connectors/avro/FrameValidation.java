package dev.winnow.connectors.avro;

import dev.winnow.flink.types.Frame;

/**
 * What decoding a frame cannot check (see {@link AvroFormat#FRAME}): that its sizes agree with its
 * encoding, so that a frame that decodes is one a model can read.
 */
public final class FrameValidation {
    private FrameValidation() {}

    /**
     * Checks what a decoder cannot: sizes that agree with the encoding. Throws
     * {@link IllegalArgumentException} naming the problem.
     */
    public static Frame validate(Frame f) {
        if (f.cameraId == null || f.cameraId.isEmpty()) throw new IllegalArgumentException("empty cameraId");
        if (f.seq < 0) throw new IllegalArgumentException("negative seq " + f.seq);
        if (f.width <= 0 || f.height <= 0 || (long) f.width * f.height > 100_000_000L) {
            throw new IllegalArgumentException("bad size " + f.width + "x" + f.height);
        }
        long expected = switch (f.encoding) {
            case GRAY8 -> (long) f.width * f.height;
            case RGB24 -> 3L * f.width * f.height;
            case JPEG -> -1;
        };
        int n = f.sizeBytes();
        if (expected >= 0 && n != expected) {
            throw new IllegalArgumentException(f.encoding + " " + f.width + "x" + f.height + " needs " + expected
                    + " bytes, got " + n);
        }
        if (f.encoding == dev.winnow.flink.types.FrameEncoding.JPEG
                && (n < 4 || (f.data[0] & 0xFF) != 0xFF || (f.data[1] & 0xFF) != 0xD8)) {
            throw new IllegalArgumentException("JPEG data does not start with the SOI marker");
        }
        return f;
    }
}
