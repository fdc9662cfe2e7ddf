package dev.winnow.runtime.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Little-endian appends to a growable byte array; the writer's counterpart of {@link ByteReader}. */
final class ByteWriter {
    private byte[] buf = new byte[256];
    private int size;

    private void ensure(int n) {
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }

    int size() {
        return size;
    }

    ByteWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    ByteWriter u16(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        return this;
    }

    ByteWriter i32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) buf[size++] = (byte) (v >>> (8 * i));
        return this;
    }

    ByteWriter i64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) buf[size++] = (byte) (v >>> (8 * i));
        return this;
    }

    ByteWriter f32(float v) {
        return i32(Float.floatToRawIntBits(v));
    }

    ByteWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    ByteWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    ByteWriter utf8WithU16Length(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u16(b.length).bytes(b);
    }

    ByteWriter padTo(int alignment) {
        while (size % alignment != 0) u8(0);
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
