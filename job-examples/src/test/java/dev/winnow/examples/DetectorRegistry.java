package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import java.io.IOException;
import java.security.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A registry for the hot-swap tests, holding the shipped detectors as two versions of one model. */
final class DetectorRegistry {
    static final String MODEL = "person-detector";

    private DetectorRegistry() {}

    /**
     * A registry in {@code dir}: {@value #MODEL} v1 is the int8 student, v2 the float one, both signed
     * by a key generated here whose public half is written to {@code trustPem} (what a job's --trust
     * names: the signed path is the product's default); no alias yet.
     */
    static ModelRegistry withBothDetectors(Path dir, Path trustPem) throws Exception {
        Path detectors = Samples.dir().resolveSibling("../model-tools/detector").normalize();
        KeyPair keys = Ed25519Keys.generate();
        Ed25519Keys.writePem(trustPem, keys.getPublic());
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir));
        for (String f : new String[] {"person-detector-int8.wnm", "person-detector-float.wnm"}) {
            registry.publish(MODEL, ArtifactWriter.sign(Files.readAllBytes(detectors.resolve(f)), keys.getPrivate(), keys.getPublic()), "test", Map.of());
        }
        return registry;
    }
}
