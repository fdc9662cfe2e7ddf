package dev.winnow.connectors.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder over one in-memory record that refuses any length or item count larger than the
 * bytes left. Avro allocates a string, bytes or array of the declared size before reading it, so a
 * garbage record claiming 1.5 GB would otherwise end in an OutOfMemoryError inside the task.
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;

    BoundedDecoder(BinaryDecoder in) {
        this.in = in;
    }

    private int remaining() throws IOException {
        return in.inputStream().available();
    }

    private int length(long n, String what) throws IOException {
        if (n < 0) throw new IOException("negative " + what + " length " + n);
        int left = remaining();
        if (n > left) throw new IOException(what + " length " + n + " exceeds the " + left + " bytes left in the record");
        return (int) n;
    }

    private long count(long n) throws IOException {
        // every item of the arrays and maps in our schemas takes at least one byte
        if (n < 0) {
            in.readLong(); // block size in bytes, follows a negative count
            n = -n;
        }
        int left = remaining();
        if (n > left) throw new IOException("item count " + n + " exceeds the " + left + " bytes left in the record");
        return n;
    }

    private byte[] bytes(String what) throws IOException {
        int n = length(in.readLong(), what);
        byte[] b = new byte[n];
        in.readFixed(b, 0, n);
        return b;
    }

    @Override public void readNull() throws IOException { in.readNull(); }
    @Override public boolean readBoolean() throws IOException { return in.readBoolean(); }
    @Override public int readInt() throws IOException { return in.readInt(); }
    @Override public long readLong() throws IOException { return in.readLong(); }
    @Override public float readFloat() throws IOException { return in.readFloat(); }
    @Override public double readDouble() throws IOException { return in.readDouble(); }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        byte[] b = bytes("string");
        Utf8 out = old != null ? old : new Utf8();
        out.set(new Utf8(b));
        return out;
    }

    @Override
    public String readString() throws IOException {
        return new String(bytes("string"), StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length(in.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(bytes("bytes"));
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length(in.readLong(), "bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        length(length, "fixed");
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length(length, "fixed"));
    }

    @Override public int readEnum() throws IOException { return in.readEnum(); }
    @Override public long readArrayStart() throws IOException { return count(in.readLong()); }
    @Override public long arrayNext() throws IOException { return count(in.readLong()); }
    @Override public long skipArray() throws IOException { return in.skipArray(); }
    @Override public long readMapStart() throws IOException { return count(in.readLong()); }
    @Override public long mapNext() throws IOException { return count(in.readLong()); }
    @Override public long skipMap() throws IOException { return in.skipMap(); }
    @Override public int readIndex() throws IOException { return in.readIndex(); }
}
