package dev.winnow.tools.teacher;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Reads frames from files: binary PGM and PPM directly (the fast path for frames ffmpeg wrote),
 * PNG, JPEG and BMP through ImageIO. A header claiming more pixels than {@link #MAX_PIXELS} is
 * refused before anything is allocated.
 */
public final class FrameFiles {
    /** 64 megapixels: far above any camera frame, far below what would exhaust a heap. */
    public static final long MAX_PIXELS = 64L << 20;
    static final Set<String> EXTENSIONS = Set.of("pgm", "ppm", "png", "jpg", "jpeg", "bmp");

    private FrameFiles() {}

    /** The frame files of a directory, by name. */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p) && EXTENSIONS.contains(extension(p))).sorted().forEach(out::add);
        }
        return out;
    }

    static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Decodes one frame file; throws an IOException naming the file when it is corrupt or truncated. */
    public static Picture read(Path p) throws IOException {
        String ext = extension(p);
        if (ext.equals("pgm") || ext.equals("ppm")) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
                return readPnm(in, p.toString());
            }
        }
        BufferedImage img;
        try {
            img = ImageIO.read(p.toFile());
        } catch (RuntimeException e) {
            throw new IOException(p + ": cannot decode (" + e.getMessage() + ")");
        }
        if (img == null) throw new IOException(p + ": not a readable image");
        return fromImage(img);
    }

    public static Picture fromImage(BufferedImage img) throws IOException {
        long px = (long) img.getWidth() * img.getHeight();
        if (px > MAX_PIXELS) throw new IOException("image of " + img.getWidth() + "x" + img.getHeight() + " exceeds " + MAX_PIXELS + " pixels");
        int w = img.getWidth(), h = img.getHeight();
        // a grey JPEG or PNG: its bytes are the grey levels. getRGB would map them from a linear grey space to
        // sRGB and brighten every mid-tone (0.59 becomes 0.79), unlike the Flink frame operator, which reads them as they are
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && img.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte g
                && g.getData().length == w * h)
            return new Picture(w, h, 1, g.getData().clone());
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int v = row[x], o = (y * w + x) * 3;
                rgb[o] = (byte) (v >> 16);
                rgb[o + 1] = (byte) (v >> 8);
                rgb[o + 2] = (byte) v;
            }
        }
        return new Picture(w, h, 3, rgb);
    }

    /** Binary PGM (P5) or PPM (P6) with maxval 255. */
    public static Picture readPnm(InputStream in, String what) throws IOException {
        String magic = token(in, what);
        if (!magic.equals("P5") && !magic.equals("P6")) throw new IOException(what + ": not a binary PGM or PPM (magic '" + magic + "')");
        int w = number(in, what), h = number(in, what), max = number(in, what);
        if (max != 255) throw new IOException(what + ": maxval " + max + " (only 8-bit frames are read)");
        int c = magic.equals("P5") ? 1 : 3;
        if ((long) w * h > MAX_PIXELS) throw new IOException(what + ": header claims " + w + "x" + h + ", more than " + MAX_PIXELS + " pixels");
        byte[] data = new byte[w * h * c];
        int off = 0, n;
        while (off < data.length && (n = in.read(data, off, data.length - off)) > 0) off += n;
        if (off < data.length) throw new IOException(what + ": truncated (" + off + " of " + data.length + " pixel bytes)");
        return new Picture(w, h, c, data);
    }

    private static int number(InputStream in, String what) throws IOException {
        String t = token(in, what);
        try {
            int v = Integer.parseInt(t);
            if (v < 1) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(what + ": bad header value '" + t + "'");
        }
    }

    /** One whitespace-separated header token; '#' comments are skipped; the single whitespace after the last is consumed. */
    private static String token(InputStream in, String what) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ch;
        while (true) {
            ch = in.read();
            if (ch == '#') {
                while (ch != '\n' && ch != -1) ch = in.read();
            }
            if (ch == -1) throw new IOException(what + ": truncated header");
            if (!Character.isWhitespace(ch)) break;
        }
        while (ch != -1 && !Character.isWhitespace(ch)) {
            if (b.size() > 16) throw new IOException(what + ": bad header");
            b.write(ch);
            ch = in.read();
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
