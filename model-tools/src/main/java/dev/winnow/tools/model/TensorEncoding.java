package dev.winnow.tools.model;

/**
 * How one weight tensor is stored in an artifact.
 * <ul>
 * <li>{@code FLOAT}: float32, sparse when that is smaller (fewer than half the entries non-zero,
 * EdgeML's estimateNNZ rule).</li>
 * <li>{@code INT8}: symmetric int8, scale per row (axis 0) or per tensor, as TFLite stores weights;
 * {@code clip} ≤ 1 shrinks the range to that fraction of the maximum magnitude (values beyond
 * saturate); sparse int8 when smaller. {@code bits} < 8 keeps the int8 storage and arithmetic but
 * uses only the levels ±(2^(bits−1) − 1) (e.g. 4 bit: −7..7), which Huffman coding then shrinks.</li>
 * <li>{@code BINARY}: sign × α per row, α = mean |row| (XNOR-Net), bit-packed.</li>
 * <li>{@code CODEBOOK}: k-means weight sharing with 2^bits centroids (zero kept exact when present).</li>
 * </ul>
 * {@code huffman} entropy-codes the payload when that makes it smaller.
 */
public record TensorEncoding(Kind kind, int bits, boolean perRow, double clip, boolean huffman) {
    public enum Kind { FLOAT, INT8, CODEBOOK, BINARY }

    public TensorEncoding {
        if (kind == Kind.CODEBOOK && (bits < 1 || bits > 16)) throw new IllegalArgumentException("codebook bits must be in [1, 16]");
        if (kind == Kind.INT8 && (bits < 2 || bits > 8)) throw new IllegalArgumentException("integer bits must be in [2, 8]");
        if (!(clip > 0 && clip <= 1)) throw new IllegalArgumentException("clip must be in (0, 1]");
    }

    public static final TensorEncoding FLOAT = new TensorEncoding(Kind.FLOAT, 32, false, 1, false);

    public static TensorEncoding int8(boolean perRow) {
        return new TensorEncoding(Kind.INT8, 8, perRow, 1, false);
    }

    /** Symmetric integers of {@code bits} bits (levels ±(2^(bits−1) − 1)) stored as int8. */
    public static TensorEncoding intBits(int bits, boolean perRow) {
        return new TensorEncoding(Kind.INT8, bits, perRow, 1, false);
    }

    public static final TensorEncoding BINARY = new TensorEncoding(Kind.BINARY, 1, true, 1, false);

    /** Largest integer level: 127 for 8 bits, 7 for 4 bits. */
    public int levels() {
        return (1 << (bits - 1)) - 1;
    }

    public static TensorEncoding codebook(int bits) {
        return new TensorEncoding(Kind.CODEBOOK, bits, false, 1, false);
    }

    public TensorEncoding withHuffman(boolean h) {
        return new TensorEncoding(kind, bits, perRow, clip, h);
    }

    public TensorEncoding withClip(double c) {
        return new TensorEncoding(kind, bits, perRow, c, huffman);
    }

    @Override
    public String toString() {
        String s = switch (kind) {
            case FLOAT -> "float32";
            case INT8 -> (bits == 8 ? "int8" : "int" + bits) + (perRow ? "/row" : "");
            case BINARY -> "binary";
            default -> "codebook" + bits;
        };
        if (clip < 1) s += String.format(java.util.Locale.ROOT, " clip %.2f", clip);
        return huffman ? s + "+huffman" : s;
    }
}
