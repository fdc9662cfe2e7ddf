package dev.winnow.tools.imports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy's .npy format (versions 1, 2 and 3): the magic {@code \x93NUMPY}, a header dict with
 * {@code descr}, {@code fortran_order} and {@code shape}, then the raw data. Imports little-endian
 * (or byte-order-free) float32/float64 and signed/unsigned integers of 1–8 bytes, in C or Fortran
 * order. Object arrays (pickles, such as EdgeML's hyperParam.npy) are refused: reading them would
 * mean running Python's unpickler.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final long MAX_ELEMENTS = 1L << 28;

    private NpyReader() {}

    public static NpyArray read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > (1L << 31) - 16) throw new NpyFormatException(file + " is too large to import");
        try {
            return read(Files.readAllBytes(file));
        } catch (NpyFormatException e) {
            throw new NpyFormatException(file + ": " + e.getMessage());
        }
    }

    public static NpyArray read(byte[] b) throws NpyFormatException {
        if (b.length < 10) throw new NpyFormatException("too short for a .npy file");
        for (int i = 0; i < MAGIC.length; i++) if (b[i] != MAGIC[i]) throw new NpyFormatException("not a .npy file (bad magic)");
        int major = b[6] & 0xFF;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) throw new NpyFormatException("too short for a version " + major + " header");
            headerLen = bb.getInt(8) & 0xFFFFFFFFL;
            headerStart = 12;
        } else {
            throw new NpyFormatException("unsupported .npy version " + major);
        }
        if (headerStart + headerLen > b.length) throw new NpyFormatException("header runs past the end of the file");
        String header = new String(b, headerStart, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        boolean fortran = group(FORTRAN, header, "fortran_order").equals("True");
        int[] shape = shape(group(SHAPE, header, "shape"));
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > MAX_ELEMENTS) throw new NpyFormatException("array of shape " + java.util.Arrays.toString(shape) + " is too large");
        }
        if (descr.startsWith("|O") || descr.startsWith("O")) {
            throw new NpyFormatException("object array (a pickle) cannot be imported; pass its values as options instead");
        }
        if (descr.length() < 3) throw new NpyFormatException("unsupported dtype '" + descr + "'");
        char order = descr.charAt(0), kind = descr.charAt(1);
        int width;
        try {
            width = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new NpyFormatException("unsupported dtype '" + descr + "'");
        }
        if (order == '>' && width > 1) throw new NpyFormatException("big-endian dtype '" + descr + "' is not supported");
        if (order != '<' && order != '|' && order != '=' && order != '>') throw new NpyFormatException("unsupported dtype '" + descr + "'");
        boolean ok = (kind == 'f' && (width == 4 || width == 8)) || ((kind == 'i' || kind == 'u') && (width == 1 || width == 2 || width == 4 || width == 8));
        if (!ok) throw new NpyFormatException("unsupported dtype '" + descr + "' (float32/64 and integers only)");
        int dataStart = headerStart + (int) headerLen;
        if ((long) b.length - dataStart != n * width) {
            throw new NpyFormatException("data holds " + (b.length - dataStart) + " bytes, shape " + java.util.Arrays.toString(shape)
                    + " of " + descr + " needs " + n * width);
        }
        double[] raw = new double[(int) n];
        for (int i = 0; i < n; i++) {
            int at = dataStart + i * width;
            switch (kind) {
                case 'f': raw[i] = width == 4 ? bb.getFloat(at) : bb.getDouble(at); break;
                case 'i': raw[i] = width == 1 ? b[at] : width == 2 ? bb.getShort(at) : width == 4 ? bb.getInt(at) : (double) bb.getLong(at); break;
                default: raw[i] = width == 1 ? b[at] & 0xFF : width == 2 ? bb.getShort(at) & 0xFFFF : width == 4 ? bb.getInt(at) & 0xFFFFFFFFL : unsigned(bb.getLong(at));
            }
        }
        return new NpyArray(shape, fortran ? toC(raw, shape) : raw);
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** Fortran order (first index fastest) to C order (last index fastest). */
    private static double[] toC(double[] f, int[] shape) {
        double[] c = new double[f.length];
        int rank = shape.length;
        int[] idx = new int[rank];
        for (int i = 0; i < f.length; i++) {
            int ci = 0;
            for (int d = 0; d < rank; d++) ci = ci * shape[d] + idx[d];
            c[ci] = f[i];
            for (int d = 0; d < rank; d++) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return c;
    }

    private static String group(Pattern p, String header, String what) throws NpyFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new NpyFormatException("header has no valid '" + what + "' entry");
        return m.group(1);
    }

    private static int[] shape(String s) throws NpyFormatException {
        String t = s.trim();
        if (t.isEmpty()) return new int[0];
        String[] parts = t.split(",");
        int count = 0;
        for (String p : parts) if (!p.isBlank()) count++;
        int[] shape = new int[count];
        int k = 0;
        for (String p : parts) {
            if (p.isBlank()) continue;
            try {
                long v = Long.parseLong(p.trim());
                if (v < 0 || v > Integer.MAX_VALUE) throw new NpyFormatException("bad dimension " + v);
                shape[k++] = (int) v;
            } catch (NumberFormatException e) {
                throw new NpyFormatException("bad shape '(" + s + ")'");
            }
        }
        return shape;
    }
}
