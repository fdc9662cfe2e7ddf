package dev.winnow.flink.model.feed;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint formats of the feed's split and enumerator state (version 1: sequence numbers only). */
final class RegistryFeedSerializers {
    private RegistryFeedSerializers() {}

    static final class Split implements SimpleVersionedSerializer<RegistryFeedSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(RegistryFeedSplit split) {
            byte[] b = new byte[8];
            long v = split.afterSequence();
            for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (56 - 8 * i));
            return b;
        }

        @Override
        public RegistryFeedSplit deserialize(int version, byte[] b) throws IOException {
            if (version != 1 || b.length != 8) throw new IOException("unknown registry feed split format v" + version + " (" + b.length + " bytes)");
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (b[i] & 0xff);
            return new RegistryFeedSplit(v);
        }
    }

    /** The enumerator holds the split only while no reader has it. */
    static final class Enumerator implements SimpleVersionedSerializer<List<RegistryFeedSplit>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<RegistryFeedSplit> unassigned) throws IOException {
            var bytes = new ByteArrayOutputStream();
            try (var out = new DataOutputStream(bytes)) {
                out.writeInt(unassigned.size());
                for (RegistryFeedSplit s : unassigned) out.writeLong(s.afterSequence());
            }
            return bytes.toByteArray();
        }

        @Override
        public List<RegistryFeedSplit> deserialize(int version, byte[] b) throws IOException {
            if (version != 1) throw new IOException("unknown registry feed enumerator format v" + version);
            try (var in = new DataInputStream(new ByteArrayInputStream(b))) {
                int n = in.readInt();
                if (n < 0 || n > 1) throw new IOException("registry feed enumerator state holds " + n + " splits");
                List<RegistryFeedSplit> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) out.add(new RegistryFeedSplit(in.readLong()));
                return out;
            }
        }
    }
}
