package dev.winnow.tools.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir Path tmp;

    static void images(Path f, int n, int r, int c, boolean gzip, int truncateBy) throws Exception {
        OutputStream raw = Files.newOutputStream(f);
        try (DataOutputStream o = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
            o.writeInt(0x803);
            o.writeInt(n);
            o.writeInt(r);
            o.writeInt(c);
            for (int i = 0; i < n * r * c - truncateBy; i++) o.write(i * 7);
        }
    }

    static void labels(Path f, int[] y, boolean gzip) throws Exception {
        OutputStream raw = Files.newOutputStream(f);
        try (DataOutputStream o = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
            o.writeInt(0x801);
            o.writeInt(y.length);
            for (int v : y) o.write(v);
        }
    }

    @Test
    void readsGzippedIdx() throws Exception {
        images(tmp.resolve("train-images-idx3-ubyte.gz"), 3, 4, 5, true, 0);
        labels(tmp.resolve("train-labels-idx1-ubyte.gz"), new int[] {9, 0, 3}, true);
        images(tmp.resolve("t10k-images-idx3-ubyte"), 2, 4, 5, false, 0);
        labels(tmp.resolve("t10k-labels-idx1-ubyte"), new int[] {1, 2}, false);
        Dataset.Split s = FashionMnist.load(tmp);
        assertEquals(3, s.train().size());
        assertEquals(20, s.train().features());
        assertEquals(10, s.train().classes());
        assertEquals(9, s.train().label(0));
        assertEquals("Ankle boot", s.train().classNames().get(9));
        assertEquals(((1 * 7) & 0xFF) / 255f, s.train().x()[1], 1e-7);
        assertEquals(2, s.test().size());
    }

    @Test
    void malformedFilesAreRejectedClearly() throws Exception {
        images(tmp.resolve("train-images-idx3-ubyte.gz"), 3, 4, 5, true, 7);
        labels(tmp.resolve("train-labels-idx1-ubyte.gz"), new int[] {9, 0, 3}, true);
        var e = assertThrows(DataFormatException.class, () -> FashionMnist.load(tmp, "train"));
        assertTrue(e.getMessage().contains("truncated at image 2"), e.getMessage());

        images(tmp.resolve("train-images-idx3-ubyte.gz"), 3, 4, 5, true, 0);
        labels(tmp.resolve("train-labels-idx1-ubyte.gz"), new int[] {9, 0}, true);
        e = assertThrows(DataFormatException.class, () -> FashionMnist.load(tmp, "train"));
        assertTrue(e.getMessage().contains("2 labels for 3 images"), e.getMessage());

        labels(tmp.resolve("train-labels-idx1-ubyte.gz"), new int[] {9, 0, 12}, true);
        e = assertThrows(DataFormatException.class, () -> FashionMnist.load(tmp, "train"));
        assertTrue(e.getMessage().contains("label 12"), e.getMessage());

        // labels file where images are expected: wrong magic
        labels(tmp.resolve("train-images-idx3-ubyte.gz"), new int[] {1}, true);
        e = assertThrows(DataFormatException.class, () -> FashionMnist.load(tmp, "train"));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());

        Files.write(tmp.resolve("train-images-idx3-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        assertThrows(java.io.IOException.class, () -> FashionMnist.load(tmp, "train"));
        assertThrows(DataFormatException.class, () -> FashionMnist.load(tmp.resolve("nowhere"), "train"));
    }

    @Test
    void realFilesWhenInstalled() throws Exception {
        Path dir = FashionMnist.locate();
        Assumptions.assumeTrue(dir != null, "dataset-fashion-mnist not installed");
        Dataset test = FashionMnist.load(dir, "t10k");
        assertEquals(10_000, test.size());
        assertEquals(784, test.features());
        for (int c : test.classCounts()) assertEquals(1000, c);
    }
}
