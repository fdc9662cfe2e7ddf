package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.format.Ed25519Keys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
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

/** The registry on s3:// through Flink's S3 file system, against s3proxy started in this JVM. */
class S3RegistryTest {
    @TempDir static Path tmp;
    static S3ProxyServer s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3")));
        s3.createBucket("models");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @Test
    void publishResolveAliasAndFetchSignedArtifactsOnS3() throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        BlobStore store = RegistryLocations.open("s3://models/signed");
        assertInstanceOf(FlinkFileSystemStore.class, store);
        ModelRegistry r = new ModelRegistry(store, List.of(keys.getPublic()), Clock.systemUTC());
        byte[] one = TestArtifacts.signed("m", 1, keys);
        r.publish("m", one, "a", Map.of());
        r.publish("m", TestArtifacts.signed("m", 2, keys), "a", Map.of(), false, "production");
        assertEquals(2, r.resolve("m@production").version());
        r.setAlias("m", "production", 1, "a");
        ModelVersion prod = r.resolve("m@production");
        assertEquals(1, prod.version());
        assertArrayEquals(one, r.artifact(prod));
        // the objects are where the layout says, as the S3 server stored them
        assertTrue(Files.exists(tmp.resolve("s3/models/signed/blobs/sha256/" + ModelRegistry.blobKey(prod.sha256(), prod.signer()).substring("blobs/sha256/".length()))));
        // a second process (a fresh registry) reads the same state, and refuses what the trust list does not cover
        ModelRegistry other = new ModelRegistry(RegistryLocations.open("s3://models/signed"), List.of(Ed25519Keys.generate().getPublic()), Clock.systemUTC());
        assertEquals(Map.of("production", 1), other.aliases("m"));
        RegistryException e = assertThrows(RegistryException.class, () -> other.artifact(other.resolve("m@production")));
        assertEquals(RegistryException.Kind.UNTRUSTED, e.kind());
        assertThrows(RegistryException.class, () -> r.publish("m", TestArtifacts.model("m", 3), "a", Map.of()), "unsigned refused");
        assertEquals(2, r.versions("m").size());
    }

    @Test
    void fourWritersAsSeparateProcessesGetVersionsOneToFortyWithoutGapOrDuplicate() throws Exception {
        URI root = URI.create("s3://models/concurrent");
        List<Integer> all = ConcurrentPublishers.publish(root, 4, 10, seed -> TestArtifacts.model("m", seed));
        List<Integer> expected = new ArrayList<>();
        for (int v = 1; v <= 40; v++) expected.add(v);
        assertEquals(expected, all);
        ModelRegistry fresh = new ModelRegistry(new FlinkFileSystemStore(root));
        assertEquals(40, fresh.versions("m").size());
        assertEquals(40, fresh.lastSequence());
        assertEquals(40, fresh.versions("m").stream().map(ModelVersion::sha256).distinct().count(), "every version its own artifact");
        assertEquals(0, Files.list(tmp.resolve("s3/models/concurrent/.lock")).count(), "every lock claim released");
    }

    @Test
    void aClaimLeftByACrashedWriterIsTakenOverOnceTheLeaseRunsOut() throws Exception {
        URI root = URI.create("s3://models/stale");
        FlinkFileSystemStore store = new FlinkFileSystemStore(root, true, 200);
        // a writer that died holding the lock: its claim stays; the next writer waits out the lease
        store.put(".lock/0000000000000001-00000000000000aa", new byte[0]);
        long start = System.nanoTime();
        assertEquals(1, new ModelRegistry(store).publish("m", TestArtifacts.model("m", 1), "a", Map.of()).version());
        assertTrue(System.nanoTime() - start >= 200_000_000L, "the stale claim was waited out, not ignored");
        assertFalse(store.exists(".lock/0000000000000001-00000000000000aa"));
    }

    @Test
    void badLocationsFailWithOneLineAndWriteNothing() throws Exception {
        IOException bucket = assertThrows(IOException.class, () -> RegistryLocations.open("s3://no-such-bucket/r"));
        assertOneLine(bucket, "s3://no-such-bucket/r");
        assertFalse(Files.exists(s3.base().resolve("no-such-bucket")), "no bucket created");

        IOException scheme = assertThrows(IOException.class, () -> RegistryLocations.open("foo://x/r"));
        assertOneLine(scheme, "unknown scheme 'foo'");
        // without the Hadoop client, hdfs:// says what to install instead of making a folder "hdfs:"
        IOException hdfs = assertThrows(IOException.class, () -> RegistryLocations.open("hdfs:///r"));
        assertOneLine(hdfs, "HADOOP_CLASSPATH");
        assertFalse(Files.exists(Path.of("hdfs:")));
        assertThrows(IOException.class, () -> RegistryLocations.open("http://127.0.0.1:1/r"));

        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        S3ProxyServer.useEndpoint("http://127.0.0.1:" + closed);
        try {
            long start = System.nanoTime();
            IOException down = assertThrows(IOException.class, () -> RegistryLocations.open("s3://models/down"));
            assertOneLine(down, "cannot reach the store");
            assertTrue(System.nanoTime() - start < 30_000_000_000L, "fails at once, not after minutes of retries");
        } finally {
            S3ProxyServer.useEndpoint("http://127.0.0.1:" + s3.port());
        }
        assertFalse(Files.exists(s3.base().resolve("models/down")));
    }

    private static void assertOneLine(IOException e, String contains) {
        assertTrue(e.getMessage().contains(contains), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("registry location "), e.getMessage());
    }
}
