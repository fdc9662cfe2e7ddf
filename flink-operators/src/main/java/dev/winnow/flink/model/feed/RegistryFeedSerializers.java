package dev.winnow.flink.model.feed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Checkpoint formats of the feed's split and enumerator state (version 1: sequence numbers only). */
final class RegistryFeedSerializers {
    private RegistryFeedSerializers() {}

    /** The split: the sequence number after which the reader continues (8 bytes, big-endian). */
    static final class Split extends DataSerializer<RegistryFeedSplit> {
        Split() {
            super("registry feed split");
        }

        @Override
        void write(RegistryFeedSplit split, DataOutputStream out) throws IOException {
            out.writeLong(split.afterSequence());
        }

        @Override
        RegistryFeedSplit read(DataInputStream in, int length) throws IOException {
            if (length != 8) throw new IOException("a registry feed split is 8 bytes, not " + length);
            return new RegistryFeedSplit(in.readLong());
        }
    }

    /** The enumerator holds the split only while no reader has it. */
    static final class Enumerator extends DataSerializer<List<RegistryFeedSplit>> {
        Enumerator() {
            super("registry feed enumerator");
        }

        @Override
        void write(List<RegistryFeedSplit> unassigned, DataOutputStream out) throws IOException {
            out.writeInt(unassigned.size());
            for (RegistryFeedSplit s : unassigned) out.writeLong(s.afterSequence());
        }

        @Override
        List<RegistryFeedSplit> read(DataInputStream in, int length) throws IOException {
            int n = in.readInt();
            if (n < 0 || n > 1) throw new IOException("registry feed enumerator state holds " + n + " splits");
            List<RegistryFeedSplit> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(new RegistryFeedSplit(in.readLong()));
            return out;
        }
    }
}
