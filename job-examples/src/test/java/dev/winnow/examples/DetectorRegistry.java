package dev.winnow.examples;

import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A registry for the hot-swap tests, holding the shipped detectors as two versions of one model. */
final class DetectorRegistry {
    static final String MODEL = "person-detector";

    private DetectorRegistry() {}

    /** A registry in {@code dir}: {@value #MODEL} v1 is the int8 student, v2 the float one; no alias yet. */
    static ModelRegistry withBothDetectors(Path dir) throws IOException, dev.winnow.registry.RegistryException {
        Path detectors = Samples.dir().resolveSibling("../model-tools/detector").normalize();
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir));
        registry.publish(MODEL, Files.readAllBytes(detectors.resolve("person-detector-int8.wnm")), "test", Map.of());
        registry.publish(MODEL, Files.readAllBytes(detectors.resolve("person-detector-float.wnm")), "test", Map.of());
        return registry;
    }
}
