package dev.winnow.tools.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameFilesTest {
    @TempDir Path tmp;

    /** Grey pictures keep their grey levels, as the Flink frame operator reads them (no linear-to-sRGB brightening). */
    @Test
    void greyPicturesKeepTheirLevels() throws Exception {
        BufferedImage img = new BufferedImage(8, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 8; x++) img.getRaster().setSample(x, y, 0, 20 * x + y);
        Path png = tmp.resolve("grey.png");
        ImageIO.write(img, "png", png.toFile());
        Picture p = FrameFiles.read(png);
        assertEquals(1, p.channels());
        for (int y = 0; y < 4; y++) for (int x = 0; x < 8; x++) assertEquals(20 * x + y, p.data()[y * 8 + x] & 0xff, "pixel " + x + "," + y);
    }

    @Test
    void colourPicturesAreRgb() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x102030);
        img.setRGB(1, 0, 0xa0b0c0);
        Path png = tmp.resolve("rgb.png");
        ImageIO.write(img, "png", png.toFile());
        Picture p = FrameFiles.read(png);
        assertEquals(3, p.channels());
        assertEquals(0x10, p.data()[0] & 0xff);
        assertEquals(0xc0, p.data()[5] & 0xff);
    }

    @Test
    void aCorruptFileIsOneClearError() throws Exception {
        Path bad = tmp.resolve("bad.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> FrameFiles.read(bad));
        assertTrue(e.getMessage().contains("bad.png"), e.getMessage());
    }
}
