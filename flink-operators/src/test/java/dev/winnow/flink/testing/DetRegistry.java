package dev.winnow.flink.testing;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The directory registry most swap tests start from: model {@code det}, v1 a {@link TinyCnn}, production on v1. */
public final class DetRegistry {
    private DetRegistry() {}

    /** Publishes det v1 (TinyCnn seed 1, 24x32; event 1) in {@code dir} and moves production to it (event 2). */
    public static ModelRegistry onProduction(Path dir) throws Exception {
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir));
        registry.publish("det", new TinyCnn(1, 24, 32).float32Artifact(), "test", Map.of());
        registry.setAlias("det", "production", 1, "test");
        return registry;
    }

    /** A connection to the registry in {@code dir} that loads unsigned versions. */
    public static RegistryConnection unsigned(Path dir) {
        return RegistryConnection.directory(dir, List.of()).allowingUnsigned();
    }
}
