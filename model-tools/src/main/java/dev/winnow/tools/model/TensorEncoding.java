package dev.winnow.tools.model;

/**
 * How one weight tensor is stored in an artifact.
 * <ul>
 * <li>{@code FLOAT}: float32, sparse when that is smaller (fewer than half the entries non-zero,
 * EdgeML's estimateNNZ rule).</li>
 * <li>{@code INT8}: symmetric int8, scale per row (axis 0) or per tensor, as TFLite stores weights;
 * {@code clip} ≤ 1 shrinks the range to that fraction of the maximum magnitude (values beyond
 * saturate); sparse int8 when smaller.</li>
 * <li>{@code CODEBOOK}: k-means weight sharing with 2^bits centroids (zero kept exact when present).</li>
 * </ul>
 * {@code huffman} entropy-codes the payload when that makes it smaller.
 */
public record TensorEncoding(Kind kind, int bits, boolean perRow, double clip, boolean huffman) {
    public enum Kind { FLOAT, INT8, CODEBOOK }

    public TensorEncoding {
        if (kind == Kind.CODEBOOK && (bits < 1 || bits > 16)) throw new IllegalArgumentException("codebook bits must be in [1, 16]");
        if (!(clip > 0 && clip <= 1)) throw new IllegalArgumentException("clip must be in (0, 1]");
    }

    public static final TensorEncoding FLOAT = new TensorEncoding(Kind.FLOAT, 32, false, 1, false);

    public static TensorEncoding int8(boolean perRow) {
        return new TensorEncoding(Kind.INT8, 8, perRow, 1, false);
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
        String s = kind == Kind.FLOAT ? "float32" : kind == Kind.INT8 ? "int8" + (perRow ? "/row" : "") : "codebook" + bits;
        if (clip < 1) s += String.format(java.util.Locale.ROOT, " clip %.2f", clip);
        return huffman ? s + "+huffman" : s;
    }
}
