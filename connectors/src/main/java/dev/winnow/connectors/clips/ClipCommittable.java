package dev.winnow.connectors.clips;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * A clip written under its in-progress name, waiting for the checkpoint that covers it: the
 * committer renames it to its final name and adds its row to the camera's index.
 *
 * @param inProgress the hidden file the writer wrote (a Flink path URI)
 * @param target     the clip's final path (a Flink path URI)
 * @param index      the camera's index file (a Flink path URI)
 * @param row        the clip's index row
 */
public record ClipCommittable(String inProgress, String target, String index, ClipIndex.Row row) {

    /** Version 1: four UTF strings, the row as its CSV line. */
    static final class Serializer implements SimpleVersionedSerializer<ClipCommittable> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ClipCommittable c) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(c.inProgress);
            out.writeUTF(c.target);
            out.writeUTF(c.index);
            out.writeUTF(c.row.toCsv());
            return out.getCopyOfBuffer();
        }

        @Override
        public ClipCommittable deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) throw new IOException("unknown clip committable version " + version);
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            return new ClipCommittable(in.readUTF(), in.readUTF(), in.readUTF(), ClipIndex.Row.parse(in.readUTF()));
        }
    }
}
