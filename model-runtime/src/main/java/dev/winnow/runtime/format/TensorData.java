package dev.winnow.runtime.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One stored tensor of an artifact: its name, shape, element type, codec, quantization and payload.
 * Payloads are validated when the artifact is read, so the decoding accessors cannot fail on a file
 * that was accepted. Immutable; every accessor returns a fresh array.
 */
public final class TensorData {
    /** Largest element count a tensor may declare: 2^28, far above any model Winnow runs. */
    public static final long MAX_ELEMENTS = 1L << 28;
    public static final int MAX_RANK = 6;

    private final String name;
    private final DType dtype;
    private final Codec codec;
    private final boolean huffman;
    private final int[] shape;
    private final QuantizationInfo quant;
    /** The codec's bytes after entropy decoding. */
    private final byte[] payload;
    /** Bytes the payload occupies in the file, after entropy coding. */
    private final int storedBytes;
    private final long elementCount;

    TensorData(String name, DType dtype, Codec codec, boolean huffman, int[] shape, QuantizationInfo quant,
               byte[] payload, int storedBytes) {
        this.name = name;
        this.dtype = dtype;
        this.codec = codec;
        this.huffman = huffman;
        this.shape = shape;
        this.quant = quant;
        this.payload = payload;
        this.storedBytes = storedBytes;
        this.elementCount = count(shape);
    }

    static long count(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public String name() { return name; }
    public DType dtype() { return dtype; }
    public Codec codec() { return codec; }
    public boolean huffmanCoded() { return huffman; }
    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int i) { return shape[i]; }
    public QuantizationInfo quantization() { return quant; }
    public int elementCount() { return (int) elementCount; }
    /** Bytes this tensor takes in the artifact file, for size-per-tensor reports. */
    public int storedBytes() { return storedBytes; }

    byte[] payload() {
        return payload;
    }

    /** Row length of a tensor seen as [dims[0], rest]. */
    public int rowLength() {
        return shape.length == 0 ? 1 : (int) (elementCount / shape[0]);
    }

    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /**
     * The tensor as real numbers: float32 as stored, affine integers dequantized, codebooks and
     * sparse tensors expanded, binary tensors as +-alpha of their row.
     */
    public float[] toFloatArray() {
        int n = elementCount();
        float[] out = new float[n];
        ByteBuffer bb = littleEndian();
        switch (codec) {
            case RAW:
                switch (dtype) {
                    case FLOAT32: for (int i = 0; i < n; i++) out[i] = bb.getFloat(4 * i); break;
                    case FLOAT16: for (int i = 0; i < n; i++) out[i] = Float16.toFloat(bb.getShort(2 * i)); break;
                    case INT8: for (int i = 0; i < n; i++) out[i] = dequant(payload[i], i); break;
                    case UINT8: for (int i = 0; i < n; i++) out[i] = dequant(payload[i] & 0xFF, i); break;
                    case INT16: for (int i = 0; i < n; i++) out[i] = dequant(bb.getShort(2 * i), i); break;
                    case INT32: for (int i = 0; i < n; i++) out[i] = dequant(bb.getInt(4 * i), i); break;
                    default: throw new IllegalStateException(dtype + " stored raw");
                }
                return out;
            case BITPACKED: {
                long[] words = toBitPackedWords();
                int rowLen = rowLength();
                int wordsPerRow = (rowLen + 63) >>> 6;
                for (int r = 0; r < rows(); r++) {
                    float alpha = quant.kind() == QuantizationInfo.Kind.NONE ? 1f
                            : quant.scale(quant.kind() == QuantizationInfo.Kind.PER_AXIS ? r : 0);
                    for (int i = 0; i < rowLen; i++) {
                        long w = words[r * wordsPerRow + (i >>> 6)];
                        out[r * rowLen + i] = ((w >>> (i & 63)) & 1) != 0 ? alpha : -alpha;
                    }
                }
                return out;
            }
            case CODEBOOK: {
                int k = bb.getInt(0);
                int bits = CodebookLayout.bitsFor(k);
                int base = 4 + 4 * k;
                for (int i = 0; i < n; i++) {
                    int idx = CodebookLayout.index(payload, base, bits, i);
                    out[i] = bb.getFloat(4 + 4 * idx);
                }
                return out;
            }
            case SPARSE: {
                int nnz = bb.getInt(0);
                int valBase = 4 + 4 * nnz;
                for (int j = 0; j < nnz; j++) {
                    int idx = bb.getInt(4 + 4 * j);
                    out[idx] = dtype == DType.FLOAT32 ? bb.getFloat(valBase + 4 * j) : dequant(payload[valBase + j], idx);
                }
                return out;
            }
            default:
                throw new IllegalStateException("codec " + codec);
        }
    }

    private float dequant(int q, int flatIndex) {
        switch (quant.kind()) {
            case NONE: return q;
            case PER_TENSOR: return (q - quant.zeroPoint(0)) * quant.scale(0);
            default: {
                int slice = sliceOf(flatIndex);
                return (q - quant.zeroPoint(slice)) * quant.scale(slice);
            }
        }
    }

    /** Index along the quantization axis of the element at {@code flatIndex}. */
    public int sliceOf(int flatIndex) {
        int inner = 1;
        for (int d = quant.axis() + 1; d < shape.length; d++) inner *= shape[d];
        return (flatIndex / inner) % shape[quant.axis()];
    }

    /** Raw int8 values of an INT8 tensor (RAW or SPARSE); use {@link #quantization()} to interpret them. */
    public byte[] toInt8Array() {
        requireType(DType.INT8);
        if (codec == Codec.RAW) return payload.clone();
        byte[] out = new byte[elementCount()];
        ByteBuffer bb = littleEndian();
        int nnz = bb.getInt(0);
        for (int j = 0; j < nnz; j++) out[bb.getInt(4 + 4 * j)] = payload[4 + 4 * nnz + j];
        return out;
    }

    /** The binary16 bits of a FLOAT16 tensor. */
    public short[] toFloat16Bits() {
        return shorts(DType.FLOAT16);
    }

    public short[] toInt16Array() {
        return shorts(DType.INT16);
    }

    private short[] shorts(DType t) {
        requireType(t);
        short[] out = new short[elementCount()];
        littleEndian().asShortBuffer().get(out);
        return out;
    }

    public int[] toInt32Array() {
        requireType(DType.INT32);
        int[] out = new int[elementCount()];
        littleEndian().asIntBuffer().get(out);
        return out;
    }

    /** The packed words of a BINARY tensor: rows of ceil(rowLength/64) words. */
    public long[] toBitPackedWords() {
        requireType(DType.BINARY);
        long[] out = new long[payload.length / 8];
        littleEndian().asLongBuffer().get(out);
        return out;
    }

    /** The payload as little-endian words, as every artifact stores them. */
    private ByteBuffer littleEndian() {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Centroids of a CODEBOOK tensor. */
    public float[] codebook() {
        if (codec != Codec.CODEBOOK) throw new IllegalStateException(name + " is not codebook-coded");
        ByteBuffer bb = littleEndian();
        float[] c = new float[bb.getInt(0)];
        for (int i = 0; i < c.length; i++) c[i] = bb.getFloat(4 + 4 * i);
        return c;
    }

    private void requireType(DType t) {
        if (dtype != t) throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not " + t);
    }

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(shape) + " " + dtype + "/" + codec + (huffman ? "+huffman" : "")
                + " " + storedBytes + " B";
    }
}
