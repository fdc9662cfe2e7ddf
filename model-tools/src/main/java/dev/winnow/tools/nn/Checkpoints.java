package dev.winnow.tools.nn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A network's parameters saved and read back as raw floats in parameter order, so a trainer can
 * re-export without retraining.
 */
public final class Checkpoints {
    private Checkpoints() {}

    public static void save(List<Param> params, Path p) throws IOException {
        Files.createDirectories(p.toAbsolutePath().getParent());
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p)))) {
            for (Param q : params) for (float v : q.w) o.writeFloat(v);
        }
    }

    public static void load(List<Param> params, Path p) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(p)))) {
            for (Param q : params) for (int i = 0; i < q.w.length; i++) q.w[i] = in.readFloat();
        }
    }
}
