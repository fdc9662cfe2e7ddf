package dev.winnow.runtime.format;

import static dev.winnow.runtime.format.WnmLayout.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads `.wnm` artifacts. Every length, count, shape and offset is checked against the bytes that
 * are actually there before anything is allocated, the digest is verified, and every payload is
 * validated against its codec, so a bad file fails here with a {@link ModelFormatException} that
 * names the problem, and an accepted file cannot fail later.
 */
public final class ArtifactReader {
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private ArtifactReader() {}

    public static Artifact read(Path file) throws ModelFormatException, IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    public static Artifact read(Path file, long maxBytes) throws ModelFormatException, IOException {
        long size = Files.size(file);
        if (size > maxBytes) throw new ModelFormatException(file + " is " + size + " bytes, more than the limit of " + maxBytes);
        return read(Files.readAllBytes(file));
    }

    public static Artifact read(InputStream in, long maxBytes) throws ModelFormatException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > maxBytes) throw new ModelFormatException("artifact stream exceeds the limit of " + maxBytes + " bytes");
            out.write(buf, 0, n);
        }
        return read(out.toByteArray());
    }

    /** Pending entry of the tensor table, before its payload is checked. */
    private record Entry(String name, DType dtype, Codec codec, boolean huffman, int[] shape, QuantizationInfo quant,
                         long offset, long length, long tableOffset) {}

    public static Artifact read(byte[] bytes) throws ModelFormatException {
        return readOwned(bytes.clone());
    }

    /**
     * As {@link #read(byte[])}, without the defensive copy: the artifact keeps {@code data}, so the
     * caller must not change it afterwards. For a server verifying a 64 MB upload the copy is a
     * third of the heap the check needs.
     */
    public static Artifact readOwned(byte[] data) throws ModelFormatException {
        ByteReader r = new ByteReader(data, 0, data.length);
        byte[] magic = r.bytes(MAGIC.length, "magic");
        if (!Arrays.equals(magic, MAGIC)) throw ModelFormatException.at(0, "not a .wnm artifact (bad magic)");
        int major = r.u16("format version");
        int minor = r.u16("format version");
        if (major != MAJOR) {
            throw ModelFormatException.at(8, "unsupported format version " + major + "." + minor + " (this reader reads " + MAJOR + ".x)");
        }

        long metaLen = r.u32("metadata length");
        if (metaLen > MAX_METADATA_BYTES) throw ModelFormatException.at(r.position() - 4, "metadata length " + metaLen + " exceeds " + MAX_METADATA_BYTES);
        String metaText = r.utf8(metaLen, "metadata");
        Metadata metadata = Metadata.of(Json.parseObject(metaText));

        long count = r.u32("tensor count");
        if (count > MAX_TENSORS) throw ModelFormatException.at(r.position() - 4, "tensor count " + count + " exceeds " + MAX_TENSORS);
        // every entry takes at least 28 bytes, so a count the file cannot hold fails before the loop
        r.require(count * 28, count + " tensor table entries");
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            entries.add(readEntry(r, names));
        }

        long payloadLen = r.i64("payload region length");
        int payloadStart = r.position();
        r.require(payloadLen, "payload region");
        ByteReader afterPayload = new ByteReader(data, payloadStart + (int) payloadLen, data.length);
        int digestAt = payloadStart + (int) payloadLen;
        byte[] storedDigest = afterPayload.bytes(DIGEST_BYTES, "SHA-256 digest");
        int trailerAt = digestAt + DIGEST_BYTES;
        byte[] tag = afterPayload.bytes(4, "trailer tag");
        ArtifactSignature signature = null;
        if (Arrays.equals(tag, ArtifactSignature.TAG)) {
            signature = new ArtifactSignature(afterPayload.bytes(32, "signer key"), afterPayload.bytes(64, "signature"));
        } else if (!Arrays.equals(tag, ArtifactSignature.UNSIGNED_TAG)) {
            throw ModelFormatException.at(trailerAt, "bad trailer tag (expected SIG1 or NSIG)");
        }
        if (afterPayload.remaining() != 0) {
            throw ModelFormatException.at(afterPayload.position(), afterPayload.remaining() + " unexpected bytes after the trailer");
        }
        byte[] digest = sha256(data, 0, digestAt);
        if (!MessageDigest.isEqual(digest, storedDigest)) {
            throw ModelFormatException.at(digestAt, "digest mismatch: the artifact is corrupt (stored "
                    + Hex.of(storedDigest).substring(0, 16) + "…, computed " + Hex.of(digest).substring(0, 16) + "…)");
        }

        java.util.Map<String, TensorData> decoded = new java.util.HashMap<>();
        long prevEnd = 0;
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> Long.compare(a.offset, b.offset));
        for (Entry e : byOffset) {
            if (e.offset % PAYLOAD_ALIGN != 0) throw ModelFormatException.at(e.tableOffset, "tensor '" + e.name + "': payload offset not 8-byte aligned");
            if (e.offset < prevEnd) throw ModelFormatException.at(e.tableOffset, "tensor '" + e.name + "': payload overlaps another tensor's");
            if (e.offset > payloadLen || e.length > payloadLen - e.offset) {
                throw ModelFormatException.at(e.tableOffset, "tensor '" + e.name + "': payload [" + e.offset + ", +" + e.length
                        + ") lies outside the payload region of " + payloadLen + " bytes");
            }
            prevEnd = e.offset + e.length;
            byte[] stored = Arrays.copyOfRange(data, payloadStart + (int) e.offset, payloadStart + (int) (e.offset + e.length));
            byte[] payload = e.huffman ? Huffman.decode(stored, maxCodecBytes(e), "tensor '" + e.name + "'") : stored;
            validatePayload(e, payload);
            decoded.put(e.name, new TensorData(e.name, e.dtype, e.codec, e.huffman, e.shape, e.quant, payload, (int) e.length));
        }
        List<TensorData> tensors = new ArrayList<>();
        for (Entry e : entries) tensors.add(decoded.get(e.name));
        return new Artifact(data, major, minor, metadata, tensors, digest, signature);
    }

    private static Entry readEntry(ByteReader r, Set<String> names) throws ModelFormatException {
        long at = r.position();
        int nameLen = r.u16("tensor name length");
        if (nameLen < 1 || nameLen > MAX_NAME_BYTES) throw ModelFormatException.at(at, "tensor name length " + nameLen + " not in 1.." + MAX_NAME_BYTES);
        String name = r.utf8(nameLen, "tensor name");
        if (!WnmLayout.validName(name)) throw ModelFormatException.at(at, "tensor name '" + name + "' has characters outside [A-Za-z0-9_.:/-]");
        if (!names.add(name)) throw ModelFormatException.at(at, "duplicate tensor name '" + name + "'");
        DType dtype = DType.of(r.u8("dtype"), r.position() - 1);
        Codec codec = Codec.of(r.u8("codec"), r.position() - 1);
        int entropy = r.u8("entropy coding");
        if (entropy != ENTROPY_NONE && entropy != ENTROPY_HUFFMAN) throw ModelFormatException.at(r.position() - 1, "tensor '" + name + "': unknown entropy coding " + entropy);
        checkCombination(name, dtype, codec, at);
        int rank = r.u8("rank");
        if (rank > TensorData.MAX_RANK) throw ModelFormatException.at(r.position() - 1, "tensor '" + name + "': rank " + rank + " exceeds " + TensorData.MAX_RANK);
        int[] shape = new int[rank];
        long n = 1;
        for (int d = 0; d < rank; d++) {
            long dim = r.u32("dimension");
            if (dim < 1 || dim > TensorData.MAX_ELEMENTS) throw ModelFormatException.at(r.position() - 4, "tensor '" + name + "': dimension " + dim + " out of range");
            shape[d] = (int) dim;
            n *= dim;
            if (n > TensorData.MAX_ELEMENTS) throw ModelFormatException.at(r.position() - 4, "tensor '" + name + "': more than 2^28 elements");
        }
        QuantizationInfo quant = readQuant(r, name, dtype, shape);
        long offset = r.i64("payload offset");
        long length = r.i64("payload length");
        if (offset < 0 || length < 0) throw ModelFormatException.at(r.position() - 16, "tensor '" + name + "': negative payload offset or length");
        return new Entry(name, dtype, codec, entropy == ENTROPY_HUFFMAN, shape, quant, offset, length, at);
    }

    private static void checkCombination(String name, DType dtype, Codec codec, long at) throws ModelFormatException {
        boolean ok;
        switch (codec) {
            case RAW: ok = dtype != DType.BINARY; break;
            case BITPACKED: ok = dtype == DType.BINARY; break;
            case CODEBOOK: ok = dtype == DType.FLOAT32; break;
            case SPARSE: ok = dtype == DType.FLOAT32 || dtype == DType.INT8; break;
            default: ok = false;
        }
        if (!ok) throw ModelFormatException.at(at, "tensor '" + name + "': codec " + codec + " cannot hold " + dtype);
    }

    private static QuantizationInfo readQuant(ByteReader r, String name, DType dtype, int[] shape) throws ModelFormatException {
        long at = r.position();
        int kind = r.u8("quantization kind");
        if (kind == QUANT_NONE) return QuantizationInfo.NONE;
        int axis = -1;
        if (kind == QUANT_PER_AXIS) {
            axis = r.u8("quantization axis");
            if (axis >= shape.length) throw ModelFormatException.at(at, "tensor '" + name + "': quantization axis " + axis + " >= rank " + shape.length);
        } else if (kind != QUANT_PER_TENSOR) {
            throw ModelFormatException.at(at, "tensor '" + name + "': unknown quantization kind " + kind);
        }
        long count = r.u32("quantization count");
        long expected = kind == QUANT_PER_TENSOR ? 1 : shape[axis];
        if (count != expected) throw ModelFormatException.at(at, "tensor '" + name + "': " + count + " quantization scales, expected " + expected);
        r.require(count * 8, "quantization parameters");
        float[] scales = new float[(int) count];
        int[] zps = new int[(int) count];
        for (int i = 0; i < count; i++) {
            scales[i] = r.f32("scale");
            if (!(scales[i] > 0) || !Float.isFinite(scales[i])) throw ModelFormatException.at(r.position() - 4, "tensor '" + name + "': scale " + scales[i] + " is not finite and positive");
        }
        for (int i = 0; i < count; i++) {
            zps[i] = r.i32("zero point");
            if (!dtype.holds(zps[i])) throw ModelFormatException.at(r.position() - 4, "tensor '" + name + "': zero point " + zps[i] + " outside the range of " + dtype);
        }
        return kind == QUANT_PER_TENSOR ? QuantizationInfo.perTensor(scales[0], zps[0]) : QuantizationInfo.perAxis(axis, scales, zps);
    }

    /** The most bytes the codec could need for this tensor: the bound for entropy-decoded payloads. */
    private static long maxCodecBytes(Entry e) {
        long n = TensorData.count(e.shape);
        switch (e.codec) {
            case RAW: return n * e.dtype.bytes();
            case BITPACKED: return bitpackedBytes(e.shape);
            case CODEBOOK: return 4 + 4L * 65536 + CodebookLayout.indexBytes(n, 16);
            default: return 4 + n * (4 + e.dtype.bytes());
        }
    }

    static long bitpackedBytes(int[] shape) {
        long n = TensorData.count(shape);
        long rows = shape.length == 0 ? 1 : shape[0];
        long rowLen = n / rows;
        return rows * ((rowLen + 63) / 64) * 8;
    }

    private static void validatePayload(Entry e, byte[] p) throws ModelFormatException {
        String t = "tensor '" + e.name + "'";
        long n = TensorData.count(e.shape);
        ByteBuffer bb = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        switch (e.codec) {
            case RAW: {
                if (p.length != n * e.dtype.bytes()) throw new ModelFormatException(t + ": payload is " + p.length + " bytes, " + n + " " + e.dtype + " elements need " + n * e.dtype.bytes());
                if (e.dtype == DType.FLOAT32) {
                    for (int i = 0; i < n; i++) if (!Float.isFinite(bb.getFloat(4 * i))) throw new ModelFormatException(t + ": element " + i + " is not finite");
                }
                if (e.dtype == DType.FLOAT16) {
                    for (int i = 0; i < n; i++) if (!Float16.isFinite(bb.getShort(2 * i))) throw new ModelFormatException(t + ": element " + i + " is not finite");
                    if (e.quant.kind() != QuantizationInfo.Kind.NONE) throw new ModelFormatException(t + ": float16 tensors carry no quantization");
                }
                return;
            }
            case BITPACKED: {
                long need = bitpackedBytes(e.shape);
                if (p.length != need) throw new ModelFormatException(t + ": bit-packed payload is " + p.length + " bytes, expected " + need);
                if (e.quant.kind() == QuantizationInfo.Kind.PER_AXIS && e.quant.axis() != 0) throw new ModelFormatException(t + ": binary alphas must be per row (axis 0)");
                int rows = e.shape.length == 0 ? 1 : e.shape[0];
                int rowLen = (int) (n / rows);
                int words = (rowLen + 63) >>> 6;
                int tail = rowLen & 63;
                if (tail != 0) {
                    long mask = -1L << tail;
                    for (int r = 0; r < rows; r++) {
                        if ((bb.getLong(8 * (r * words + words - 1)) & mask) != 0) throw new ModelFormatException(t + ": padding bits of row " + r + " are set");
                    }
                }
                return;
            }
            case CODEBOOK: {
                if (p.length < 4) throw new ModelFormatException(t + ": codebook payload too short");
                long k = bb.getInt(0) & 0xFFFFFFFFL;
                if (k < 1 || k > 65536) throw new ModelFormatException(t + ": codebook size " + k + " not in 1..65536");
                int bits = CodebookLayout.bitsFor((int) k);
                long need = 4 + 4 * k + CodebookLayout.indexBytes(n, bits);
                if (p.length != need) throw new ModelFormatException(t + ": codebook payload is " + p.length + " bytes, expected " + need);
                for (int i = 0; i < k; i++) if (!Float.isFinite(bb.getFloat(4 + 4 * i))) throw new ModelFormatException(t + ": centroid " + i + " is not finite");
                int base = (int) (4 + 4 * k);
                for (int i = 0; i < n; i++) {
                    if (CodebookLayout.index(p, base, bits, i) >= k) throw new ModelFormatException(t + ": index of element " + i + " exceeds the codebook");
                }
                return;
            }
            case SPARSE: {
                if (p.length < 4) throw new ModelFormatException(t + ": sparse payload too short");
                long nnz = bb.getInt(0) & 0xFFFFFFFFL;
                if (nnz > n) throw new ModelFormatException(t + ": " + nnz + " non-zeros in a tensor of " + n + " elements");
                long need = 4 + nnz * (4 + e.dtype.bytes());
                if (p.length != need) throw new ModelFormatException(t + ": sparse payload is " + p.length + " bytes, expected " + need);
                long prev = -1;
                for (int j = 0; j < nnz; j++) {
                    long idx = bb.getInt(4 + 4 * j) & 0xFFFFFFFFL;
                    if (idx <= prev || idx >= n) throw new ModelFormatException(t + ": sparse index " + idx + " at position " + j + " is out of order or range");
                    prev = idx;
                }
                if (e.dtype == DType.FLOAT32) {
                    for (int j = 0; j < nnz; j++) if (!Float.isFinite(bb.getFloat((int) (4 + 4 * nnz + 4 * j)))) throw new ModelFormatException(t + ": value " + j + " is not finite");
                }
                return;
            }
            default:
                throw new ModelFormatException(t + ": unknown codec");
        }
    }

    static byte[] sha256(byte[] data, int from, int to) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, from, to - from);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
