package dev.winnow.connectors.sink;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * The container layout of retained-frame files: frames one after another, each a small header (the
 * index entry) followed by the raw frame bytes, all big-endian:
 *
 * <pre>
 *   magic      4 bytes  "WFR1"
 *   cameraId   2-byte length + UTF-8 (modified UTF-8, as DataOutput.writeUTF)
 *   seq        8 bytes
 *   timestamp  8 bytes  epoch millis
 *   encoding   1 byte   0 GRAY8, 1 RGB24, 2 JPEG
 *   width      4 bytes
 *   height     4 bytes
 *   labelCount 4 bytes  -1 when unknown
 *   length     4 bytes  number of data bytes that follow
 *   data       length bytes, exactly as the frame carried them (a JPEG stays a valid JPEG)
 * </pre>
 *
 * A reader can list a file's frames by reading headers and skipping data ({@link #index}).
 */
public final class FrameFiles {
    private FrameFiles() {}

    static final int MAGIC = 0x57465231; // "WFR1"

    /** One entry of a file's index: where the frame's data starts, and what it is. */
    public record Entry(long dataOffset, String cameraId, long seq, long timestampMillis, FrameEncoding encoding,
                        int width, int height, int length) {}

    /** Writes frames in the container layout; one Flink row per frame. */
    public static final class FrameEncoder implements Encoder<Frame> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(Frame f, OutputStream stream) throws IOException {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeUTF(f.cameraId);
            out.writeLong(f.seq);
            out.writeLong(f.timestampMillis);
            out.writeByte(f.encoding.ordinal());
            out.writeInt(f.width);
            out.writeInt(f.height);
            out.writeInt(f.labelCount);
            out.writeInt(f.sizeBytes());
            if (f.data != null) out.write(f.data);
            out.flush();
        }
    }

    /** Writes only the frame's bytes: with one frame per file, a JPEG frame makes a plain .jpg file. */
    public static final class RawBytesEncoder implements Encoder<Frame> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(Frame f, OutputStream stream) throws IOException {
            if (f.data != null) stream.write(f.data);
        }
    }

    /** All frames of a container file, in order. */
    public static List<Frame> read(Path file) throws IOException {
        List<Frame> out = new ArrayList<>();
        forEachEntry(file, (e, in) -> {
            byte[] data = in.readNBytes(e.length());
            if (data.length != e.length()) throw new EOFException(file + ": truncated frame data at " + e.dataOffset());
            out.add(new Frame(e.cameraId(), e.seq(), e.timestampMillis(), e.encoding(), e.width(), e.height(), data));
        });
        return out;
    }

    /** The index of a container file: headers only, data skipped. */
    public static List<Entry> index(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        forEachEntry(file, (e, in) -> {
            out.add(e);
            in.skipNBytes(e.length());
        });
        return out;
    }

    /** What a walk over a container does with one entry's data: it reads or skips exactly {@code e.length()} bytes. */
    private interface EntryData {
        void take(Entry e, DataInputStream in) throws IOException;
    }

    private static void forEachEntry(Path file, EntryData data) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            Entry e;
            long[] offset = {0};
            while ((e = next(in, offset)) != null) {
                data.take(e, in);
                offset[0] += e.length();
            }
        }
    }

    private static Entry next(DataInputStream in, long[] offset) throws IOException {
        int first = in.read();
        if (first < 0) return null;
        int magic = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
        if (magic != MAGIC) throw new IOException(String.format("bad magic %08X at offset %d", magic, offset[0]));
        String camera = in.readUTF();
        long seq = in.readLong();
        long ts = in.readLong();
        int enc = in.readUnsignedByte();
        if (enc >= FrameEncoding.values().length) throw new IOException("bad encoding " + enc + " at offset " + offset[0]);
        int w = in.readInt();
        int h = in.readInt();
        int label = in.readInt();
        int len = in.readInt();
        if (len < 0) throw new IOException("negative length at offset " + offset[0]);
        long headerBytes = 4 + 2 + utfLength(camera) + 8 + 8 + 1 + 4 + 4 + 4 + 4;
        offset[0] += headerBytes;
        return new Entry(offset[0], camera, seq, ts, FrameEncoding.values()[enc], w, h, len);
    }

    private static int utfLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += (c >= 0x0001 && c <= 0x007F) ? 1 : (c > 0x07FF ? 3 : 2);
        }
        return n;
    }

}
