package dev.winnow.runtime.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes `.wnm` bytes field by field with any values at all, and a correct digest, so tests can
 * reach the validation that sits behind the digest check.
 */
final class Crafted {
    static final class T {
        String name = "w";
        byte[] nameBytes;
        int dtype = DType.FLOAT32.id();
        int codec = Codec.RAW.id();
        int entropy = 0;
        int rank = -1;
        long[] dims = {4};
        int quantKind = 0;
        int quantAxis = 0;
        float scale = 0.5f;
        long payloadOffset = 0;
        long payloadLength = 16;
        byte[] payload = HostileArtifactTest.floats(1, 2, 3, 4);
    }

    private int major = 1;
    private long metadataLength = -1;
    private byte[] metadata = "{\"name\":\"m\",\"family\":\"test\",\"input\":{\"name\":\"x\",\"shape\":[4]}}".getBytes(StandardCharsets.UTF_8);
    private long tensorCount = -1;
    private final List<T> tensors = new ArrayList<>(List.of(new T()));
    private long payloadRegion = Long.MIN_VALUE;

    static Crafted base() {
        return new Crafted();
    }

    Crafted major(int v) { major = v; return this; }
    Crafted metadataLength(long v) { metadataLength = v; return this; }
    Crafted metadata(String json) { metadata = json.getBytes(StandardCharsets.UTF_8); return this; }
    Crafted metadataBytes(byte[] b) { metadata = b; return this; }
    Crafted tensorCount(long v) { tensorCount = v; return this; }
    Crafted payloadRegion(long v) { payloadRegion = v; return this; }

    Crafted tensor(Consumer<T> edit) {
        edit.accept(tensors.get(0));
        return this;
    }

    Crafted duplicateTensor() {
        T t = new T();
        t.payloadOffset = 16;
        tensors.add(t);
        return this;
    }

    Crafted twoTensorsOverlapping() {
        T t = new T();
        t.name = "v";
        t.payloadOffset = 8;
        tensors.add(t);
        return this;
    }

    static byte[] le(int... words) {
        ByteBuffer bb = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) bb.putInt(w);
        return bb.array();
    }

    byte[] bytes() {
        ByteWriter w = new ByteWriter();
        w.bytes(WnmLayout.MAGIC).u16(major).u16(0);
        w.i32((int) (metadataLength >= 0 ? metadataLength : metadata.length)).bytes(metadata);
        w.i32((int) (tensorCount >= 0 ? tensorCount : tensors.size()));
        long region = 0;
        for (T t : tensors) {
            byte[] nb = t.nameBytes != null ? t.nameBytes : t.name.getBytes(StandardCharsets.UTF_8);
            w.u16(nb.length).bytes(nb).u8(t.dtype).u8(t.codec).u8(t.entropy);
            w.u8(t.rank >= 0 ? t.rank : t.dims.length);
            for (long d : t.dims) w.i32((int) d);
            w.u8(t.quantKind);
            if (t.quantKind == 2) w.u8(t.quantAxis);
            if (t.quantKind != 0) w.i32(1).f32(t.scale).i32(0);
            w.i64(t.payloadOffset).i64(t.payloadLength);
            region = Math.max(region, t.payloadOffset + t.payload.length);
        }
        region = Math.min(region, 1 << 16);
        region = (region + 7) / 8 * 8;
        w.i64(payloadRegion != Long.MIN_VALUE ? payloadRegion : region);
        byte[] payload = new byte[(int) region];
        for (T t : tensors) {
            if (t.payloadOffset + t.payload.length <= region) System.arraycopy(t.payload, 0, payload, (int) t.payloadOffset, t.payload.length);
        }
        w.bytes(payload);
        byte[] body = w.toByteArray();
        return new ByteWriter().bytes(body).bytes(ArtifactReader.sha256(body, 0, body.length)).bytes(ArtifactSignature.UNSIGNED_TAG).toByteArray();
    }
}
