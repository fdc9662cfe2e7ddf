package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that dies at its N-th write, for every N: after reopening, the registry holds exactly
 * the operations that completed before the crash, each whole, and keeps working.
 */
class CrashConsistencyTest {
    @TempDir Path base;

    /** Fails the N-th write with an IOException, as a crash would cut it off. */
    static final class CrashingStore implements BlobStore {
        private final BlobStore inner;
        private int writesLeft;

        CrashingStore(BlobStore inner, int crashAt) {
            this.inner = inner;
            this.writesLeft = crashAt;
        }

        private void tick() throws IOException {
            if (--writesLeft == 0) throw new IOException("simulated crash");
        }

        @Override public Optional<byte[]> get(String key) throws IOException { return inner.get(key); }
        @Override public void put(String key, byte[] data) throws IOException { tick(); inner.put(key, data); }
        @Override public boolean putIfAbsent(String key, byte[] data) throws IOException { tick(); return inner.putIfAbsent(key, data); }
        @Override public boolean exists(String key) throws IOException { return inner.exists(key); }
        @Override public void delete(String key) throws IOException { tick(); inner.delete(key); }
        @Override public int removeTemporaries() throws IOException { return inner.removeTemporaries(); }
        @Override public List<String> list(String prefix) throws IOException { return inner.list(prefix); }
        @Override public <T> T locked(IoSupplier<T> body) throws IOException, RegistryException { return inner.locked(body); }
    }

    @Test
    void everyCrashPointLeavesOldOrNewState() throws Exception {
        for (int crashAt = 1; crashAt <= 8; crashAt++) {
            Path dir = base.resolve("crash-" + crashAt);
            int completed = 0;
            try {
                ModelRegistry r = new ModelRegistry(new CrashingStore(new LocalDirectoryStore(dir), crashAt));
                r.publish("m", TestArtifacts.model("m", 1), "a", Map.of());
                completed++;
                r.publish("m", TestArtifacts.model("m", 2), "a", Map.of());
                completed++;
                r.setAlias("m", "production", 2, "a");
                completed++;
                r.publish("m", TestArtifacts.model("m", 3), "a", Map.of());
                completed++;
            } catch (IOException crash) {
                assertEquals("simulated crash", crash.getMessage());
            }
            ModelRegistry after = new ModelRegistry(new LocalDirectoryStore(dir));
            assertEquals(completed, after.lastSequence(), "crash at write " + crashAt);
            int published = completed >= 4 ? 3 : Math.min(completed, 2);
            if (published > 0) {
                assertEquals(published, after.versions("m").size());
                for (ModelVersion v : after.versions("m")) assertArrayEquals(TestArtifacts.model("m", v.version()), after.artifact(v));
            }
            assertEquals(completed >= 3 ? Map.of("production", 2) : Map.of(), published > 0 ? after.aliases("m") : Map.of());
            // and the registry goes on from there
            ModelVersion next = after.publish("m", TestArtifacts.model("m", 9), "b", Map.of());
            assertEquals(published + 1, next.version());
        }
    }
}
