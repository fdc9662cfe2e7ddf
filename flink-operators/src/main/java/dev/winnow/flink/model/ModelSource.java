package dev.winnow.flink.model;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a function's model comes from, serializable with the job graph: the artifact bytes
 * themselves (small models travel inside the job), or a path every task manager can read. The
 * version is what outputs are stamped with until a registry update says otherwise.
 */
public final class ModelSource implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private final String path;
    private final int version;

    private ModelSource(byte[] bytes, String path, int version) {
        this.bytes = bytes;
        this.path = path;
        this.version = version;
    }

    public static ModelSource ofBytes(byte[] artifact, int version) {
        return new ModelSource(artifact.clone(), null, version);
    }

    public static ModelSource ofPath(Path artifact, int version) {
        return new ModelSource(null, artifact.toString(), version);
    }

    /** A model shipped on the classpath (e.g. inside the job's jar). */
    public static ModelSource ofResource(String resource, int version) throws IOException {
        try (var in = ModelSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no model resource " + resource);
            return new ModelSource(in.readAllBytes(), null, version);
        }
    }

    public int version() {
        return version;
    }

    public Model load() throws IOException, ModelFormatException {
        return bytes != null ? Model.load(bytes) : Model.load(Files.readAllBytes(Path.of(path)));
    }

    @Override
    public String toString() {
        return bytes != null ? "ModelSource{" + bytes.length + " B, v" + version + "}" : "ModelSource{" + path + ", v" + version + "}";
    }
}
