package dev.winnow.connectors.testing;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Test frames: small GRAY8 frames with a recognisable pattern, and real JPEGs made with javax.imageio. */
public final class Frames {
    private Frames() {}

    public static Frame gray(String camera, long seq, long ts, int w, int h) {
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i + seq);
        return new Frame(camera, seq, ts, FrameEncoding.GRAY8, w, h, px);
    }

    /** A real JPEG of size w x h whose content depends on {@code n} (a bar at a position). */
    public static byte[] jpeg(int n, int w, int h) {
        return encode(image(n, w, h, BufferedImage.TYPE_INT_RGB), "jpg");
    }

    public static BufferedImage image(int n, int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(255, 200 - (n * 13) % 150, 40));
        g.fillRect((n * 7) % Math.max(1, w - 8), h / 4, 8, h / 2);
        g.dispose();
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
