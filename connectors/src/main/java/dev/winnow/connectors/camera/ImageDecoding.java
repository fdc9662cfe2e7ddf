package dev.winnow.connectors.camera;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Turns an image file's bytes into a {@link Frame}: JPEG stays JPEG (checked, not decoded); PNG is
 * decoded to GRAY8 when it has one channel and to RGB24 otherwise; binary PGM (P5) is GRAY8 and
 * binary PPM (P6) is RGB24. Anything unreadable throws {@link IllegalArgumentException}.
 */
public final class ImageDecoding {
    private ImageDecoding() {}

    public static boolean supported(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".pgm") || n.endsWith(".ppm");
    }

    public static Frame decode(String cameraId, long seq, long timestampMillis, String fileName, byte[] bytes) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            JpegInfo info = JpegInfo.parse(bytes);
            return new Frame(cameraId, seq, timestampMillis, FrameEncoding.JPEG, info.width(), info.height(), bytes);
        }
        Frame f = n.endsWith(".png") ? png(bytes) : pnm(bytes);
        f.cameraId = cameraId;
        f.seq = seq;
        f.timestampMillis = timestampMillis;
        return f;
    }

    static Frame png(byte[] bytes) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable PNG: " + e.getMessage(), e);
        }
        if (img == null) throw new IllegalArgumentException("not an image ImageIO can read");
        int w = img.getWidth();
        int h = img.getHeight();
        Frame f = new Frame();
        f.width = w;
        f.height = h;
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] src = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            f.encoding = FrameEncoding.GRAY8;
            f.data = src.length == w * h ? src.clone() : copyGray(img);
        } else if (img.getColorModel().getNumComponents() == 1) {
            f.encoding = FrameEncoding.GRAY8;
            f.data = copyGray(img);
        } else {
            f.encoding = FrameEncoding.RGB24;
            byte[] rgb = new byte[3 * w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    int o = 3 * (y * w + x);
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
            f.data = rgb;
        }
        return f;
    }

    private static byte[] copyGray(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int bits = img.getColorModel().getComponentSize(0);
        int[] px = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
        byte[] out = new byte[w * h];
        int shift = Math.max(0, bits - 8);
        for (int i = 0; i < out.length; i++) out[i] = (byte) (px[i] >> shift);
        return out;
    }

    /** Binary PGM (P5) or PPM (P6) with maxval up to 255. */
    static Frame pnm(byte[] b) {
        int[] pos = {0};
        String magic = token(b, pos);
        if (!magic.equals("P5") && !magic.equals("P6")) throw new IllegalArgumentException("not a binary PGM/PPM (magic " + magic + ")");
        int w = number(b, pos, "width");
        int h = number(b, pos, "height");
        int max = number(b, pos, "maxval");
        if (w <= 0 || h <= 0 || (long) w * h > 100_000_000L) throw new IllegalArgumentException("bad size " + w + "x" + h);
        if (max <= 0 || max > 255) throw new IllegalArgumentException("maxval " + max + " (only 8-bit supported)");
        pos[0]++; // the single whitespace after maxval
        int channels = magic.equals("P5") ? 1 : 3;
        int n = channels * w * h;
        if (b.length - pos[0] < n) throw new IllegalArgumentException("truncated: " + (b.length - pos[0]) + " of " + n + " pixel bytes");
        byte[] data = new byte[n];
        System.arraycopy(b, pos[0], data, 0, n);
        if (max != 255) for (int i = 0; i < n; i++) data[i] = (byte) Math.min(255, (data[i] & 0xFF) * 255 / max);
        Frame f = new Frame();
        f.width = w;
        f.height = h;
        f.encoding = channels == 1 ? FrameEncoding.GRAY8 : FrameEncoding.RGB24;
        f.data = data;
        return f;
    }

    private static int number(byte[] b, int[] pos, String what) {
        String t = token(b, pos);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + t + "'");
        }
    }

    private static String token(byte[] b, int[] pos) {
        int i = pos[0];
        while (i < b.length) {
            if (b[i] == '#') {
                while (i < b.length && b[i] != '\n') i++;
            } else if (Character.isWhitespace(b[i])) {
                i++;
            } else {
                break;
            }
        }
        int start = i;
        while (i < b.length && !Character.isWhitespace(b[i]) && i - start < 16) i++;
        pos[0] = i;
        if (start == i) throw new IllegalArgumentException("truncated header");
        return new String(b, start, i - start, StandardCharsets.US_ASCII);
    }
}
