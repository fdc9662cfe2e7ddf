package dev.winnow.registry;

import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Metadata;
import java.security.KeyPair;

/** Small real artifacts for registry tests. */
final class TestArtifacts {
    private TestArtifacts() {}

    /**
     * A registry as {@code serve --allow-unsigned} builds it, for the server tests whose subject is the
     * HTTP layer (bounds, concurrency, hostile requests), not signing: they publish unsigned artifacts
     * and say so here. {@code SignedByDefaultTest} covers the default, signed-only server.
     */
    static ModelRegistry acceptingUnsigned(java.nio.file.Path dir) throws java.io.IOException, RegistryException {
        return new ModelRegistry(new LocalDirectoryStore(dir), java.util.List.of(), false, java.time.Clock.systemUTC());
    }

    static byte[] model(String name, int seed) {
        return writer(name, seed).toBytes();
    }

    static byte[] signed(String name, int seed, KeyPair keys) {
        return writer(name, seed).toBytesSigned(keys.getPrivate(), keys.getPublic());
    }

    /** An artifact of about {@code 4 * floats} bytes, the same signature for every seed. */
    static byte[] sized(String name, int seed, int floats) {
        ArtifactWriter w = new ArtifactWriter(Metadata.builder(name, "bonsai").input("x", new int[] {4}, "float32", "features", null).build());
        float[] weights = new float[floats];
        for (int i = 0; i < floats; i++) weights[i] = seed * 31 + i;
        w.addFloat32("w", new int[] {floats}, weights);
        return w.toBytes();
    }

    /** An artifact with its own input length and labels: a different input or output signature. */
    static byte[] shaped(String name, int seed, int inputLength, java.util.List<String> labels) {
        ArtifactWriter w = new ArtifactWriter(Metadata.builder(name, "bonsai")
                .input("x", new int[] {inputLength}, "float32", "features", null).labels(labels).build());
        float[] weights = new float[inputLength];
        weights[0] = seed;
        w.addFloat32("w", new int[] {inputLength}, weights);
        return w.toBytes();
    }

    private static ArtifactWriter writer(String name, int seed) {
        ArtifactWriter w = new ArtifactWriter(Metadata.builder(name, "bonsai")
                .input("x", new int[] {4}, "float32", "features", null).metric("accuracy", 0.9 + seed / 1000.0).build());
        w.addFloat32("w", new int[] {4}, new float[] {seed, 1, 2, 3});
        return w;
    }
}
