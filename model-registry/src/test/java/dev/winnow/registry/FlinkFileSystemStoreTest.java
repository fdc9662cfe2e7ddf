package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over Flink's FileSystem abstraction, exercised through the file:// scheme. */
class FlinkFileSystemStoreTest {
    @TempDir Path dir;

    @Test
    void registryWorksThroughFlinksFileSystem() throws Exception {
        ModelRegistry r = new ModelRegistry(new FlinkFileSystemStore(dir.toUri()));
        ModelVersion v = r.publish("m", TestArtifacts.model("m", 1), "a", Map.of());
        r.publish("m", TestArtifacts.model("m", 2), "a", Map.of());
        r.setAlias("m", "production", 2, "a");
        assertEquals(2, r.resolve("m@production").version());
        assertArrayEquals(TestArtifacts.model("m", 1), r.artifact(v));
        assertTrue(Files.exists(dir.resolve("blobs/sha256/" + v.sha256() + ".wnm")));
        try (var claims = Files.list(dir.resolve(".lock"))) {
            assertEquals(0, claims.count(), "the lock is released");
        }
        // the same files read through the local store: one layout for both backends
        ModelRegistry local = new ModelRegistry(new LocalDirectoryStore(dir));
        assertEquals(r.versions("m"), local.versions("m"));
    }

    @Test
    void concurrentWritersThroughTheFileSystemLockGetDistinctVersions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Integer>>> fs = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            fs.add(pool.submit(() -> {
                ModelRegistry r = new ModelRegistry(new FlinkFileSystemStore(dir.toUri()));
                List<Integer> got = new java.util.ArrayList<>();
                for (int i = 0; i < 5; i++) got.add(r.publish("m", TestArtifacts.model("m", thread * 10 + i), "t", Map.of()).version());
                return got;
            }));
        }
        Set<Integer> all = new HashSet<>();
        for (Future<List<Integer>> f : fs) all.addAll(f.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertEquals(20, all.size());
    }

    @Test
    void aStaleLockFromACrashedWriterIsTakenOver() throws Exception {
        Files.createDirectories(dir.resolve(".lock"));
        Files.write(dir.resolve(".lock/0000000000000001-0000000000000001"), new byte[0]);
        ModelRegistry r = new ModelRegistry(new FlinkFileSystemStore(dir.toUri(), true, 100));
        assertEquals(1, r.publish("m", TestArtifacts.model("m", 1), "a", Map.of()).version());
        assertFalse(Files.exists(dir.resolve(".lock/0000000000000001-0000000000000001")), "the dead writer's claim is gone");
    }
}
