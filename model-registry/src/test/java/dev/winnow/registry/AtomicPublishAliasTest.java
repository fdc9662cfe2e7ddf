package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Publish and point the alias" is one commit: a crash at any step of it leaves the old state (the
 * alias where it was, no new version) or the new one (both), and {@link ModelRegistry#recover} at the
 * next start removes what the crash left, keeping everything committed.
 */
class AtomicPublishAliasTest {
    @TempDir Path base;

    /** Stands for the process dying: unchecked, so no cleanup in the store runs, as none would. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Each write the publish makes (blob, then event), cut off after its temporary file and after its commit. */
    static final List<String[]> CRASH_POINTS = List.of(
            new String[] {"blobs/", "temp-written"}, new String[] {"blobs/", "committed"},
            new String[] {"events/", "temp-written"}, new String[] {"events/", "committed"});

    @Test
    void aCrashAtEveryStepLeavesOldOrNewAndRecoverCleansUp() throws Exception {
        for (String[] point : CRASH_POINTS) {
            String where = point[0] + point[1];
            Path dir = base.resolve(where.replace('/', '-'));
            new ModelRegistry(new LocalDirectoryStore(dir)).publish("m", TestArtifacts.model("m", 1), "a", Map.of(), false, "production");

            LocalDirectoryStore dying = new LocalDirectoryStore(dir);
            dying.injectFault((step, key) -> { if (step.equals(point[1]) && key.startsWith(point[0])) throw new Crash(); });
            ModelRegistry r = new ModelRegistry(dying);
            assertThrows(Crash.class, () -> r.publish("m", TestArtifacts.model("m", 2), "a", Map.of(), false, "production"), where);
            assertFalse(leftovers(dir).isEmpty() && blobCount(dir) == 1, where + ": the crash left something behind to clean");

            // the next start
            ModelRegistry after = new ModelRegistry(new LocalDirectoryStore(dir));
            int removed = after.recover();
            boolean committed = where.equals("events/committed");
            int versions = committed ? 2 : 1;
            assertTrue(removed >= 1, where + ": removed " + removed);
            assertEquals(versions, after.versions("m").size(), where);
            assertEquals(Map.of("production", versions), after.aliases("m"), where + ": the alias moved exactly when the version exists");
            assertEquals(versions, after.lastSequence(), where);
            assertEquals(List.of(), leftovers(dir), where + ": no temporary file left");
            assertEquals(versions, blobCount(dir), where + ": no blob that no version references");
            for (ModelVersion v : after.versions("m")) assertArrayEquals(TestArtifacts.model("m", v.version()), after.artifact(v), where);
            assertEquals(0, after.recover(), where + ": a second recovery finds nothing");

            // and the registry goes on: the retried publish lands once, with its alias
            ModelVersion retried = after.publish("m", TestArtifacts.model("m", 2), "a", Map.of(), false, "production");
            assertEquals(2, retried.version(), where);
            assertEquals(Map.of("production", 2), after.aliases("m"), where);
            assertEquals(1, after.rollback("m", "production", "a").version(), where);
        }
    }

    @Test
    void recoverKeepsEveryReferencedBlobIncludingArchivedVersions() throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(base));
        r.publish("m", TestArtifacts.model("m", 1), "a", Map.of());
        r.publish("m", TestArtifacts.model("m", 2), "a", Map.of(), false, "production");
        r.archive("m", 1, "a");
        Files.write(base.resolve("blobs/sha256/" + "f".repeat(64) + ".wnm"), TestArtifacts.model("m", 7)); // an orphan
        assertEquals(1, r.recover());
        for (ModelVersion v : r.versions("m")) assertArrayEquals(TestArtifacts.model("m", v.version()), r.artifact(v));
    }

    @Test
    void recoverThroughFlinksFileSystemRemovesItsTemporariesAndOrphansOnly() throws Exception {
        ModelRegistry r = new ModelRegistry(new FlinkFileSystemStore(base.toUri()));
        ModelVersion v = r.publish("m", TestArtifacts.model("m", 1), "a", Map.of(), false, "production");
        // what a put cut off after its temporary object, and a publish cut off before its event, leave
        Files.write(base.resolve("events/.0000000000000002.json.1a2b.tmp"), new byte[] {1});
        Files.write(base.resolve("blobs/sha256/." + v.sha256() + ".wnm.3c4d.tmp"), new byte[] {2});
        Files.write(base.resolve("blobs/sha256/" + "e".repeat(64) + ".wnm"), TestArtifacts.model("m", 2));
        assertEquals(3, r.recover());
        try (Stream<Path> claims = Files.list(base.resolve(".lock"))) {
            assertEquals(0, claims.count(), "the lock is released, and its claim was not taken for a temporary");
        }
        try (Stream<Path> s = Files.walk(base)) {
            assertEquals(List.of(base.resolve("blobs/sha256/" + v.sha256() + ".wnm"), base.resolve("events/0000000000000001.json")),
                    s.filter(Files::isRegularFile).sorted().toList());
        }
        assertEquals(Map.of("production", 1), new ModelRegistry(new LocalDirectoryStore(base)).aliases("m"));
    }

    static List<Path> leftovers(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    static long blobCount(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("blobs/sha256"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
