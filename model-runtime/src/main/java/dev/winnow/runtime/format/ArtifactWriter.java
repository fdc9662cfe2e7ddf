package dev.winnow.runtime.format;

import static dev.winnow.runtime.format.WnmLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds `.wnm` artifacts. Deterministic: the same metadata and tensors always give the same bytes,
 * so a digest identifies a model's content.
 */
public final class ArtifactWriter {
    private final Metadata metadata;
    private final List<Pending> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private record Pending(String name, DType dtype, Codec codec, boolean huffman, int[] shape, QuantizationInfo quant, byte[] payload) {}

    public ArtifactWriter(Metadata metadata) {
        this.metadata = metadata;
    }

    private ArtifactWriter add(String name, DType dtype, Codec codec, boolean huffman, int[] shape, QuantizationInfo quant, byte[] payload) {
        if (!validName(name) || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("invalid tensor name '" + name + "'");
        }
        if (!names.add(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        if (shape.length > TensorData.MAX_RANK) throw new IllegalArgumentException("rank > " + TensorData.MAX_RANK);
        for (int d : shape) if (d < 1) throw new IllegalArgumentException(name + ": dimension < 1");
        if (quant.kind() == QuantizationInfo.Kind.PER_AXIS
                && (quant.axis() >= shape.length || quant.count() != shape[quant.axis()])) {
            throw new IllegalArgumentException(name + ": per-axis quantization does not match the shape");
        }
        tensors.add(new Pending(name, dtype, codec, huffman, shape.clone(), quant, payload));
        return this;
    }

    private static void checkCount(String name, int[] shape, int n) {
        if (TensorData.count(shape) != n) throw new IllegalArgumentException(name + ": " + n + " values for shape " + Arrays.toString(shape));
    }

    public ArtifactWriter addFloat32(String name, int[] shape, float[] values) {
        return addFloat32(name, shape, values, false);
    }

    public ArtifactWriter addFloat32(String name, int[] shape, float[] values, boolean huffman) {
        checkCount(name, shape, values.length);
        for (float v : values) if (!Float.isFinite(v)) throw nonFinite(name);
        return add(name, DType.FLOAT32, Codec.RAW, huffman, shape, QuantizationInfo.NONE, littleEndian(values));
    }

    /** float16 values, given as their binary16 bits ({@link Float16#fromFloat} makes them from floats). */
    public ArtifactWriter addFloat16(String name, int[] shape, short[] halfBits) {
        checkCount(name, shape, halfBits.length);
        for (short h : halfBits) if (!Float16.isFinite(h)) throw nonFinite(name);
        return add(name, DType.FLOAT16, Codec.RAW, false, shape, QuantizationInfo.NONE, littleEndian(halfBits));
    }

    public ArtifactWriter addInt8(String name, int[] shape, byte[] values, QuantizationInfo quant) {
        return addInt8(name, shape, values, quant, false);
    }

    public ArtifactWriter addInt8(String name, int[] shape, byte[] values, QuantizationInfo quant, boolean huffman) {
        checkCount(name, shape, values.length);
        return add(name, DType.INT8, Codec.RAW, huffman, shape, quant, values.clone());
    }

    public ArtifactWriter addInt16(String name, int[] shape, short[] values, QuantizationInfo quant, boolean huffman) {
        checkCount(name, shape, values.length);
        return add(name, DType.INT16, Codec.RAW, huffman, shape, quant, littleEndian(values));
    }

    public ArtifactWriter addInt32(String name, int[] shape, int[] values) {
        return addInt32(name, shape, values, QuantizationInfo.NONE, false);
    }

    public ArtifactWriter addInt32(String name, int[] shape, int[] values, QuantizationInfo quant, boolean huffman) {
        checkCount(name, shape, values.length);
        return add(name, DType.INT32, Codec.RAW, huffman, shape, quant, littleEndian(values));
    }

    /**
     * A binary tensor: rows of {@code shape[0]}, each packed into ceil(rowLength/64) words (bit i of
     * word j is element 64j+i, 1 = +1), with XNOR-Net's alpha per row (or null for none).
     */
    public ArtifactWriter addBinary(String name, int[] shape, long[] packedRows, float[] alphaPerRow, boolean huffman) {
        long need = ArtifactReader.bitpackedBytes(shape) / 8;
        if (packedRows.length != need) throw new IllegalArgumentException(name + ": " + packedRows.length + " words, shape needs " + need);
        QuantizationInfo q = alphaPerRow == null ? QuantizationInfo.NONE : QuantizationInfo.symmetric(0, alphaPerRow);
        return add(name, DType.BINARY, Codec.BITPACKED, huffman, shape, q, littleEndian(packedRows));
    }

    /** A weight-shared float tensor: k centroids and one index per element. */
    public ArtifactWriter addCodebook(String name, int[] shape, float[] centroids, int[] indices, boolean huffman) {
        checkCount(name, shape, indices.length);
        int k = centroids.length;
        if (k < 1 || k > 65536) throw new IllegalArgumentException(name + ": codebook size " + k);
        int bits = CodebookLayout.bitsFor(k);
        int base = 4 + 4 * k;
        byte[] p = new byte[(int) (base + CodebookLayout.indexBytes(indices.length, bits))];
        ByteBuffer bb = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(k);
        for (float c : centroids) bb.putFloat(c);
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= k) throw new IllegalArgumentException(name + ": index out of codebook");
            CodebookLayout.put(p, base, bits, i, indices[i]);
        }
        return add(name, DType.FLOAT32, Codec.CODEBOOK, huffman, shape, QuantizationInfo.NONE, p);
    }

