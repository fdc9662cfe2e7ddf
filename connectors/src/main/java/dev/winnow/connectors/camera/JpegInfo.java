package dev.winnow.connectors.camera;

/**
 * Structural check of a JPEG file without decoding it: SOI first, a frame header (SOFn) with a
 * non-zero size before the scan, well-formed segment lengths, EOI last. Catches garbage, truncated
 * transfers and spliced parts, which is what a camera stream produces when it goes wrong; it does not
 * prove the entropy-coded data decodes.
 */
public record JpegInfo(int width, int height, int components) {

    /** Parses {@code data[0, length)}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static JpegInfo parse(byte[] data, int length) {
        if (length < 4) throw new IllegalArgumentException("only " + length + " bytes");
        if ((data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException(String.format("no SOI marker (starts with %02X %02X)", data[0] & 0xFF, data[1] & 0xFF));
        }
        int end = length;
        while (end > 4 && (data[end - 1] == 0 || data[end - 1] == '\r' || data[end - 1] == '\n' || data[end - 1] == ' ')) {
            end--; // padding some cameras and multipart writers leave after EOI
        }
        if ((data[end - 2] & 0xFF) != 0xFF || (data[end - 1] & 0xFF) != 0xD9) {
            throw new IllegalArgumentException("no EOI marker at the end (truncated?)");
        }
        int pos = 2;
        while (pos < end) {
            if ((data[pos] & 0xFF) != 0xFF) throw new IllegalArgumentException("expected a marker at byte " + pos);
            while (pos < end && (data[pos] & 0xFF) == 0xFF) pos++; // fill bytes
            if (pos >= end) break;
            int marker = data[pos++] & 0xFF;
            if (marker == 0xD9) break;                                   // EOI before a frame header
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue; // no length
            if (pos + 2 > end) throw new IllegalArgumentException("truncated segment at byte " + pos);
            int len = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
            if (len < 2 || pos + len > end) throw new IllegalArgumentException("bad segment length " + len + " at byte " + pos);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (len < 8) throw new IllegalArgumentException("short frame header");
                int h = ((data[pos + 3] & 0xFF) << 8) | (data[pos + 4] & 0xFF);
                int w = ((data[pos + 5] & 0xFF) << 8) | (data[pos + 6] & 0xFF);
                int nc = data[pos + 7] & 0xFF;
                if (w == 0 || h == 0) throw new IllegalArgumentException("frame header says " + w + "x" + h);
                if (nc != 1 && nc != 3 && nc != 4) throw new IllegalArgumentException(nc + " components");
                return new JpegInfo(w, h, nc);
            }
            if (marker == 0xDA) throw new IllegalArgumentException("scan before any frame header");
            pos += len;
        }
        throw new IllegalArgumentException("no frame header (SOFn)");
    }

    public static JpegInfo parse(byte[] data) {
        return parse(data, data.length);
    }
}
