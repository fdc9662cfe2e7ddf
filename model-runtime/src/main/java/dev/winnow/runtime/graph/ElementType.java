package dev.winnow.runtime.graph;

/** Element type of an activation tensor, which decides the arena bank it lives in. */
public enum ElementType {
    FLOAT32(4),
    INT8(1),
    /** Bit-packed signs in 64-bit words; only for scratch of the binary (XNOR) kernels. */
    BITS64(8),
    /** Q15 fixed point; scratch of the 16-bit family kernels. */
    INT16(2),
    /** int32 accumulators; scratch of the fixed-point family kernels. */
    INT32(4);

    private final int bytes;

    ElementType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public static ElementType parse(String name) {
        switch (name) {
            case "float32": return FLOAT32;
            case "int8": return INT8;
            default: throw new IllegalArgumentException("unsupported activation dtype '" + name + "' (float32 or int8)");
        }
    }
}
