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
 * @param thumbInProgress the hidden thumbnail file written with the clip, "" when the event has none
 * @param thumbTarget     the thumbnail's final path next to the clip ({@link #thumbnailOf}), "" when none
 */
public record ClipCommittable(String inProgress, String target, String index, ClipIndex.Row row, String thumbInProgress, String thumbTarget) {

    /** A clip without a thumbnail. */
    public ClipCommittable(String inProgress, String target, String index, ClipIndex.Row row) {
        this(inProgress, target, index, row, "", "");
    }

    public boolean hasThumbnail() {
        return !thumbTarget.isEmpty();
    }

    /** Where a clip's thumbnail lives: beside it, its name with {@code .jpg} for the extension. */
    public static String thumbnailOf(String clip) {
        int dot = clip.lastIndexOf('.'), slash = clip.lastIndexOf('/');
        return (dot > slash ? clip.substring(0, dot) : clip) + ".jpg";
    }

    /** Version 2: six UTF strings (the row as its CSV line fourth); version 1 had no thumbnail paths. */
    static final class Serializer implements SimpleVersionedSerializer<ClipCommittable> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(ClipCommittable c) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(c.inProgress);
            out.writeUTF(c.target);
            out.writeUTF(c.index);
            out.writeUTF(c.row.toCsv());
            out.writeUTF(c.thumbInProgress);
            out.writeUTF(c.thumbTarget);
            return out.getCopyOfBuffer();
        }

        @Override
        public ClipCommittable deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1 && version != 2) throw new IOException("unknown clip committable version " + version);
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            String inProgress = in.readUTF(), target = in.readUTF(), index = in.readUTF();
            ClipIndex.Row row = ClipIndex.Row.parse(in.readUTF());
            if (version == 1) return new ClipCommittable(inProgress, target, index, row);
            return new ClipCommittable(inProgress, target, index, row, in.readUTF(), in.readUTF());
        }
    }
}
