package dev.winnow.runtime.format;

/** The element type a tensor decodes to. The numeric ids are the on-disk values. */
public enum DType {
    FLOAT32(1, 4),
    INT8(2, 1),
    INT16(3, 2),
    INT32(4, 4),
    UINT8(5, 1),
    /** One bit per element, +1 or -1. */
    BINARY(6, 0),
    /** IEEE 754 binary16, little endian; decoded exactly to float32 ({@link Float16}). */
    FLOAT16(7, 2);

    private final int id;
    private final int bytes;

    DType(int id, int bytes) {
        this.id = id;
        this.bytes = bytes;
    }

    public int id() {
        return id;
    }

    /** Bytes per element when stored raw; 0 for bit-packed binary. */
    public int bytes() {
        return bytes;
    }

    /** Whether {@code v} is a value of this type (zero points must be). Float and binary hold any. */
    public boolean holds(long v) {
        switch (this) {
            case INT8: return v >= -128 && v <= 127;
            case UINT8: return v >= 0 && v <= 255;
            case INT16: return v >= -32768 && v <= 32767;
            default: return true;
        }
    }

    static DType of(int id, long offset) throws ModelFormatException {
        for (DType t : values()) if (t.id == id) return t;
        throw ModelFormatException.at(offset, "unknown dtype " + id);
    }
}
