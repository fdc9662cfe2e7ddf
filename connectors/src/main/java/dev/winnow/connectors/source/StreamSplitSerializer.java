package dev.winnow.connectors.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.InstantiationUtil;

/**
 * Splits and the enumerator's list of unassigned splits, in Java serialization: the specs are small
 * configuration objects, and the position (the state that matters) is a plain field.
 */
final class StreamSplitSerializer {
    private StreamSplitSerializer() {}

    static <T> SimpleVersionedSerializer<StreamSplit<T>> splits() {
        return new Impl<>();
    }

    static <T> SimpleVersionedSerializer<List<StreamSplit<T>>> lists() {
        return new Impl<>();
    }

    private static final class Impl<S> implements SimpleVersionedSerializer<S> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(S obj) throws IOException {
            return InstantiationUtil.serializeObject(obj instanceof List ? new ArrayList<>((List<?>) obj) : obj);
        }

        @Override
        public S deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) throw new IOException("unknown split serializer version " + version);
            try {
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                if (cl == null) cl = StreamSplitSerializer.class.getClassLoader();
                return InstantiationUtil.deserializeObject(serialized, cl);
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }
    }
}