    /** A sparse float tensor: strictly increasing flat indices of the non-zeros and their values. */
    public ArtifactWriter addSparse(String name, int[] shape, int[] flatIndices, float[] values, boolean huffman) {
        ByteBuffer bb = sparseHeader(name, shape, flatIndices, values.length, 4);
        for (float v : values) bb.putFloat(v);
        return add(name, DType.FLOAT32, Codec.SPARSE, huffman, shape, QuantizationInfo.NONE, bb.array());
    }

    /** A sparse int8 tensor with its quantization. */
    public ArtifactWriter addSparseInt8(String name, int[] shape, int[] flatIndices, byte[] values, QuantizationInfo quant, boolean huffman) {
        ByteBuffer bb = sparseHeader(name, shape, flatIndices, values.length, 1);
        bb.put(values);
        return add(name, DType.INT8, Codec.SPARSE, huffman, shape, quant, bb.array());
    }

    private static ByteBuffer sparseHeader(String name, int[] shape, int[] idx, int nValues, int valueBytes) {
        if (idx.length != nValues) throw new IllegalArgumentException(name + ": indices and values differ in length");
        long n = TensorData.count(shape);
        ByteBuffer bb = le(4 + idx.length * (4 + valueBytes));
        bb.putInt(idx.length);
        int prev = -1;
        for (int i : idx) {
            if (i <= prev || i >= n) throw new IllegalArgumentException(name + ": sparse indices must increase and lie in the tensor");
            bb.putInt(i);
            prev = i;
        }
        return bb;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static IllegalArgumentException nonFinite(String name) {
        return new IllegalArgumentException(name + ": non-finite value");
    }

    // raw payloads: the values little-endian, as every artifact stores them
    private static byte[] littleEndian(float[] v) { ByteBuffer bb = le(4 * v.length); bb.asFloatBuffer().put(v); return bb.array(); }
    private static byte[] littleEndian(short[] v) { ByteBuffer bb = le(2 * v.length); bb.asShortBuffer().put(v); return bb.array(); }
    private static byte[] littleEndian(int[] v) { ByteBuffer bb = le(4 * v.length); bb.asIntBuffer().put(v); return bb.array(); }
    private static byte[] littleEndian(long[] v) { ByteBuffer bb = le(8 * v.length); bb.asLongBuffer().put(v); return bb.array(); }

    /** The unsigned artifact. */
    public byte[] toBytes() {
        ByteWriter w = new ByteWriter();
        w.bytes(MAGIC).u16(MAJOR).u16(MINOR);
        byte[] meta = metadata.toJson().getBytes(StandardCharsets.UTF_8);
        if (meta.length > MAX_METADATA_BYTES) throw new IllegalArgumentException("metadata exceeds " + MAX_METADATA_BYTES + " bytes");
        w.i32(meta.length).bytes(meta);
        w.i32(tensors.size());
        List<byte[]> stored = new ArrayList<>();
        long offset = 0;
        for (Pending t : tensors) {
            byte[] p = t.huffman ? Huffman.encode(t.payload) : t.payload;
            stored.add(p);
            w.utf8WithU16Length(t.name).u8(t.dtype.id()).u8(t.codec.id()).u8(t.huffman ? ENTROPY_HUFFMAN : ENTROPY_NONE);
            w.u8(t.shape.length);
            for (int d : t.shape) w.i32(d);
            writeQuant(w, t.quant);
            w.i64(offset).i64(p.length);
            offset = align(offset + p.length);
        }
        w.i64(offset);
        int payloadStart = w.size();
        for (byte[] p : stored) {
            w.bytes(p);
            while ((w.size() - payloadStart) % PAYLOAD_ALIGN != 0) w.u8(0);
        }
        byte[] body = w.toByteArray();
        byte[] digest = ArtifactReader.sha256(body, 0, body.length);
        return new ByteWriter().bytes(body).bytes(digest).bytes(ArtifactSignature.UNSIGNED_TAG).toByteArray();
    }

    /** The artifact signed with {@code key}; {@code publicKey} is embedded so verifiers can match trust lists. */
    public byte[] toBytesSigned(PrivateKey key, PublicKey publicKey) {
        try {
            return sign(toBytes(), key, publicKey);
        } catch (ModelFormatException e) {
            throw new IllegalStateException("writer produced an unreadable artifact", e);
        }
    }

    /**
     * Signs an existing artifact: its body and digest stay byte-for-byte the same, the trailer is
     * added or replaced. The artifact is fully validated first, so nothing corrupt gets signed.
     */
    public static byte[] sign(byte[] artifact, PrivateKey key, PublicKey publicKey) throws ModelFormatException {
        Artifact a = ArtifactReader.read(artifact);
        int bodyAndDigest = artifact.length - (a.signature().isPresent() ? ArtifactSignature.TRAILER_BYTES : ArtifactSignature.UNSIGNED_TAG.length);
        byte[] sig;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(ArtifactSignature.message(a.sha256()));
            sig = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
        return new ByteWriter().bytes(artifact, 0, bodyAndDigest).bytes(ArtifactSignature.TAG)
                .bytes(Ed25519Keys.rawPublicKey(publicKey)).bytes(sig).toByteArray();
    }

    private static void writeQuant(ByteWriter w, QuantizationInfo q) {
        switch (q.kind()) {
            case NONE: w.u8(QUANT_NONE); return;
            case PER_TENSOR: w.u8(QUANT_PER_TENSOR); break;
            default: w.u8(QUANT_PER_AXIS).u8(q.axis());
        }
        w.i32(q.count());
        for (int i = 0; i < q.count(); i++) w.f32(q.scale(i));
        for (int i = 0; i < q.count(); i++) w.i32(q.zeroPoint(i));
    }

    private static long align(long v) {
        return (v + PAYLOAD_ALIGN - 1) / PAYLOAD_ALIGN * PAYLOAD_ALIGN;
    }
}
