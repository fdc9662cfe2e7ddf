package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.runtime.format.InputSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The JPEG path reads ImageIO's decoded bytes directly and reuses its reader and image between frames.
 * Whatever the order of sizes, colour and grey frames and broken frames, each frame's tensor must be
 * exactly what decoding that frame alone through {@code getRGB} gives (the RGB24 path of the same pixels).
 */
class JpegDecodeTest {

    static InputSpec spec(int channels, String fit) {
        return new InputSpec("frame", new int[] {24, 32, channels}, "float32", "HWC", Map.of("scale", 1.0 / 255, "fit", fit));
    }

    static byte[] jpeg(int w, int h, boolean colour, long seed) throws Exception {
        BufferedImage img = new BufferedImage(w, h, colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 5 + y * 3 + r.nextInt(40)) & 0xFF;
                img.setRGB(x, y, colour ? (v << 16) | (((255 - v) & 0xFF) << 8) | ((x * 9) & 0xFF) : (v << 16) | (v << 8) | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "jpg", out));
        return out.toByteArray();
    }

    /** The frame decoded on its own by ImageIO.read and getRGB, then fed as raw RGB24 or GRAY8. */
    static float[] reference(InputSpec spec, byte[] jpg) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpg));
        int w = img.getWidth(), h = img.getHeight();
        Frame raw;
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] g = new byte[w * h];
            img.getRaster().getDataElements(0, 0, w, h, g);
            raw = new Frame("ref", 0, 0, FrameEncoding.GRAY8, w, h, g);
        } else {
            byte[] rgb = new byte[3 * w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = img.getRGB(x, y), i = 3 * (y * w + x);
                    rgb[i] = (byte) (p >> 16);
                    rgb[i + 1] = (byte) (p >> 8);
                    rgb[i + 2] = (byte) p;
                }
            }
            raw = new Frame("ref", 0, 0, FrameEncoding.RGB24, w, h, rgb);
        }
        FramePreprocessor p = new FramePreprocessor(spec);
        float[] x = new float[p.inputSize()];
        p.apply(raw, x, 0);
        return x;
    }

    @Test
    void everyFrameMatchesDecodingItAloneThroughGetRgb() throws Exception {
        List<byte[]> frames = List.of(jpeg(64, 48, true, 1), jpeg(64, 48, true, 2), jpeg(64, 48, false, 3),
                jpeg(80, 60, true, 4), jpeg(64, 48, true, 5), jpeg(41, 37, false, 6), jpeg(64, 48, true, 7));
        for (InputSpec spec : List.of(spec(1, "stretch"), spec(3, "stretch"), spec(1, "letterbox"))) {
            FramePreprocessor p = new FramePreprocessor(spec);
            float[] x = new float[p.inputSize()];
            long seq = 0;
            for (byte[] jpg : frames) {
                p.apply(new Frame("cam", seq++, 0, FrameEncoding.JPEG, 0, 0, jpg), x, 0);
                assertArrayEquals(reference(spec, jpg), x, 0f, "frame " + (seq - 1) + " with " + spec.shape()[2] + " channels, " + spec.preprocess().get("fit"));
            }
        }
    }

    @Test
    void aBrokenFrameDoesNotSpoilTheNext() throws Exception {
        FramePreprocessor p = new FramePreprocessor(spec(1, "stretch"));
        float[] x = new float[p.inputSize()];
        byte[] good = jpeg(64, 48, true, 8);
        p.apply(new Frame("cam", 0, 0, FrameEncoding.JPEG, 0, 0, good), x, 0);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 3);
        byte[] garbage = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        for (byte[] bad : List.of(truncated, garbage)) {
            Frame f = new Frame("cam", 1, 0, FrameEncoding.JPEG, 0, 0, bad);
            MalformedFrameException e = null;
            try {
                p.apply(f, x, 0);
            } catch (MalformedFrameException m) {
                e = m;
            }
            // ImageIO decodes a truncated baseline JPEG with a grey tail; garbage it refuses.
            if (bad == garbage) assertNotNull(e, "garbage must be refused");
            if (e != null) assertTrue(e.getMessage().startsWith("JPEG of cam#1"), e.getMessage());
            byte[] next = jpeg(64, 48, true, 9);
            p.apply(new Frame("cam", 2, 0, FrameEncoding.JPEG, 0, 0, next), x, 0);
            assertArrayEquals(reference(spec(1, "stretch"), next), x, 0f);
        }
    }
}
