package dev.winnow.flink.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.RegistryClient;
import dev.winnow.runtime.format.Ed25519Keys;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed by default: a connection without trusted keys opens only when unsigned artifacts were allowed explicitly. */
class RegistryConnectionTest {
    @TempDir Path dir;

    @Test
    void noTrustedKeysAndNoExplicitAllowanceIsRefusedAtOpen() throws Exception {
        new ModelRegistry(new LocalDirectoryStore(dir));
        RegistryConnection bare = RegistryConnection.directory(dir, List.of());
        var e = assertThrows(IllegalArgumentException.class, bare::open);
        assertEquals("registry dir " + dir + ": no trusted keys; name the keys whose signed versions load, or allow unsigned artifacts explicitly",
                e.getMessage());
        assertFalse(bare.allowsUnsigned());

        RegistryConnection open = bare.allowingUnsigned();
        assertTrue(open.allowsUnsigned());
        try (RegistryClient c = open.open()) {
            assertEquals(List.of(), c.events(0, 0), "the empty registry opens and answers");
        }
    }

    @Test
    void trustedKeysCannotAlsoAllowUnsigned() throws Exception {
        Path pem = dir.resolve("k.pub.pem");
        Ed25519Keys.writePem(pem, Ed25519Keys.generate().getPublic());
        RegistryConnection trusting = RegistryConnection.directory(dir, List.of(pem));
        assertThrows(IllegalArgumentException.class, trusting::allowingUnsigned);
    }

    /**
     * A job's --registry and SQL's 'registry' keep a URI as given: hdfs:///r used to become the local
     * folder "hdfs:" (Path.of collapsed the "//"); now it goes to Flink's hdfs file system, whose
     * absence (no Hadoop on this classpath) is one line when the task opens the connection.
     */
    @Test
    void aFileSystemUriIsOpenedThroughFlinkNotAsALocalFolder() throws Exception {
        RegistryConnection hdfs = RegistryConnection.of("hdfs:///winnow/registry", List.of()).allowingUnsigned();
        assertEquals("registry hdfs:///winnow/registry", hdfs.toString());
        var e = assertThrows(java.io.IOException.class, hdfs::open);
        assertTrue(e.getMessage().startsWith("registry location hdfs:///winnow/registry: no file system for hdfs:// is installed"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(Path.of("hdfs:")), "no local folder named after the scheme");

        var unknown = assertThrows(java.io.IOException.class, RegistryConnection.of("foo://x/r", List.of()).allowingUnsigned()::open);
        assertTrue(unknown.getMessage().contains("unknown scheme 'foo'"), unknown.getMessage());

        // a plain path and file:// stay local directories
        new ModelRegistry(new LocalDirectoryStore(dir));
        try (RegistryClient c = RegistryConnection.of(dir.toUri().toString(), List.of()).allowingUnsigned().open()) {
            assertEquals(List.of(), c.events(0, 0));
        }
    }
}
