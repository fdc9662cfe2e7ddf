package dev.winnow.flink.retention;

import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An event's thumbnail: the analysis frame the detector scored, as a JPEG with the detector's boxes
 * drawn on it. Made from the frame the retention filter already holds when that frame becomes the
 * event's peak (most people), so no clip is decoded again for it. Called only when an event's peak
 * rises, not per frame, so its allocations stay off the per-record path.
 */
public final class PeakThumbnail {
    /** Boxes in a colour that stands out on grey frames, 2 px or more wide so JPEG's halved chroma keeps it. */
    static final Color BOX = new Color(255, 200, 0);
    static final float QUALITY = 0.85f;

    private PeakThumbnail() {}

    /**
     * Loads Java2D and the JPEG writer (ImageIO scans its plugins on first use, which takes a second or
     * more on a busy machine) so an operator pays it in open(), not at its first event mid-stream.
     */
    public static void warmUp() {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawRect(1, 1, 4, 4);
        g.dispose();
        try {
            encode(img);
        } catch (IOException e) {
            throw new IllegalStateException("no JPEG writer in this JVM: " + e.getMessage(), e);
        }
    }

    /**
     * The frame with its verdict's boxes as a JPEG; null when the frame carries no pixels (a marker)
     * or its pixels do not match its size, since a broken thumbnail is worse than none.
     */
    public static byte[] jpeg(ScoredFrame f) {
        if (f.frame == null || f.frame.data == null || f.frame.encoding == null) return null;
        BufferedImage img;
        try {
            img = image(f.frame.encoding, f.frame.width, f.frame.height, f.frame.data);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (img == null) return null;
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(BOX);
            g.setStroke(new BasicStroke(Math.max(2f, img.getWidth() / 160f)));
            float[] b = f.verdict == null || f.verdict.boxes == null ? new float[0] : f.verdict.boxes;
            for (int i = 0; i + 4 < b.length; i += 5) {
                int x = Math.round(b[i]), y = Math.round(b[i + 1]), w = Math.round(b[i + 2]), h = Math.round(b[i + 3]);
                if (w > 0 && h > 0) g.drawRect(x, y, w, h);
            }
        } finally {
            g.dispose();
        }
        try {
            return encode(img);
        } catch (IOException e) {
            return null;
        }
    }

    private static BufferedImage image(FrameEncoding enc, int w, int h, byte[] data) throws IOException {
        switch (enc) {
            case GRAY8 -> {
                if (w <= 0 || h <= 0 || (long) w * h != data.length) return null;
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                int[] px = new int[w * h];
                for (int i = 0; i < px.length; i++) {
                    int v = data[i] & 0xff;
                    px[i] = v << 16 | v << 8 | v;
                }
                img.setRGB(0, 0, w, h, px, 0, w);
                return img;
            }
            case RGB24 -> {
                if (w <= 0 || h <= 0 || (long) w * h * 3 != data.length) return null;
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                int[] px = new int[w * h];
                for (int i = 0; i < px.length; i++) px[i] = (data[3 * i] & 0xff) << 16 | (data[3 * i + 1] & 0xff) << 8 | (data[3 * i + 2] & 0xff);
                img.setRGB(0, 0, w, h, px, 0, w);
                return img;
            }
            case JPEG -> {
                // the scorer already checked the frame's claimed size against its pixel budget
                BufferedImage src = ImageIO.read(new ByteArrayInputStream(data));
                if (src == null) return null;
                BufferedImage img = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.drawImage(src, 0, 0, null);
                g.dispose();
                return img;
            }
            default -> {
                return null;
            }
        }
    }

    private static byte[] encode(BufferedImage img) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(buf)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return buf.toByteArray();
    }
}
