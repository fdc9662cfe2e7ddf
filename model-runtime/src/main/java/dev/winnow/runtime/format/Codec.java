package dev.winnow.runtime.format;

/** How a tensor's elements are stored in its payload. The numeric ids are the on-disk values. */
public enum Codec {
    /** Elements of the dtype, little-endian; int8/int16 with quantization are affine. */
    RAW(0),
    /** Binary tensors: each row (dims[0]) as ceil(rowLength/64) little-endian u64 words, bit i = element i, 1 = +1. */
    BITPACKED(1),
    /** Float tensors: u32 k (1..65536), k float32 centroids, then an index per element at ceil(log2 k) bits, LSB first. */
    CODEBOOK(2),
    /** u32 nnz, nnz strictly increasing u32 flat indices, nnz values of the dtype (float32 or int8). */
    SPARSE(3);

    private final int id;

    Codec(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    static Codec of(int id, long offset) throws ModelFormatException {
        for (Codec c : values()) if (c.id == id) return c;
        throw ModelFormatException.at(offset, "unknown codec " + id);
    }
}
