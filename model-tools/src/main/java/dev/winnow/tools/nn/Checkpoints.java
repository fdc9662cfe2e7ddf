package dev.winnow.tools.nn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the trainer mains share: a network's parameters saved and read back as raw floats in
 * parameter order (to re-export without retraining), and their {@code --key value} arguments.
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

    /** {@code --key value} or {@code --key=value} pairs; the names in {@code flags} take no value. */
    public static Map<String, String> args(String[] args, Set<String> flags) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String k = args[i].substring(2);
            if (k.contains("=")) m.put(k.substring(0, k.indexOf('=')), k.substring(k.indexOf('=') + 1));
            else if (flags.contains(k)) m.put(k, "true");
            else if (i + 1 < args.length) m.put(k, args[++i]);
            else throw new IllegalArgumentException("--" + k + " needs a value");
        }
        return m;
    }
}
