package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.format.Metadata;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on hdfs:// through Flink's Hadoop file system, against an HDFS mini cluster in this JVM. */
class HdfsRegistryTest {
    @TempDir static Path tmp;
    static MiniHdfs hdfs;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        hdfs = new MiniHdfs(tmp.resolve("hdfs"));
        base = hdfs.base;
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) hdfs.close();
    }

    private static byte[] model(int seed, KeyPair keys) {
        ArtifactWriter w = new ArtifactWriter(Metadata.builder("m", "bonsai").input("x", new int[] {4}, "float32", "features", null).build());
        w.addFloat32("w", new int[] {4}, new float[] {seed, 1, 2, 3});
        return keys == null ? w.toBytes() : w.toBytesSigned(keys.getPrivate(), keys.getPublic());
    }

    @Test
    void publishResolveAliasAndFetchSignedArtifactsOnHdfs() throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        BlobStore store = RegistryLocations.open(base + "/registry/signed");
        assertInstanceOf(FlinkFileSystemStore.class, store);
        ModelRegistry r = new ModelRegistry(store, List.of(keys.getPublic()), Clock.systemUTC());
        byte[] one = model(1, keys);
        r.publish("m", one, "a", Map.of());
        r.publish("m", model(2, keys), "a", Map.of(), false, "production");
        r.setAlias("m", "production", 1, "a");
        ModelVersion prod = r.resolve("m@production");
        assertEquals(1, prod.version());
        assertArrayEquals(one, r.artifact(prod));
        assertTrue(hdfs.exists("/registry/signed/events/" + String.format("%016d.json", 3)));
        ModelRegistry stranger = new ModelRegistry(RegistryLocations.open(base + "/registry/signed"), List.of(Ed25519Keys.generate().getPublic()), Clock.systemUTC());
        assertEquals(RegistryException.Kind.UNTRUSTED, assertThrows(RegistryException.class, () -> stranger.artifact(stranger.resolve("m@production"))).kind());
        // nothing temporary is left after the writes
        assertEquals(0, new ModelRegistry(store).recover());
    }

    @Test
    void fourWritersAsSeparateProcessesGetVersionsOneToFortyWithoutGapOrDuplicate() throws Exception {
        URI root = URI.create(base + "/registry/concurrent");
        List<Integer> all = ConcurrentPublishers.publish(root, 4, 10, seed -> model(seed, null));
        List<Integer> expected = new ArrayList<>();
        for (int v = 1; v <= 40; v++) expected.add(v);
        assertEquals(expected, all);
        assertEquals(40, new ModelRegistry(new FlinkFileSystemStore(root)).lastSequence());
    }

    @Test
    void anUnreachableNameNodeIsOneLine() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        IOException e = assertThrows(IOException.class, () -> RegistryLocations.open("hdfs://127.0.0.1:" + closed + "/r"));
        assertTrue(e.getMessage().startsWith("registry location hdfs://127.0.0.1:" + closed + "/r: cannot reach the store"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
