package dev.winnow.flink.model.feed;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A checkpoint format of the feed's sources, version 1, written field by field on a
 * {@link DataOutputStream}: the subclass says which fields, this class frames them as bytes and
 * refuses a version it does not know, so the feed's serializers share one framing and one error.
 * Holds no state of its own: any thread may call it, as Flink does from the checkpoint threads.
 */
abstract class DataSerializer<T> implements SimpleVersionedSerializer<T> {
    private final String format;

    /** @param format what the bytes hold, for the error on an unknown version, e.g. {@code "registry feed split"} */
    DataSerializer(String format) {
        this.format = format;
    }

    /** Writes {@code value}'s fields. */
    abstract void write(T value, DataOutputStream out) throws IOException;

    /** Reads the fields back from {@code in}, which holds {@code length} bytes; refuses what no {@link #write} wrote. */
    abstract T read(DataInputStream in, int length) throws IOException;

    @Override
    public final int getVersion() {
        return 1;
    }

    @Override
    public final byte[] serialize(T value) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            write(value, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public final T deserialize(int version, byte[] b) throws IOException {
        if (version != 1) throw new IOException("unknown " + format + " format v" + version);
        try (var in = new DataInputStream(new ByteArrayInputStream(b))) {
            return read(in, b.length);
        }
    }
}
