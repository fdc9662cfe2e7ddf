package dev.winnow.registry;

import java.nio.file.Path;
import java.util.Map;

/** A separate JVM that publishes {@code n} versions into a shared registry directory (for the two-process test). */
public final class PublishProcess {
    public static void main(String[] args) throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(Path.of(args[0])));
        int n = Integer.parseInt(args[1]);
        int seed = Integer.parseInt(args[2]);
        for (int i = 0; i < n; i++) r.publish("shared", TestArtifacts.model("shared", seed + i), "process-" + seed, Map.of());
    }
}
