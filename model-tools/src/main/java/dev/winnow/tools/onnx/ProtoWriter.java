package dev.winnow.tools.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffers wire format, the little of it ONNX files need: varint and 32-bit fields and
 * length-delimited ones (strings, bytes, nested messages, packed repeated integers). Written from
 * the wire-format specification; a message is built bottom-up, and a nested one is embedded whole
 * with its length in front, so no sizes are computed in advance.
 */
final class ProtoWriter {
    private static final int VARINT = 0, FIXED32 = 5, DELIMITED = 2;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter nested) {
        return bytes(field, nested.toByteArray());
    }

    /** A repeated int64 field, packed (what proto3 writes and every reader accepts). */
    ProtoWriter packed(int field, long[] values) {
        ProtoWriter body = new ProtoWriter();
        for (long v : values) body.varint(v);
        return bytes(field, body.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    /** Seven bits a byte, low first, the top bit set on all but the last; negatives take ten bytes. */
    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
