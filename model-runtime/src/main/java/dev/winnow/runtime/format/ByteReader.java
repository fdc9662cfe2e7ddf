package dev.winnow.runtime.format;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Little-endian reads over a byte array that check, before every read, that the bytes are there —
 * so a length field can never make the reader run off the end or allocate more than the file holds.
 */
final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    ByteReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    void require(long n, String what) throws ModelFormatException {
        if (n < 0 || n > end - pos) {
            throw ModelFormatException.at(pos, "truncated: " + what + " needs " + n + " bytes but only "
                    + (end - pos) + " remain");
        }
    }

    int u8(String what) throws ModelFormatException {
        require(1, what);
        return buf[pos++] & 0xFF;
    }

    int u16(String what) throws ModelFormatException {
        require(2, what);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    int i32(String what) throws ModelFormatException {
        require(4, what);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** An unsigned 32-bit value, as a long so a huge declared length stays visibly huge. */
    long u32(String what) throws ModelFormatException {
        return i32(what) & 0xFFFFFFFFL;
    }

    long i64(String what) throws ModelFormatException {
        require(8, what);
        long lo = i32(what) & 0xFFFFFFFFL;
        long hi = i32(what) & 0xFFFFFFFFL;
        return lo | hi << 32;
    }

    float f32(String what) throws ModelFormatException {
        return Float.intBitsToFloat(i32(what));
    }

    byte[] bytes(long n, String what) throws ModelFormatException {
        require(n, what);
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, pos, out, 0, (int) n);
        pos += (int) n;
        return out;
    }

    String utf8(long n, String what) throws ModelFormatException {
        require(n, what);
        int at = pos;
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, (int) n)).toString();
            pos += (int) n;
            return s;
        } catch (CharacterCodingException e) {
            throw ModelFormatException.at(at, what + " is not valid UTF-8");
        }
    }
}
