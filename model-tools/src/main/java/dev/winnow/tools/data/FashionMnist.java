package dev.winnow.tools.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf, 2017) in IDX files, gzipped or not: 60,000 training and
 * 10,000 test images of 28x28 bytes, 10 classes. Pixels become floats in [0, 1].
 */
public final class FashionMnist {
    public static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** The Debian directory when its four files are there, else null. */
    public static Path locate() {
        return Files.isRegularFile(file(DEBIAN, "train-images-idx3-ubyte")) ? DEBIAN : null;
    }

    private static Path file(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        return Files.isRegularFile(gz) ? gz : dir.resolve(base);
    }

    /** Train and test from a directory holding {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}. */
    public static Dataset.Split load(Path dir) throws IOException {
        return new Dataset.Split(load(dir, "train"), load(dir, "t10k"));
    }

    /** {@code prefix} is "train" or "t10k". */
    public static Dataset load(Path dir, String prefix) throws IOException {
        Path images = file(dir, prefix + "-images-idx3-ubyte"), labels = file(dir, prefix + "-labels-idx1-ubyte");
        Images im = readImages(images);
        int[] y = readLabels(labels);
        if (y.length != im.count) throw new DataFormatException(labels + ": " + y.length + " labels for " + im.count + " images in " + images);
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= CLASSES.size()) throw new DataFormatException(labels + ": label " + y[i] + " of item " + i + " is not a class 0-9");
        }
        return new Dataset("fashion-mnist", im.rows * im.cols, im.pixels, y, CLASSES);
    }

    record Images(int count, int rows, int cols, float[] pixels) {}

    private static DataInputStream open(Path f) throws IOException {
        if (!Files.isRegularFile(f)) throw new DataFormatException(f + ": no such file (install the Debian package dataset-fashion-mnist)");
        return new DataInputStream(Gzip.maybeGunzip(Files.newInputStream(f)));
    }

    static Images readImages(Path f) throws IOException {
        try (DataInputStream in = open(f)) {
            int magic = header(in, f);
            if (magic != 0x00000803) throw new DataFormatException(f + ": magic 0x" + Integer.toHexString(magic) + " is not an IDX unsigned-byte 3-d file (0x803)");
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (n < 0 || rows < 1 || cols < 1 || rows > 4096 || cols > 4096 || (long) n * rows * cols > 1L << 28) {
                throw new DataFormatException(f + ": implausible dimensions " + n + " x " + rows + " x " + cols);
            }
            int per = rows * cols;
            float[] px = new float[n * per];
            byte[] buf = new byte[per];
            for (int i = 0; i < n; i++) {
                try {
                    in.readFully(buf);
                } catch (EOFException e) {
                    throw new DataFormatException(f + ": truncated at image " + i + " of " + n);
                }
                for (int k = 0; k < per; k++) px[i * per + k] = (buf[k] & 0xFF) / 255f;
            }
            return new Images(n, rows, cols, px);
        } catch (java.util.zip.ZipException e) {
            throw new DataFormatException(f + ": corrupt gzip stream: " + e.getMessage());
        }
    }

    static int[] readLabels(Path f) throws IOException {
        try (DataInputStream in = open(f)) {
            int magic = header(in, f);
            if (magic != 0x00000801) throw new DataFormatException(f + ": magic 0x" + Integer.toHexString(magic) + " is not an IDX unsigned-byte 1-d file (0x801)");
            int n = in.readInt();
            if (n < 0 || n > 1 << 26) throw new DataFormatException(f + ": implausible label count " + n);
            byte[] b = new byte[n];
            try {
                in.readFully(b);
            } catch (EOFException e) {
                throw new DataFormatException(f + ": truncated, fewer than the " + n + " labels its header declares");
            }
            int[] y = new int[n];
            for (int i = 0; i < n; i++) y[i] = b[i] & 0xFF;
            return y;
        } catch (java.util.zip.ZipException e) {
            throw new DataFormatException(f + ": corrupt gzip stream: " + e.getMessage());
        }
    }

    private static int header(DataInputStream in, Path f) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(f + ": shorter than an IDX header");
        }
    }
}
